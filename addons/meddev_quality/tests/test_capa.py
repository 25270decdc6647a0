"""CAPA (ISO 13485 §8.5.2/§8.5.3) per role and state: the root cause before
the plan, the signed plan approval, the owners' actions, the effectiveness
check (its segregation from the plan's approval, a failure reopening the
CAPA), the closure, the due date extension and the exception's link."""

import shutil
from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .capa_case import MeddevCapaCase
from .test_inspection_report import pdf_text


@tagged("post_install", "-at_install")
class TestCapaPlan(MeddevCapaCase):
    def test_root_cause_required_before_the_plan(self):
        capa = self.capa()
        capa.with_user(self.users["qa_engineer"]).action_start()
        self.plan(capa)
        engineer = capa.with_user(self.users["qa_engineer"])
        with self.assertRaisesRegex(UserError, "root-cause method"):
            engineer.action_submit_plan()
        engineer.write({"root_cause_method": "five_why", "why_1": "a", "why_2": "b"})
        with self.assertRaisesRegex(UserError, "Why 3, Why 4, Why 5"):
            engineer.action_submit_plan()
        engineer.write({"root_cause_method": "fishbone", "cause_man": "trained"})
        with self.assertRaisesRegex(UserError, "Machine"):
            engineer.action_submit_plan()
        # the approval checks it as well, whatever the state says
        with self.assertRaises(UserError):
            self.sign(capa, "approve_plan", "qa_manager")
        self.assertEqual(capa.state, "investigation")
        self.assertIn("root-cause category (6M)", capa.plan_problems or "")
        self.five_why(capa)
        engineer.action_submit_plan()
        self.assertEqual(capa.state, "plan")
        self.assertEqual(capa.plan_submitted_by_id, self.users["qa_engineer"])

    def test_plan_is_fixed_once_submitted(self):
        capa = self.capa()
        capa.with_user(self.users["qa_engineer"]).action_start()
        self.five_why(capa)
        self.plan(capa)
        capa.with_user(self.users["qa_engineer"]).action_submit_plan()
        with self.assertRaisesRegex(UserError, "submitted"):
            capa.with_user(self.users["qa_manager"]).root_cause = "Something else"
        with self.assertRaises(UserError):
            capa.action_ids.with_user(self.users["qa_manager"]).date_due = (
                self.today + timedelta(days=30)
            )
        # returned with a reason, the analysis is open again
        self.sign(capa, "return_plan", "qa_manager", comment="Why 4 is a symptom")
        self.assertEqual(capa.state, "investigation")
        capa.with_user(self.users["qa_engineer"]).why_4 = "Rate increase not notified."

    def test_non_qa_cannot_approve(self):
        capa = self.capa()
        capa.with_user(self.users["qa_engineer"]).action_start()
        self.five_why(capa)
        self.plan(capa)
        capa.with_user(self.users["qa_engineer"]).action_submit_plan()
        with self.assertRaises(AccessError):
            capa.with_user(self.users["planner"]).action_approve_plan()
        with self.assertRaises(AccessError):
            capa.with_user(self.users["qa_engineer"]).action_approve_plan()
        # the signing button refuses before its dialog opens
        with self.assertRaises(AccessError):
            capa.with_user(self.users["qa_engineer"]).with_context(
                meddev_sign_action="approve_plan"
            ).action_meddev_sign()
        # the QA manager's approval is signed, never a plain call
        with self.assertRaisesRegex(UserError, "electronic signature"):
            capa.with_user(self.users["qa_manager"]).action_approve_plan()
        with self.assertRaises(UserError):
            capa.with_user(self.users["qa_manager"]).write({"state": "implementation"})
        self.assertEqual(capa.state, "plan")
        self.sign(capa, "approve_plan", "qa_manager")
        self.assertEqual(capa.state, "implementation")
        self.assertEqual(capa.plan_approved_by_id, self.users["qa_manager"])

    def test_bad_input_refused_with_nothing_written(self):
        before = self.Capa.search_count([])
        with self.assertRaises(UserError):
            self.capa(source="trend")
        with self.assertRaises(UserError):
            self.capa(effectiveness_result="effective")
        with self.assertRaises(UserError):
            self.capa(state="closed")
        with self.assertRaises(ValidationError):
            self.capa(date_due=self.today - timedelta(days=1))
        with self.assertRaises(AccessError):
            self.capa(role="planner")
        self.assertEqual(self.Capa.search_count([]), before)
        capa = self.capa()
        with self.assertRaises(UserError):
            capa.with_user(self.users["qa_manager"]).unlink()
        with self.assertRaises(UserError):
            capa.with_user(self.users["qa_manager"]).recurrence = True


@tagged("post_install", "-at_install")
class TestCapaImplementation(MeddevCapaCase):
    def test_approval_gives_each_owner_a_todo_and_only_the_owner_marks_done(self):
        capa = self.in_implementation()
        action = capa.action_ids
        todo = action.activity_id
        self.assertEqual(todo.user_id, self.users["planner"])
        self.assertEqual(todo.res_id, capa.id)
        self.assertEqual(todo.date_deadline, action.date_due)
        with self.assertRaises(UserError):
            action.with_user(self.users["qa_engineer"]).action_done()
        with self.assertRaisesRegex(UserError, "say what was done"):
            action.with_user(self.users["planner"]).action_done()
        with self.assertRaises(UserError):
            action.with_user(self.users["planner"]).name = "Something easier"
        with self.assertRaises(UserError):
            action.with_user(self.users["planner"]).state = "done"
        # the implementation is not done while an action is open
        with self.assertRaisesRegex(UserError, "not done yet"):
            self.sign(capa, "complete_implementation", "qa_engineer")
        self.mark_done(action)
        self.assertEqual(action.state, "done")
        self.assertEqual(action.done_by_id, self.users["planner"])
        self.assertFalse(todo.exists())
        with self.assertRaises(AccessError):
            capa.with_user(self.users["planner"]).action_complete_implementation()
        self.sign(capa, "complete_implementation", "qa_engineer")
        self.assertEqual(capa.state, "effectiveness")
        self.assertEqual(capa.effectiveness_result, "pending")

    def test_action_added_during_implementation_gets_its_todo(self):
        capa = self.in_implementation()
        capa.with_user(self.users["qa_engineer"]).write(
            {
                "action_ids": [
                    Command.create(
                        {
                            "name": "Retrain the operators",
                            "user_id": self.users["qc_inspector"].id,
                            "date_due": self.today,
                        }
                    )
                ]
            }
        )
        added = capa.action_ids.filtered(lambda a: a.name == "Retrain the operators")
        self.assertEqual(added.activity_id.user_id, self.users["qc_inspector"])


@tagged("post_install", "-at_install")
class TestCapaEffectiveness(MeddevCapaCase):
    def test_closure_without_verified_effectiveness_refused(self):
        capa = self.in_effectiveness()
        with self.assertRaisesRegex(UserError, "effectiveness is not verified"):
            self.sign(capa, "close", "qa_manager")
        with self.assertRaises(UserError):
            capa.with_user(self.users["qa_manager"]).write({"state": "closed"})
        with self.assertRaises(UserError):
            capa.with_user(self.users["qa_manager"]).write(
                {"effectiveness_result": "effective"}
            )
        self.assertEqual(capa.state, "effectiveness")

    def test_plan_approver_may_not_verify_and_director_closes_the_loop(self):
        capa = self.in_effectiveness()
        with self.assertRaisesRegex(UserError, "segregation of duties"):
            self.sign(capa, "verify_effectiveness", "qa_manager", comment="10 lots OK")
        with self.assertRaises(AccessError):
            capa.with_user(self.users["qa_engineer"]).action_verify_effectiveness()
        with self.assertRaisesRegex(UserError, "needs a reason"):
            self.sign(capa, "verify_effectiveness", "quality_director")
        self.sign(capa, "verify_effectiveness", "quality_director", comment="OK")
        self.assertEqual(capa.effectiveness_result, "effective")
        self.assertEqual(capa.verified_by_id, self.users["quality_director"])
        self.assertEqual(capa.effectiveness_check_ids.result, "effective")
        self.sign(capa, "close", "qa_manager")
        self.assertEqual(capa.state, "closed")
        self.assertEqual(
            capa.signature_ids.sorted("id").mapped("action"),
            [
                "approve_plan",
                "complete_implementation",
                "verify_effectiveness",
                "close",
            ],
        )

    def test_check_not_before_its_date(self):
        capa = self.in_effectiveness()
        # the check date is part of the plan; here set on the server
        capa.sudo().effectiveness_date = self.today + timedelta(days=5)
        with self.assertRaisesRegex(UserError, "not before"):
            self.sign(capa, "verify_effectiveness", "quality_director", comment="OK")

    def test_failing_effectiveness_reopens_with_history(self):
        capa = self.in_effectiveness()
        self.sign(
            capa,
            "fail_effectiveness",
            "quality_director",
            comment="Lot 7 out of tolerance again",
        )
        self.assertEqual(capa.state, "implementation")
        self.assertEqual(capa.effectiveness_result, "not_effective")
        check = capa.effectiveness_check_ids
        self.assertEqual(check.result, "not_effective")
        self.assertEqual(check.comment, "Lot 7 out of tolerance again")
        self.assertEqual(check.user_id, self.users["quality_director"])
        reopened = capa.activity_ids.filtered(
            lambda a: a.user_id == capa.user_id and "reopened" in (a.summary or "")
        )
        self.assertTrue(reopened)
        with self.assertRaises(UserError):
            self.sign(capa, "close", "qa_manager")
        # implemented again, verified, closed: both checks stay
        self.sign(capa, "complete_implementation", "qa_engineer")
        self.sign(capa, "verify_effectiveness", "quality_director", comment="OK")
        self.sign(capa, "close", "qa_manager")
        self.assertEqual(
            capa.effectiveness_check_ids.mapped("result"),
            ["not_effective", "effective"],
        )

    def test_report_prints_labels_root_cause_and_signatures(self):
        capa = self.in_effectiveness()
        self.sign(capa, "verify_effectiveness", "quality_director", comment="OK")
        Report = self.env["report.meddev_quality.report_meddev_capa"]
        values = Report.with_user(self.users["qc_inspector"])._get_report_values(
            capa.ids
        )
        self.assertEqual(values["labels"]["title"][0], "CAPA Report")
        rows = values["cause_rows"](capa)
        self.assertEqual([row[0][0] for row in rows][:2], ["Why 1", "Why 2"])
        html = (
            self.env["ir.actions.report"]
            .with_user(self.users["qc_inspector"])
            ._render_qweb_html("meddev_quality.action_report_meddev_capa", capa.ids)[0]
            .decode()
        )
        for text in (capa.name, "Control plan lacks in-process OD checks.", "5 Why"):
            self.assertIn(text, html)
        self.assertIn("Electronic Signatures", html)
        self.assertIn(self.users["quality_director"].name, html)


@tagged("post_install", "-at_install")
class TestCapaExtension(MeddevCapaCase):
    def request(self, capa, role="qa_engineer", **vals):
        return (
            self.env["meddev.capa.extension"]
            .with_user(self.users[role])
            .create(
                {
                    "capa_id": capa.id,
                    "new_date": capa.date_due + timedelta(days=30),
                    "reason": "Tooling supplier delivers the gauge late.",
                    **vals,
                }
            )
        )

    def test_due_date_moves_only_by_a_signed_request(self):
        capa = self.in_implementation()
        old = capa.date_due
        with self.assertRaisesRegex(UserError, "set by its steps"):
            capa.with_user(self.users["qa_manager"]).date_due = old + timedelta(30)
        Extension = self.env["meddev.capa.extension"]
        count = Extension.search_count([])
        with self.assertRaises(ValidationError):
            self.request(capa, new_date=old - timedelta(days=1))
        with self.assertRaises(ValidationError):
            self.request(capa, reason=" ")
        self.assertEqual(Extension.search_count([]), count)
        request = self.request(capa, role="planner")
        request.with_user(self.users["planner"]).action_request()
        self.assertEqual(request.current_date, old)
        with self.assertRaises(UserError):
            request.with_user(self.users["planner"]).new_date = old + timedelta(60)
        with self.assertRaises(AccessError):
            request.with_user(self.users["qa_engineer"]).action_approve()
        with self.assertRaisesRegex(UserError, "electronic signature"):
            request.with_user(self.users["qa_manager"]).action_approve()
        self.assertEqual(capa.date_due, old)
        self.sign(request, "approve", "qa_manager")
        self.assertEqual(request.state, "approved")
        self.assertEqual(capa.date_due, old + timedelta(days=30))

    def test_action_extension_moves_the_todo_and_requester_may_not_approve(self):
        capa = self.in_implementation()
        action = capa.action_ids
        request = self.request(
            capa,
            role="qa_manager",
            action_id=action.id,
            new_date=action.date_due + timedelta(days=14),
        )
        request.with_user(self.users["qa_manager"]).action_request()
        with self.assertRaisesRegex(UserError, "segregation of duties"):
            self.sign(request, "approve", "qa_manager")
        self.sign(request, "approve", "quality_director")
        self.assertEqual(action.date_due, self.today + timedelta(days=14))
        self.assertEqual(action.activity_id.date_deadline, action.date_due)

    def test_rejected_request_keeps_the_date(self):
        capa = self.in_implementation()
        request = self.request(capa)
        request.with_user(self.users["qa_engineer"]).action_request()
        self.sign(request, "reject", "qa_manager", comment="Use the spare gauge")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(request.decision_comment, "Use the spare gauge")
        self.assertEqual(capa.date_due, request.current_date)


@tagged("post_install", "-at_install")
class TestExceptionCapa(MeddevCapaCase):
    def test_capa_required_needs_a_linked_capa_and_qa_opens_it(self):
        exception = self.exception()
        exception.sudo().write(
            {
                "state": "open",
                "capa_required": "yes",
                "capa_rationale": "Repeated thread OD deviations",
            }
        )
        self.assertIn("CAPA is required", exception.close_problems)
        with self.assertRaises(UserError):
            self.sign(exception, "close", "qa_manager")
        with self.assertRaises(AccessError):
            exception.with_user(self.users["qc_inspector"]).action_open_capa()
        exception.with_user(self.users["qa_engineer"]).action_open_capa()
        capa = exception.capa_id
        self.assertEqual(capa.source, "nonconformance")
        self.assertEqual(
            (capa.product_id, capa.partner_id, capa.nc_type_id),
            (self.product, self.supplier, self.lot_type),
        )
        self.assertFalse(exception.close_problems)
        with self.assertRaisesRegex(UserError, "already has a CAPA"):
            exception.with_user(self.users["qa_engineer"]).action_open_capa()
        # a cancelled CAPA does not count
        self.sign(capa, "cancel", "qa_manager", comment="Opened twice")
        self.assertIn("CAPA is required", exception.close_problems)


@tagged("post_install", "-at_install")
class TestCapaPdf(MeddevCapaCase):
    def test_pdf_as_the_qc_inspector(self):
        if not shutil.which("pdftotext"):
            self.skipTest("pdftotext (poppler-utils) is not installed")
        capa = self.in_effectiveness()
        self.sign(capa, "verify_effectiveness", "quality_director", comment="OK")
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report.with_user(self.users["qc_inspector"])._render_qweb_pdf(
            "meddev_quality.action_report_meddev_capa", capa.ids
        )
        self.assertEqual(kind, "pdf")
        text = pdf_text(pdf)
        for expected in (capa.name, "CAPA Report", "Root Cause", "Effective"):
            self.assertIn(expected, text)
