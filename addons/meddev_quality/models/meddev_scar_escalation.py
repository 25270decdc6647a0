from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

# each week past the due date raises the escalation by one level
ESCALATION_DAYS = 7
# who is told at each level: the SCAR's QA owner, the QA managers, the
# management representative (quality director)
LEVEL_GROUPS = {
    2: "meddev_base.group_meddev_qa_manager",
    3: "meddev_base.group_meddev_quality_director",
}
MAX_LEVEL = 3
# the qualifications a for-cause evaluation re-evaluates
EVALUATED_STATES = ("qualified", "conditional", "suspended")


class MeddevScar(models.Model):
    """Overdue escalation of SCARs and the for-cause evaluation they start."""

    _inherit = "meddev.scar"

    # ------------------------------------------------------------------
    # overdue escalation (daily scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue(self, today=None):
        """Escalate the issued requests past their due date, in set
        operations: one search, one write per level, one batch of to-dos and
        one batch of chatter notes. A request one day overdue reaches level 1
        (its QA owner), a week later level 2 (the QA managers), two weeks
        later level 3 (the management representative)."""
        today = today or fields.Date.context_today(self)
        # the scheduled action escalates every company's requests
        scars = self.sudo().search(
            [
                ("state", "=", "issued"),
                ("date_due", "<", today),
                ("escalation_level", "<", MAX_LEVEL),
            ]
        )
        by_level = defaultdict(list)
        for scar in scars:
            level = min(MAX_LEVEL, 1 + (today - scar.date_due).days // ESCALATION_DAYS)
            if level > scar.escalation_level:
                by_level[level].append(scar.id)
        reason = system_reason(self.env, _lt("Overdue SCAR escalated"))
        for level, ids in by_level.items():
            self.sudo().browse(ids).with_context(
                audit_reason=reason
            )._meddev_server_write({"escalation_level": level, "escalated_on": today})
        escalated = self.sudo().browse([i for ids in by_level.values() for i in ids])
        escalated._meddev_escalation_todos(today)
        return escalated

    def _meddev_escalation_users(self):
        """{level: users told} for these requests' levels (owners apart)."""
        result = {}
        for level, xmlid in LEVEL_GROUPS.items():
            result[level] = self.env.ref(xmlid).users.filtered(
                lambda user: user.active and not user.share
            )
        return result

    def _meddev_escalation_todos(self, today):
        """One batch of to-dos and one batch of chatter notes."""
        if not self:
            return
        users_by_level = self._meddev_escalation_users()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        values, bodies = [], {}
        for scar in self:
            level = scar.escalation_level
            users = users_by_level.get(level) or scar.user_id
            if not users:
                users = users_by_level[2]
            summary = self.env._(
                "SCAR overdue: escalation level %(level)s", level=level
            )
            bodies[scar.id] = self.env._(
                "%(scar)s is past its response due date (%(due)s) unanswered: "
                "escalated to level %(level)s (%(users)s).",
                scar=scar.name,
                due=scar.date_due,
                level=level,
                users=", ".join(users.mapped("name")),
            )
            values += [
                {
                    "res_model_id": model_id,
                    "res_id": scar.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": summary,
                    "date_deadline": today,
                    # done when the supplier answers (_meddev_todos_done)
                    "automated": True,
                }
                for user in users
            ]
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            values
        )
        self._message_log_batch(bodies)

    # ------------------------------------------------------------------
    # for-cause evaluation of the supplier
    # ------------------------------------------------------------------
    def _meddev_qualifications_to_evaluate(self):
        """The supplier's qualifications a for-cause evaluation starts on:
        those of the exception's process step when it has one."""
        self.ensure_one()
        domain = [
            ("meddev_supplier_id", "=", self.partner_id.id),
            ("state", "in", EVALUATED_STATES),
            ("current_evaluation_id", "=", False),
        ]
        # the exception's process step narrows them, whatever the user may
        # read of the exception
        scope = self.sudo().nonconformance_id.process_id
        if scope:
            domain.append(("scope_id", "=", scope.id))
        return self.env["meddev.supplier.qualification"].search(domain)

    def action_start_evaluation(self):
        """Start a for-cause evaluation of the supplier (the qualification's
        stage permission *Start Evaluation* decides who may)."""
        self.ensure_one()
        if self.state in ("draft", "cancel"):
            raise UserError(
                self.env._(
                    "%(scar)s is not issued: a for-cause evaluation follows an "
                    "issued request.",
                    scar=self.name,
                )
            )
        qualifications = self._meddev_qualifications_to_evaluate()
        if not qualifications:
            raise UserError(
                self.env._(
                    "%(supplier)s has no approved or suspended qualification "
                    "without an evaluation in progress to re-evaluate.",
                    supplier=self.partner_id.display_name,
                )
            )
        trigger = self.env._(
            "SCAR %(scar)s (%(state)s)",
            scar=self.name,
            state=dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ],
        )
        qualifications.with_context(
            meddev_evaluation_type="for_cause", meddev_evaluation_trigger=trigger
        ).action_start_evaluation()
        evaluations = qualifications.current_evaluation_id
        self._meddev_server_write({"evaluation_id": evaluations[:1].id})
        self.message_post(
            body=self.env._(
                "For-cause evaluation started: %(evaluations)s",
                evaluations=", ".join(evaluations.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("For-Cause Evaluation"),
            "res_model": "meddev.supplier.evaluation",
            "view_mode": "list,form",
            "domain": [("id", "in", evaluations.ids)],
        }
