from markupsafe import escape

from odoo import api, fields, models
from odoo.tools import SQL

# exceptions escalated per cron transaction (about 4 s each when every one
# crosses all three levels at once, see bench/RESULTS.md)
ESCALATION_BATCH = 10000
# exception references listed in one escalation e-mail (the rest counted)
MAIL_NAMES_SHOWN = 50
# the role told at each level; level 1 falls back to the QA managers when the
# exception has no owner yet
LEVEL_GROUPS = {
    2: "meddev_base.group_meddev_qa_manager",
    3: "meddev_base.group_meddev_quality_director",
}


class MeddevNonconformance(models.Model):
    """The escalation cron (升级), in set operations: whatever the number of
    open exceptions, one statement raises the level of every exception past a
    deadline and records the escalations (``UPDATE … RETURNING`` feeding an
    ``INSERT``), one statement adds an activity per person to tell, one adds
    a note to each exception's chatter with an inbox notification to them.
    "Now" is the server's clock in Python (so tests can move it), never the
    database's.

    The level is that of the deadline being missed: the containment deadline
    until the exception is contained, then the closure deadline (its level
    starting again at 1). An exception that jumps levels between two runs
    records one escalation per level crossed, so that each role is told."""

    # one concern per file (time limits, the cron, the hints), each short
    _inherit = "meddev.nonconformance"  # pylint: disable=consider-merging-classes-inherited

    @api.model
    def _cron_meddev_escalate(self):
        """At most ESCALATION_BATCH exceptions per transaction, the oldest
        deadlines first; a backlog (after go-live or an outage) is worked off
        in batches the cron runner commits one by one."""
        now = fields.Datetime.now()
        rows = self._meddev_escalate_rows(now, ESCALATION_BATCH)
        escalated = len({exception_id for _event_id, exception_id in rows})
        remaining = (
            self._meddev_escalation_pending(now) if escalated >= ESCALATION_BATCH else 0
        )
        self.env["ir.cron"]._notify_progress(done=escalated, remaining=remaining)

    @api.model
    def _meddev_escalate(self, now=None, limit=None):
        """Escalate the open exceptions past a deadline (at most ``limit`` of
        them, the oldest deadlines first); the new escalations
        (``meddev.nonconformance.escalation``)."""
        rows = self._meddev_escalate_rows(now or fields.Datetime.now(), limit)
        return self.env["meddev.nonconformance.escalation"].browse(
            [event_id for event_id, _exception_id in rows]
        )

    @api.model
    def _meddev_escalate_rows(self, now, limit):
        """Two statements whatever the number of exceptions: escalate, then
        tell; [(escalation id, exception id)]."""
        self.env.flush_all()
        self.env.cr.execute(self._meddev_escalate_query(now, limit))
        rows = self.env.cr.fetchall()
        if rows:
            event_ids = [row[0] for row in rows]
            self.env.cr.execute(self._meddev_escalation_notify_query(event_ids, now))
            self._meddev_escalation_mails(event_ids)
        self.env.invalidate_all()
        return rows

    @api.model
    def _meddev_escalation_mails(self, event_ids):
        """One e-mail per person told in this run, listing the exceptions
        escalated to them: as many mails as people, whatever the number of
        exceptions (one query, one batched create)."""
        self.env.cr.execute(
            SQL(
                """
                WITH ev AS (%(events)s), rcpt AS (%(recipients)s)
                SELECT rcpt.partner_id, count(DISTINCT rcpt.nonconformance_id),
                       (array_agg(DISTINCT rcpt.name))[1:%(shown)s]
                  FROM rcpt GROUP BY rcpt.partner_id
                """,
                events=self._meddev_escalation_events(event_ids),
                recipients=self._meddev_escalation_recipients(),
                shown=MAIL_NAMES_SHOWN,
            )
        )
        digests = self.env.cr.fetchall()
        # the server mails whoever the escalation reaches, as the system
        self.env["mail.mail"].sudo().create(
            [
                self._meddev_escalation_mail_values(partner_id, count, names)
                for partner_id, count, names in digests
            ]
        )

    @api.model
    def _meddev_escalation_mail_values(self, partner_id, count, names):
        more = count - len(names)
        listed = ", ".join(sorted(names))
        if more > 0:
            listed = self.env._("%(names)s and %(more)s more", names=listed, more=more)
        body = self.env._(
            "These exceptions missed their deadline and are escalated to you: "
            "%(names)s.",
            names=listed,
        )
        return {
            "subject": self.env._(
                "%(count)s exceptions overdue, escalated to you", count=count
            ),
            "body_html": f"<p>{escape(body)}</p>",
            "recipient_ids": [fields.Command.link(partner_id)],
            "author_id": self.env.ref("base.partner_root").id,
            "auto_delete": True,
        }

    @api.model
    def _meddev_escalation_pending(self, now):
        """How many open exceptions wait for an escalation at ``now``."""
        self.env.cr.execute(
            SQL(
                "SELECT count(*) FROM (%s) target WHERE target.level > target.told",
                self._meddev_escalation_targets(now),
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # the statements
    # ------------------------------------------------------------------
    def _meddev_escalation_targets(self, now):
        """Per open exception past its current deadline: that deadline, its
        kind, the level it has reached by ``now`` and the level already told."""
        return SQL(
            """
            SELECT nc.id, t.kind, t.deadline,
                   CASE WHEN t.deadline + make_interval(hours => p.l3) <= %(now)s
                        THEN 3
                        WHEN t.deadline + make_interval(hours => p.l2) <= %(now)s
                        THEN 2 ELSE 1 END AS level,
                   CASE WHEN nc.escalation_kind = t.kind
                        THEN coalesce(nc.escalation_level, 0) ELSE 0 END AS told
              FROM meddev_nonconformance nc
              CROSS JOIN LATERAL (
                  SELECT CASE WHEN nc.containment_done_on IS NULL
                              THEN 'containment' ELSE 'closure' END AS kind,
                         CASE WHEN nc.containment_done_on IS NULL
                              THEN nc.containment_deadline
                              ELSE nc.closure_deadline END AS deadline) t
              JOIN (
                  -- per company and grade, its own policy before the shared one
                  SELECT DISTINCT ON (c.id, pol.grade) c.id AS company_id,
                         pol.grade, pol.level2_after_hours AS l2,
                         pol.level3_after_hours AS l3
                    FROM res_company c
                    JOIN meddev_nonconformance_policy pol
                      ON pol.company_id = c.id OR pol.company_id IS NULL
                   ORDER BY c.id, pol.grade, pol.company_id NULLS LAST) p
                ON p.company_id = nc.company_id AND p.grade = nc.grade
             WHERE nc.state IN ('new', 'open') AND t.deadline < %(now)s
            """,
            now=now,
        )

    def _meddev_escalate_query(self, now, limit=None):
        return SQL(
            """
            WITH target AS (%(targets)s),
            due AS (
                SELECT * FROM target WHERE target.level > target.told
                 ORDER BY target.deadline, target.id LIMIT %(limit)s
            ),
            raised AS (
                UPDATE meddev_nonconformance nc
                   SET escalation_level = due.level,
                       escalation_kind = due.kind,
                       escalated_on = %(now)s
                  FROM due
                 WHERE nc.id = due.id
             RETURNING nc.id, nc.company_id, nc.user_id, nc.grade, due.kind,
                       due.deadline, due.level, due.told
            )
            INSERT INTO meddev_nonconformance_escalation
                   (nonconformance_id, company_id, date, level, kind, deadline,
                    overdue_hours, grade, user_id,
                    create_uid, create_date, write_uid, write_date)
            SELECT raised.id, raised.company_id, %(now)s, step::varchar,
                   raised.kind, raised.deadline,
                   round((extract(epoch FROM %(now)s - raised.deadline)
                          / 3600)::numeric, 1),
                   raised.grade, raised.user_id, %(uid)s, %(now)s, %(uid)s, %(now)s
              FROM raised
             CROSS JOIN LATERAL generate_series(raised.told + 1, raised.level) step
            RETURNING id, nonconformance_id
            """,
            targets=self._meddev_escalation_targets(now),
            limit=limit,
            now=now,
            uid=self.env.uid,
        )

    def _meddev_escalation_events(self, event_ids):
        """The escalations ``event_ids`` with their exception (the ``ev`` the
        statements below read)."""
        return SQL(
            """
            SELECT e.id, e.nonconformance_id, e.level, e.kind, nc.name,
                   nc.company_id, nc.user_id
              FROM meddev_nonconformance_escalation e
              JOIN meddev_nonconformance nc ON nc.id = e.nonconformance_id
             WHERE e.id = ANY(%s)
            """,
            event_ids,
        )

    def _meddev_escalation_recipients(self):
        """(escalation, user, partner) of each person to tell, from ``ev``:
        the owner at level 1 (the QA managers when there is none), the QA
        managers at level 2, the management representatives at level 3, each
        of the exception's company."""
        ref = self.env["ir.model.data"]._xmlid_to_res_id
        return SQL(
            """
            WITH member(level, company_id, user_id, partner_id) AS (
                SELECT CASE gu.gid WHEN %(director)s THEN '3' ELSE '2' END,
                       cu.cid, u.id, u.partner_id
                  FROM res_groups_users_rel gu
                  JOIN res_company_users_rel cu ON cu.user_id = gu.uid
                  JOIN res_users u ON u.id = gu.uid AND u.active
                 WHERE gu.gid IN (%(director)s, %(manager)s)
            )
            SELECT ev.id AS event_id, ev.nonconformance_id, ev.level, ev.kind,
                   ev.name, u.id AS user_id, u.partner_id
              FROM ev JOIN res_users u ON u.id = ev.user_id AND u.active
             WHERE ev.level = '1'
            UNION ALL
            SELECT ev.id, ev.nonconformance_id, ev.level, ev.kind, ev.name,
                   member.user_id, member.partner_id
              FROM ev JOIN member
                ON member.company_id = ev.company_id
               AND member.level = CASE WHEN ev.level = '1' AND ev.user_id IS NULL
                                       THEN '2' ELSE ev.level END
            """,
            director=ref(LEVEL_GROUPS[3]),
            manager=ref(LEVEL_GROUPS[2]),
        )

    def _meddev_escalation_texts(self):
        """VALUES (level, kind, summary, html note) in the cron user's language."""
        labels = {
            "1": self.env._("the owner"),
            "2": self.env._("the QA managers"),
            "3": self.env._("the management representative"),
        }
        kinds = {
            "containment": self.env._("containment"),
            "closure": self.env._("closure"),
        }
        rows = []
        for level, who in labels.items():
            for kind, what in kinds.items():
                summary = self.env._(
                    "Escalation %(level)s: %(kind)s overdue", level=level, kind=what
                )
                note = self.env._(
                    "Escalated to level %(level)s (%(who)s): the %(kind)s "
                    "deadline of this exception is missed.",
                    level=level,
                    who=who,
                    kind=what,
                )
                html_note = f"<p>{escape(note)}</p>"
                rows.append(SQL("(%s, %s, %s, %s)", level, kind, summary, html_note))
        return SQL("VALUES %s", SQL(", ").join(rows))

    def _meddev_escalation_notify_query(self, event_ids, now):
        """One statement: an activity per person told of each escalation; a
        chatter note per exception escalated (its highest level this run) with
        an inbox notification to each person told."""
        # ormcached ids: no query per run
        ref = self.env["ir.model.data"]._xmlid_to_res_id
        return SQL(
            """
            WITH ev AS (%(events)s),
            highest AS (
                SELECT DISTINCT ON (ev.nonconformance_id) ev.*
                  FROM ev ORDER BY ev.nonconformance_id, ev.level DESC
            ),
            note AS (
                -- the note's id taken first: its notifications need no join
                SELECT highest.*, nextval('mail_message_id_seq') AS message_id
                  FROM highest
            ),
            rcpt AS (%(recipients)s),
            wording(level, kind, summary, note) AS (%(texts)s),
            act AS (
                INSERT INTO mail_activity
                       (res_model_id, res_model, res_id, res_name, activity_type_id,
                        summary, note, date_deadline, user_id, automated, active,
                        create_uid, create_date, write_uid, write_date)
                SELECT %(model_id)s, %(model)s, rcpt.nonconformance_id, rcpt.name,
                       %(type)s, wording.summary, wording.note, %(today)s, rcpt.user_id,
                       true, true, %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM rcpt JOIN wording USING (level, kind)
                RETURNING id
            ),
            msg AS (
                INSERT INTO mail_message
                       (id, model, res_id, record_name, record_company_id, message_type,
                        subtype_id, body, author_id, date, message_id, is_internal,
                        create_uid, create_date, write_uid, write_date)
                SELECT note.message_id, %(model)s, note.nonconformance_id,
                       note.name, note.company_id, 'notification', %(subtype)s,
                       wording.note, %(author)s, %(now)s,
                       '<meddev-escalation-' || note.id || '@odoo>', true,
                       %(uid)s, %(now)s, %(uid)s, %(now)s
                  FROM note JOIN wording USING (level, kind)
                RETURNING id
            ),
            inbox AS (
                INSERT INTO mail_notification
                       (mail_message_id, res_partner_id, author_id, notification_type,
                        notification_status, is_read)
                SELECT DISTINCT note.message_id, rcpt.partner_id, %(author)s,
                       'inbox', 'sent', false
                  FROM rcpt JOIN note USING (nonconformance_id)
                RETURNING id
            )
            SELECT (SELECT count(*) FROM act), (SELECT count(*) FROM msg),
                   (SELECT count(*) FROM inbox)
            """,
            events=self._meddev_escalation_events(event_ids),
            recipients=self._meddev_escalation_recipients(),
            texts=self._meddev_escalation_texts(),
            model_id=self.env["ir.model"]._get_id(self._name),
            model=self._name,
            type=ref("meddev_quality.mail_activity_type_nc_escalation"),
            today=fields.Date.context_today(self, now),
            subtype=ref("mail.mt_note"),
            author=ref("base.partner_root"),
            uid=self.env.uid,
            now=now,
        )
