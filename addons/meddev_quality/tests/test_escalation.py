from datetime import timedelta

import psycopg2
from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from .escalation_case import MeddevEscalationCase


@tagged("post_install", "-at_install")
class TestEscalation(MeddevEscalationCase):
    # ------------------------------------------------------------------
    # deadlines
    # ------------------------------------------------------------------
    def test_deadlines_per_grade(self):
        limits = {"critical": (24, 30), "major": (72, 60), "minor": (168, 90)}
        for grade, (hours, days) in limits.items():
            record = self.exception(grade)
            self.assertEqual(record.grade, grade)
            self.assertEqual(
                record.containment_deadline,
                record.create_date + timedelta(hours=hours),
            )
            self.assertEqual(
                record.closure_deadline - record.containment_deadline,
                timedelta(days=days) - timedelta(hours=hours),
            )
            self.assertFalse(record.containment_done_on)
            self.assertEqual(record.escalation_level, 0)

    def test_company_policy_wins_over_shared(self):
        self.env["meddev.nonconformance.policy"].create(
            {
                "company_id": self.env.company.id,
                "grade": "major",
                "containment_hours": 8,
                "closure_days": 10,
                "level2_after_hours": 4,
                "level3_after_hours": 12,
            }
        )
        record = self.exception("major")
        self.assertEqual(
            record.closure_deadline - record.containment_deadline,
            timedelta(days=10) - timedelta(hours=8),
        )

    def test_policy_limits_checked(self):
        with self.assertRaises(UserError):
            self.env["meddev.nonconformance.policy"].create(
                {
                    "company_id": self.env.company.id,
                    "grade": "minor",
                    "containment_hours": 8,
                    "closure_days": 10,
                    "level2_after_hours": 24,
                    "level3_after_hours": 12,
                }
            )

    def test_regrade_changes_deadlines(self):
        record = self.exception("minor")
        self.confirm(record)
        self.regrade(record, "critical")
        self.assertEqual(record.grade, "critical")
        self.assertEqual(
            record.containment_deadline, record.create_date + timedelta(hours=24)
        )
        self.assertEqual(
            record.closure_deadline, record.create_date + timedelta(days=30)
        )
        # the signature still matches: the deadlines follow from the grade
        self.assertFalse(record.signature_mismatch)

    def test_confirmation_is_the_containment(self):
        record = self.exception("critical")
        self.confirm(record)
        self.assertEqual(record.containment_done_on, record.confirmed_on)
        with freeze_time(self.later(record, 30)):
            self.assertFalse(record.containment_overdue)
            self.assertFalse(self.NC.search([("containment_overdue", "=", True)]))
            self.assertIn(record, self.NC.search([("containment_overdue", "!=", True)]))
            self.assertIn(record, self.NC.search([("closure_overdue", "=", False)]))

    # ------------------------------------------------------------------
    # escalation through time
    # ------------------------------------------------------------------
    def test_escalation_levels_through_time(self):
        record = self.exception("critical")
        with freeze_time(self.later(record, 23)):
            self.assertFalse(self.NC._meddev_escalate())
            self.assertFalse(record.containment_overdue)
        with freeze_time(self.later(record, 25)):
            events = self.NC._meddev_escalate()
            self.assertTrue(record.containment_overdue)
            self.assertIn(record, self.NC.search([("containment_overdue", "=", True)]))
        self.assertEqual(events.mapped("level"), ["1"])
        self.assertEqual(events.kind, "containment")
        self.assertAlmostEqual(events.overdue_hours, 1.0, delta=0.1)
        self.assertEqual(record.escalation_level, 1)
        self.assertEqual(self.activity_users(record, 1), self.users["qa_engineer"])
        note = record.message_ids.filtered(lambda m: "Escalated to level 1" in m.body)
        self.assertTrue(note)
        self.assertIn(
            self.users["qa_engineer"].partner_id,
            note.notification_ids.filtered(
                lambda n: n.notification_type == "inbox"
            ).res_partner_id,
        )
        mail = self.env["mail.mail"].search(
            [("recipient_ids", "in", self.users["qa_engineer"].partner_id.ids)]
        )
        self.assertEqual(len(mail), 1)
        self.assertIn("escalated to you", mail.subject)
        self.assertIn(record.name, mail.body_html)
        with freeze_time(self.later(record, 49)):
            self.assertEqual(self.NC._meddev_escalate().mapped("level"), ["2"])
        managers = self.activity_users(record, 2)
        self.assertIn(self.users["qa_manager"], managers)
        self.assertNotIn(self.users["qa_engineer"], managers)
        with freeze_time(self.later(record, 97)):
            self.assertEqual(self.NC._meddev_escalate().mapped("level"), ["3"])
        # the management representatives (the demo's too, where installed)
        told = self.activity_users(record, 3)
        self.assertIn(self.users["quality_director"], told)
        self.assertNotIn(self.users["qa_manager"], told)
        self.assertEqual(record.escalation_level, 3)
        self.assertEqual(len(record.escalation_ids), 3)

    def test_no_double_escalation(self):
        record = self.exception("critical")
        with freeze_time(self.later(record, 25)):
            self.assertTrue(self.NC._meddev_escalate())
            activities = len(record.activity_ids)
            self.assertFalse(self.NC._meddev_escalate())
        self.assertEqual(len(record.escalation_ids), 1)
        self.assertEqual(len(record.activity_ids), activities)

    def test_jump_records_each_level(self):
        record = self.exception("critical")
        with freeze_time(self.later(record, 200)):
            events = self.NC._meddev_escalate()
        self.assertEqual(sorted(events.mapped("level")), ["1", "2", "3"])
        self.assertEqual(self.activity_users(record, 1), self.users["qa_engineer"])
        self.assertTrue(self.activity_users(record, 3))

    def test_without_owner_the_qa_managers_are_told(self):
        record = self.exception("critical", user_id=False)
        with freeze_time(self.later(record, 25)):
            self.NC._meddev_escalate()
        self.assertIn(self.users["qa_manager"], self.activity_users(record, 1))

    def test_closure_deadline_after_containment(self):
        record = self.exception("critical")
        self.confirm(record)
        with freeze_time(self.later(record, 200)):
            self.assertFalse(self.NC._meddev_escalate())
        with freeze_time(self.later(record, 30 * 24 + 1)):
            events = self.NC._meddev_escalate()
            self.assertTrue(record.closure_overdue)
        self.assertEqual(events.kind, "closure")
        self.assertEqual(events.level, "1")
        self.assertEqual(record.escalation_kind, "closure")

    def test_closed_and_cancelled_not_escalated(self):
        closed, cancelled, running = self.exceptions(3)
        self.close(closed)
        self.cancel(cancelled)
        with freeze_time(self.later(running, 500)):
            events = self.NC._meddev_escalate()
        self.assertEqual(events.nonconformance_id, running)
        self.assertFalse(closed.escalation_ids or cancelled.escalation_ids)
        self.assertEqual(closed.escalation_level, 0)

    def test_cron_query_count_is_constant(self):
        """As many queries for 50 exceptions as for 5 (after a warm-up run
        that fills Odoo's caches)."""

        def counted(records):
            self.env.flush_all()
            with freeze_time(self.later(records[0], 25)):
                start = self.env.cr.sql_log_count
                events = self.NC._meddev_escalate()
                count = self.env.cr.sql_log_count - start
            self.assertEqual(len(events), len(records))
            return count

        counted(self.exceptions(2))
        small = counted(self.exceptions(5))
        large = counted(self.exceptions(50))
        self.assertEqual(small, large)
        # the escalation, the notification statements and the digest mails
        self.assertLessEqual(large, 8)

    def test_backlog_in_batches_oldest_first(self):
        records = self.exceptions(5)
        self.env.flush_all()
        # two of them past their containment deadline for two days already
        self.env.cr.execute(
            SQL(
                "UPDATE meddev_nonconformance SET containment_deadline = "
                "containment_deadline - interval '2 days' WHERE id IN %s",
                tuple(records[3:].ids),
            )
        )
        now = self.later(records[0], 1)
        first = self.NC._meddev_escalate(now=now, limit=2)
        self.assertEqual(first.nonconformance_id, records[3:])
        self.assertEqual(self.NC._meddev_escalation_pending(now), 0)
        later = self.later(records[0], 25)
        self.assertEqual(self.NC._meddev_escalation_pending(later), 3)
        second = self.NC._meddev_escalate(now=later, limit=2)
        self.assertEqual(len(second.nonconformance_id), 2)
        self.assertEqual(self.NC._meddev_escalation_pending(later), 1)

    def test_cron_entry_point(self):
        record = self.exception("critical")
        with freeze_time(self.later(record, 25)):
            self.env.ref(
                "meddev_quality.ir_cron_meddev_nonconformance_escalate"
            ).method_direct_trigger()
        self.assertEqual(record.escalation_level, 1)

    # ------------------------------------------------------------------
    # nobody but the server sets them
    # ------------------------------------------------------------------
    def test_users_cannot_write_deadlines_or_levels(self):
        record = self.exception("major")
        later = fields.Datetime.now() + timedelta(days=365)
        for role in ("qa_engineer", "qa_manager", "quality_director"):
            mine = record.with_user(self.users[role])
            for vals in (
                {"containment_deadline": later},
                {"closure_deadline": later},
                {"containment_done_on": fields.Datetime.now()},
                {"escalation_level": 0},
                {"escalation_kind": "closure"},
            ):
                with self.subTest(role=role, vals=vals), self.assertRaises(UserError):
                    mine.write(vals)
        with self.assertRaises(UserError):
            self.exception("major", closure_deadline=later)
        with self.assertRaises(UserError):
            self.exception("major", escalation_level=3)
        self.assertLess(record.closure_deadline, later)

    def test_escalations_never_changed_or_deleted(self):
        record = self.exception("critical")
        with freeze_time(self.later(record, 25)):
            event = self.NC._meddev_escalate()
        manager = event.with_user(self.users["qa_manager"])
        self.assertEqual(manager.level, "1")
        with self.assertRaises(UserError):
            manager.write({"level": "3"})
        with self.assertRaises(UserError):
            manager.unlink()
        with self.assertRaises(UserError):
            self.Escalation.with_user(self.users["qa_manager"]).create(
                {
                    "nonconformance_id": record.id,
                    "company_id": record.company_id.id,
                    "date": fields.Datetime.now(),
                    "level": "1",
                    "kind": "closure",
                    "deadline": fields.Datetime.now(),
                }
            )
        with self.assertRaises(UserError):
            event.sudo().write({"level": "3"})
        with self.assertRaises(UserError):
            event.sudo().unlink()
        # the database refuses it too, whoever asks
        with (
            mute_logger("odoo.sql_db"),
            self.assertRaises(psycopg2.errors.InsufficientPrivilege),
            self.env.cr.savepoint(),
        ):
            self.env.cr.execute(
                SQL(
                    "DELETE FROM meddev_nonconformance_escalation WHERE id = %s",
                    event.id,
                )
            )
        self.assertTrue(event.exists())
