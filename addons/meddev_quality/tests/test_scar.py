from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .scar_case import ANSWER, PASSWORD, MeddevScarCase


@tagged("post_install", "-at_install")
class TestScar(MeddevScarCase):
    """A SCAR per role and state through the ORM: issued from an exception,
    answered, reviewed with segregation of duties, returned, escalated when
    overdue, counted in the scorecard, starting a for-cause evaluation."""

    def exception(self, partner=None, nc_type=None):
        return self.Nc.with_user(self.users["qa_engineer"]).create(
            {
                "type_id": (nc_type or self.nc_type).id,
                "description": "EO concentration below limits during exposure.",
                "partner_id": (partner or self.sterilizer).id,
                "location": "Chamber 2",
            }
        )

    def test_lifecycle_from_exception(self):
        exception = self.exception()
        action = exception.with_user(self.users["qa_engineer"]).action_issue_scar()
        scar = self.Scar.browse(action["res_id"])
        self.assertEqual(
            (scar.state, scar.source, scar.partner_id, scar.nonconformance_ref),
            ("draft", "nonconformance", self.sterilizer, exception.name),
        )
        self.assertTrue(scar.name.startswith("SCAR/"))
        self.assertEqual(scar.problem_statement, exception.description)
        scar.with_user(self.users["qa_engineer"]).date_due = self.today + timedelta(7)
        self.sign(scar, "issue", role="qa_engineer")
        self.assertEqual(
            (scar.state, scar.issued_by_id), ("issued", self.users["qa_engineer"])
        )
        self.assertIn("SCAR", "\n".join(exception._meddev_close_problems()))
        self.answer(scar)
        self.assertEqual((scar.state, scar.answered_by_id), ("answered", self.portal))
        self.assertTrue(scar.on_time)
        todos = scar.activity_ids.filtered("automated")
        self.assertIn(self.users["qa_manager"], todos.user_id)
        self.sign(scar, "accept", role="qa_manager", comment="Root cause convincing")
        self.assertEqual(scar.state, "accepted")
        self.assertFalse(scar.activity_ids)
        self.assertEqual(
            scar.signature_ids.mapped("action"), ["accept", "answer", "issue"]
        )
        self.assertEqual(exception.scar_count, 1)
        self.assertFalse([p for p in exception._meddev_close_problems() if "SCAR" in p])

    def test_issue_needs_supplier_and_open_exception(self):
        exception = self.exception()
        exception.partner_id = False
        with self.raises(UserError, "names no supplier"):
            exception.with_user(self.users["qa_engineer"]).action_issue_scar()
        self.assertFalse(exception.scar_ids)

    def test_roles(self):
        scar = self.new_scar()
        for role in ("qc_inspector", "planner", "auditor"):
            with self.subTest(role=role), self.assertRaises(AccessError):
                scar.with_user(self.users[role]).action_issue()
            with self.subTest(role=role), self.assertRaises(AccessError):
                scar.with_user(self.users[role]).with_context(
                    meddev_sign_action="issue"
                ).action_meddev_sign()
        with self.assertRaises(AccessError):
            self.new_scar(role="qc_inspector")
        with self.assertRaises(AccessError):
            scar.with_user(self.users["planner"]).write({"date_due": self.today})
        self.sign(scar, "issue", role="qa_engineer")
        with self.assertRaises(AccessError):
            scar.with_user(self.users["qa_engineer"]).with_context(
                audit_reason="wrong supplier"
            ).action_cancel()
        self.sign(scar, "cancel", role="qa_manager", comment="Issued to the wrong lot")
        self.assertEqual(
            (scar.state, scar.cancel_reason), ("cancel", "Issued to the wrong lot")
        )

    def test_steps_cannot_be_skipped(self):
        engineer = self.users["qa_engineer"]
        with self.raises(UserError, "first stage"):
            self.new_scar(state="issued")
        scar = self.new_scar()
        with self.raises(UserError, "changes only through its actions"):
            scar.with_user(engineer).write({"state": "accepted"})
        with self.raises(UserError, "set by its steps"):
            scar.with_user(engineer).write({"date_answered": fields.Datetime.now()})
        with self.raises(UserError, "needs your electronic signature"):
            scar.with_user(engineer).action_issue()
        with self.raises(UserError, "is only possible when"):
            self.sign(scar, "accept", role="qa_manager")
        self.assertEqual(scar.state, "draft")

    def test_issue_problems(self):
        scar = self.new_scar(date_due=False)
        with self.raises(UserError, "due date"):
            self.sign(scar, "issue", role="qa_engineer")
        scar.with_user(self.users["qa_engineer"]).date_due = self.today - timedelta(1)
        with self.raises(UserError, "due date is past"):
            self.sign(scar, "issue", role="qa_engineer")
        self.assertEqual(scar.state, "draft")

    def test_subject_fixed_once_issued(self):
        scar = self.issued_scar()
        for vals in (
            {"partner_id": self.coater.id},
            {"problem_statement": "Something else"},
        ):
            with self.subTest(vals=vals), self.raises(UserError, "fixed once"):
                scar.with_user(self.users["qa_engineer"]).write(vals)
        with self.raises(UserError, "Only draft"):
            scar.with_user(self.users["qa_engineer"]).unlink()

    def test_answer_only_while_issued(self):
        scar = self.new_scar()
        with self.raises(UserError, "only while the request is issued"):
            scar.with_user(self.users["qa_engineer"]).write({"d4_root_cause": "x"})
        self.sign(scar, "issue", role="qa_engineer")
        self.answer(scar)
        with self.raises(UserError, "only while the request is issued"):
            scar.with_user(self.portal).write({"d4_root_cause": "changed later"})
        with self.raises(UserError, "is only possible when"):
            scar.with_user(self.portal)._meddev_sign("answer", "test_md_scar_portal")
        self.assertEqual(scar.d4_root_cause, ANSWER["d4_root_cause"])

    def test_incomplete_answer_refused(self):
        scar = self.issued_scar()
        with self.raises(UserError, "D4 Root Cause"):
            self.answer(scar, values={**ANSWER, "d4_root_cause": " "})
        self.assertEqual(scar.state, "issued")
        self.assertFalse(scar.signature_ids.filtered(lambda s: s.action == "answer"))

    def test_review_segregation_of_duties(self):
        """QA records an answer received on paper: another QA user reviews."""
        scar = self.issued_scar()
        engineer = self.users["qa_engineer"]
        self.answer(scar, user=engineer, password=PASSWORD)
        self.assertEqual(scar.answered_by_id, engineer)
        for action in ("accept", "return_to_supplier"):
            with self.subTest(action=action), self.raises(UserError, "segregation"):
                self.sign(scar, action, role="qa_engineer", comment="Fine")
        self.sign(scar, "accept", role="qa_manager")
        self.assertEqual(scar.reviewed_by_id, self.users["qa_manager"])

    def test_return_to_supplier(self):
        scar = self.answered_scar()
        with self.raises(UserError, "needs a reason"):
            self.sign(scar, "return_to_supplier", role="qa_engineer")
        self.assertEqual(scar.state, "answered")
        reason = "D4: the root cause of the drift itself is not analysed"
        self.sign(scar, "return_to_supplier", role="qa_engineer", comment=reason)
        self.assertEqual(
            (scar.state, scar.return_reason, scar.return_count, scar.date_answered),
            ("issued", reason, 1, False),
        )
        scar.with_user(self.portal).write({"d4_root_cause": "Heater PID tuning"})
        scar.with_user(self.portal)._meddev_sign("answer", "test_md_scar_portal")
        self.assertEqual(scar.state, "answered")

    def test_overdue_escalation(self):
        """Simulated days past the due date: level 1 to the owner, a week
        later the QA managers, two weeks later the management
        representative; once per level, answered requests left alone."""
        scar = self.issued_scar()
        answered = self.answered_scar()
        other = self.issued_scar(
            partner=self.coater, date_due=self.today + timedelta(30)
        )
        due = scar.date_due
        Scar = self.Scar
        escalated = Scar._cron_escalate_overdue(today=due)
        self.assertFalse(escalated)
        escalated = Scar._cron_escalate_overdue(today=due + timedelta(1))
        self.assertIn(scar, escalated)
        self.assertNotIn(answered, escalated)
        self.assertNotIn(other, escalated)
        self.assertEqual(scar.escalation_level, 1)
        todos = scar.activity_ids.filtered(lambda a: "escalation" in (a.summary or ""))
        self.assertEqual(todos.user_id, self.users["qa_engineer"])
        self.assertIn("level 1", scar.message_ids[0].body)
        self.assertFalse(Scar._cron_escalate_overdue(today=due + timedelta(2)))
        Scar._cron_escalate_overdue(today=due + timedelta(8))
        self.assertEqual(scar.escalation_level, 2)
        self.assertIn(self.users["qa_manager"], scar.activity_ids.user_id)
        Scar._cron_escalate_overdue(today=due + timedelta(15))
        self.assertEqual(scar.escalation_level, 3)
        self.assertIn(self.users["quality_director"], scar.activity_ids.user_id)
        self.assertEqual(answered.escalation_level, 0)
        # the answer ends the overdue to-dos
        self.answer(scar)
        self.assertFalse(
            scar.activity_ids.filtered(lambda a: "escalation" in (a.summary or ""))
        )

    def test_scorecard_figures(self):
        on_time = self.answered_scar()
        self.sign(on_time, "accept", role="qa_manager")
        late = self.issued_scar()
        self.issued_scar(partner=self.coater)
        scorecard = self.env["meddev.supplier.scorecard"].create(
            {
                "partner_id": self.sterilizer.id,
                "date_from": self.today,
                "date_to": self.today + timedelta(30),
            }
        )
        scorecard.with_user(self.users["qa_engineer"]).action_compute()
        self.assertEqual(
            (
                scorecard.scar_count,
                scorecard.scar_answered_count,
                scorecard.scar_on_time_count,
                scorecard.scar_accepted_count,
                scorecard.scar_on_time_pct,
            ),
            (2, 1, 1, 1, 50.0),
        )
        self.assertEqual(late.state, "issued")

    def test_for_cause_evaluation(self):
        qualification = self.qualified(self.sterilizer, self.scope_eo)
        scar = self.issued_scar()
        with self.assertRaises(AccessError):
            scar.with_user(self.users["planner"]).action_start_evaluation()
        action = scar.with_user(self.users["qa_engineer"]).action_start_evaluation()
        evaluation = qualification.current_evaluation_id
        self.assertEqual(action["domain"], [("id", "in", evaluation.ids)])
        self.assertEqual(evaluation.evaluation_type, "for_cause")
        self.assertIn(scar.name, evaluation.trigger)
        self.assertEqual(scar.evaluation_id, evaluation)
        with self.raises(UserError, "no approved or suspended qualification"):
            scar.with_user(self.users["qa_engineer"]).action_start_evaluation()

    def test_report(self):
        scar = self.answered_scar()
        self.sign(scar, "accept", role="qa_manager", comment="Accepted")
        html, _kind = (
            self.env["ir.actions.report"]
            .with_user(self.users["auditor"])
            ._render_qweb_html("meddev_quality.report_meddev_scar", scar.ids)
        )
        html = html.decode()
        for text in (
            scar.name,
            "D4 Root Cause",
            ANSWER["d4_root_cause"],
            "Electronic Signatures",
            "Zhou Lei",
            self.users["qa_manager"].name,
        ):
            self.assertIn(text, html)
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(self.employee)._render_qweb_html(
                "meddev_quality.report_meddev_scar", scar.ids
            )

    def test_exception_closure_waits_for_scar(self):
        exception = self.exception(
            nc_type=self.env.ref("meddev_quality.nonconformance_type_transport_delay")
        )
        exception.with_user(self.users["qa_engineer"]).user_id = self.users[
            "qa_engineer"
        ]
        exception.with_user(self.users["qa_engineer"]).action_confirm()
        exception.with_user(self.users["qa_engineer"]).write(
            {"capa_required": "no", "capa_rationale": "A one-off calibration drift."}
        )
        scar = self.issued_scar(nonconformance_id=exception.id)
        self.assertEqual(scar.source, "nonconformance")
        with self.raises(UserError, scar.name):
            self.sign(exception, "close", role="qa_manager")
        self.assertEqual(exception.state, "open")
