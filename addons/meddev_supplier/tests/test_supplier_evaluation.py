from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestSupplierEvaluation(MeddevSupplierCase):
    """Evaluations on scored checklists: started from the qualification,
    answered and signed by the evaluator, and deciding what the QA manager may
    approve."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Evaluation = cls.env["meddev.supplier.evaluation"]
        cls.eo_checklist = cls.env.ref(
            "meddev_supplier.evaluation_template_sterilization"
        )
        cls.general_checklist = cls.env.ref(
            "meddev_supplier.evaluation_template_general"
        )

    def start(self, partner=None, scope=None, role="qa_engineer"):
        user = self.users[role]
        qualification = self.Qualification.with_user(user).create(
            {
                "partner_id": (partner or self.sterilizer).id,
                "scope_id": (scope or self.scope_eo).id,
                "risk_class": "A",
            }
        )
        qualification.action_start_evaluation()
        return qualification, qualification.current_evaluation_id.with_user(user)

    def answer(self, evaluation, scores, evidence="Seen on site"):
        """``scores``: one answer per line, in the checklist's order."""
        for line, score in zip(evaluation.line_ids, scores, strict=True):
            line.write({"score": score, "evidence": evidence})

    def test_start_copies_the_checklist_of_the_scope(self):
        qualification, evaluation = self.start()
        self.assertEqual(qualification.state, "under_evaluation")
        self.assertTrue(evaluation.name.startswith("SE/"))
        self.assertEqual(evaluation.evaluation_type, "initial")
        self.assertEqual(evaluation.template_id, self.eo_checklist)
        self.assertEqual(evaluation.partner_id, self.sterilizer)
        self.assertEqual(evaluation.evaluator_id, self.users["qa_engineer"])
        self.assertEqual(len(evaluation.line_ids), len(self.eo_checklist.line_ids))
        self.assertEqual(
            evaluation.line_ids.mapped("criterion"),
            self.eo_checklist.line_ids.mapped("criterion"),
        )
        self.assertEqual(evaluation.qualified_threshold, 80.0)
        # a scope without its own checklist gets the general one
        _machining, other = self.start(self.machining, self.scope_cnc)
        self.assertEqual(other.template_id, self.general_checklist)
        # a later change of the checklist leaves the evaluation as it was
        self.eo_checklist.line_ids[0].criterion = "Changed criterion"
        self.assertNotEqual(evaluation.line_ids[0].criterion, "Changed criterion")

    def test_score_and_recommendation(self):
        _qualification, evaluation = self.start()
        lines = evaluation.line_ids
        weights = lines.mapped("weight")
        self.assertFalse(evaluation.recommendation)
        # every criterion 4 of 5: 80 %, qualifies
        self.answer(evaluation, ["4"] * len(lines))
        self.assertAlmostEqual(evaluation.score_pct, 80.0)
        self.assertEqual(evaluation.recommendation, "qualified")
        # every criterion 3: 60 %, conditional
        lines.write({"score": "3"})
        self.assertAlmostEqual(evaluation.score_pct, 60.0)
        self.assertEqual(evaluation.recommendation, "conditional")
        # weighted: one weight-3 criterion at 0, the others at 5
        heavy = lines.filtered(lambda line: line.weight == 3)[:1]
        lines.write({"score": "5"})
        heavy.write({"score": "0"})
        expected = 100.0 * (sum(weights) - 3) / sum(weights)
        self.assertAlmostEqual(evaluation.score_pct, expected, places=1)
        # ... but it is critical: not approvable whatever the total
        self.assertTrue(heavy.critical)
        self.assertTrue(evaluation.critical_failed)
        self.assertTrue(heavy.below_critical_minimum)
        self.assertEqual(evaluation.recommendation, "not_approvable")
        # a non-critical criterion not applicable is left out of the total
        minor = lines.filtered(lambda line: not line.critical)[:1]
        heavy.write({"score": "5"})
        minor.write({"score": "na"})
        self.assertAlmostEqual(evaluation.score_pct, 100.0)
        self.assertEqual(evaluation.recommendation, "qualified")
        # a critical one cannot be not applicable
        with self.assertRaises(UserError):
            heavy.write({"score": "na"})

    def test_complete_needs_every_answer_and_evidence(self):
        qualification, evaluation = self.start()
        lines = evaluation.line_ids
        lines[:-1].write({"score": "5"})
        with self.raises(UserError, "is not answered"):
            self.sign(evaluation, "complete", role="qa_engineer")
        lines[-1].write({"score": "2"})
        with self.raises(UserError, "needs the evidence"):
            self.sign(evaluation, "complete", role="qa_engineer")
        self.assertEqual(evaluation.state, "in_progress")
        lines[-1].write({"evidence": "Two lots without cycle record"})
        # without the signature, refused
        with self.raises(UserError, "electronic signature"):
            evaluation.action_complete()
        signature = self.sign(evaluation, "complete", role="qa_engineer")
        self.assertEqual(signature.meaning, "authored")
        self.assertEqual(evaluation.state, "completed")
        self.assertEqual(evaluation.completed_by_id, self.users["qa_engineer"])
        self.assertEqual(evaluation.date_completed, self.today)
        # the signature binds the answers
        content = evaluation._meddev_signed_content()
        self.assertEqual(len(content["answers"]), len(lines))
        self.assertTrue(signature.matches)
        # answers are fixed once completed
        with self.raises(UserError, "fixed"):
            lines[-1].write({"score": "5"})
        with self.assertRaises(AccessError):
            lines[-1].unlink()
        # reopened with a reason, before the decision
        with self.raises(UserError, "reason"):
            evaluation.action_reopen()
        evaluation.with_context(audit_reason="Cycle records received").action_reopen()
        self.assertEqual(evaluation.state, "in_progress")
        self.assertFalse(evaluation.completed_by_id)
        lines[-1].write({"score": "4"})
        self.assertEqual(qualification.current_evaluation_id, evaluation)

    def test_decision_follows_the_recommendation(self):
        qualification, evaluation = self.start()
        # approving before the evaluation is completed is refused
        with self.raises(UserError, "not completed"):
            self.sign(qualification, "approve")
        # conditional range (60-80 %): no full approval
        self.answer(evaluation, ["3"] * len(evaluation.line_ids))
        self.sign(evaluation, "complete", role="qa_engineer")
        qualification.invalidate_recordset()
        allowed = qualification.with_user(self.users["qa_manager"])
        self.assertNotIn("approve", allowed.meddev_allowed_actions.split())
        self.assertIn("approve_conditional", allowed.meddev_allowed_actions.split())
        with self.raises(UserError, "does not allow this approval"):
            self.sign(qualification, "approve")
        self.sign(
            qualification,
            "approve_conditional",
            comment="Revalidation of the EO cycle within 3 months",
        )
        self.assertEqual(qualification.state, "conditional")
        self.assertEqual(evaluation.state, "closed")
        self.assertEqual(evaluation.decision, "conditional")
        self.assertFalse(qualification.current_evaluation_id)

    def test_critical_failure_allows_no_approval(self):
        qualification, evaluation = self.start()
        scores = ["5"] * len(evaluation.line_ids)
        critical = evaluation.line_ids.mapped("critical").index(True)
        scores[critical] = "1"
        self.answer(evaluation, scores)
        self.sign(evaluation, "complete", role="qa_engineer")
        self.assertGreater(evaluation.score_pct, 80.0)
        self.assertEqual(evaluation.recommendation, "not_approvable")
        for action in ("approve", "approve_conditional"):
            with self.raises(UserError, "a critical criterion failed"):
                self.sign(qualification, action, comment="Despite the failure")
        self.sign(qualification, "disqualify", comment="EO residuals over limit")
        self.assertEqual(qualification.state, "disqualified")
        self.assertEqual(evaluation.decision, "disqualified")

    def test_evaluator_does_not_approve_own_evaluation(self):
        # a QA manager may evaluate (QA managers are QA engineers) ...
        qualification, evaluation = self.start()
        self.evaluate(qualification, role="qa_manager")
        self.assertEqual(evaluation.completed_by_id, self.users["qa_manager"])
        # ... but then not approve on that evaluation
        with self.raises(UserError, "segregation of duties"):
            self.sign(qualification, "approve")
        self.sign(qualification, "approve", role="quality_director")
        self.assertEqual(qualification.state, "qualified")

    def test_reevaluation_keeps_the_supplier_approved(self):
        qualification = self.qualified(self.sterilizer, self.scope_eo)
        qualification = qualification.with_user(self.users["qa_engineer"])
        qualification.action_start_evaluation()
        evaluation = qualification.current_evaluation_id
        self.assertEqual(evaluation.evaluation_type, "periodic")
        self.assertEqual(qualification.state, "qualified", "purchasing goes on")
        # one open evaluation at a time
        with self.raises(UserError, "already has an evaluation in progress"):
            qualification.action_start_evaluation()
        self.evaluate(qualification)
        self.sign(qualification, "approve", comment="Periodic re-evaluation passed")
        self.assertEqual(qualification.state, "qualified")
        self.assertEqual(qualification.last_evaluation_date, self.today)
        self.assertEqual(evaluation.decision, "qualified")
        # approving again without a new evaluation is refused
        with self.raises(UserError, "no open evaluation"):
            self.sign(qualification, "approve")
        # a suspension closes an open re-evaluation too
        qualification.action_start_evaluation()
        second = qualification.current_evaluation_id
        self.sign(qualification, "suspend", comment="Sterility failure, SCAR-0031")
        self.assertEqual(second.state, "closed")
        self.assertEqual(second.decision, "suspended")

    def test_permissions_per_role(self):
        qualification, evaluation = self.start()
        line = evaluation.line_ids[0]
        # every QMS user reads; buyers and auditors do not answer
        for role in ("buyer", "auditor"):
            user = self.users[role]
            self.assertEqual(evaluation.with_user(user).state, "in_progress")
            with self.assertRaises(AccessError):
                line.with_user(user).write({"score": "5"})
            with self.assertRaises(AccessError):
                evaluation.with_user(user).write({"summary": "changed"})
            with self.assertRaises(AccessError):
                evaluation.with_user(user).with_context(
                    meddev_sign_action="complete"
                ).action_meddev_sign()
        # evaluations are started from the qualification, never created alone
        with self.raises(UserError, "Start Evaluation"):
            self.Evaluation.with_user(self.users["qa_engineer"]).create(
                {
                    "qualification_id": qualification.id,
                    "partner_id": self.sterilizer.id,
                    "evaluation_type": "initial",
                }
            )
        # and kept
        with self.assertRaises(AccessError):
            evaluation.unlink()
        with self.raises(UserError, "never deleted"):
            evaluation.sudo().unlink()
        # the checklists are the QA manager's
        with self.assertRaises(AccessError):
            self.eo_checklist.with_user(self.users["qa_engineer"]).write(
                {"qualified_threshold": 70}
            )
        self.eo_checklist.with_user(self.users["qa_manager"]).write(
            {"qualified_threshold": 85}
        )
        with self.assertRaises(ValidationError):
            self.eo_checklist.with_user(self.users["qa_manager"]).write(
                {"conditional_threshold": 90}
            )

    def test_evaluation_record_pdf(self):
        qualification, evaluation = self.start()
        scores = ["4"] * len(evaluation.line_ids)
        critical = evaluation.line_ids.mapped("critical").index(True)
        scores[critical] = "2"
        self.answer(evaluation, scores, evidence="Cycle 2609-118 record missing")
        evaluation.summary = "Routine control records incomplete."
        self.sign(evaluation, "complete", role="qa_engineer")
        self.sign(qualification, "disqualify", comment="Critical criterion failed")
        report = "meddev_supplier.report_meddev_supplier_evaluation"
        # every QMS user reads evaluations, so the auditor prints the record
        html = (
            self.env["ir.actions.report"]
            .with_user(self.users["auditor"])
            ._render_qweb_html(report, evaluation.ids)[0]
            .decode()
        )
        for text in (
            evaluation.name,
            self.sterilizer.name,
            evaluation.line_ids[critical].criterion,
            "Cycle 2609-118 record missing",
            "Do Not Approve",
            "Disqualified",
            "Routine control records incomplete.",
            self.users["qa_engineer"].name,  # the evaluator's signature
        ):
            self.assertIn(text, html)
        self.assertNotIn("o_meddev_evaluation_in_progress", html)
        # a user without QMS role does not
        employee = self.env["res.users"].create(
            {
                "name": "Plain Employee",
                "login": "plain_employee_eval",
                "groups_id": [(6, 0, self.env.ref("base.group_user").ids)],
            }
        )
        with self.assertRaises(AccessError):
            self.env["ir.actions.report"].with_user(employee)._render_qweb_html(
                report, evaluation.ids
            )

    def test_criteria_in_every_language_of_the_checklist(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(
            ["meddev_supplier"], ["zh_CN"], overwrite=True
        )
        self.env.invalidate_all()
        # a Chinese QA engineer starts the evaluation
        engineer = self.users["qa_engineer"]
        engineer.lang = "zh_CN"
        qualification, evaluation = self.start()
        line = evaluation.line_ids.filtered(
            lambda line: line.template_line_id
            == self.env.ref("meddev_supplier.evaluation_criterion_sterilization_50")
        )
        self.assertIn("环氧乙烷", line.with_context(lang="zh_CN").criterion)
        self.assertIn("EO and ECH residuals", line.with_context(lang="en_US").criterion)
        self.assertEqual(line.with_context(lang="zh_CN").section, "环氧乙烷残留")
        # signed in Chinese, the signature matches for a reader in English
        self.evaluate(qualification)
        signature = evaluation.signature_ids
        for lang in ("en_US", "zh_CN"):
            signature.invalidate_recordset()
            evaluation.invalidate_recordset()
            self.assertTrue(signature.with_context(lang=lang).matches, lang)
            self.assertFalse(
                evaluation.with_context(lang=lang).signature_mismatch, lang
            )
