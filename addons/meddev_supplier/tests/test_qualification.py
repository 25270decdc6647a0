from dateutil.relativedelta import relativedelta
from psycopg2 import IntegrityError

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestQualification(MeddevSupplierCase):
    """Candidate → under evaluation (QA engineer) → qualified / conditional (QA
    manager's signature, not whoever started) → suspended / disqualified."""

    def new(self, partner=None, scope=None, risk="A", role="qa_engineer"):
        return (
            self.Qualification.with_user(self.users[role])
            .create(
                {
                    "partner_id": (partner or self.sterilizer).id,
                    "scope_id": (scope or self.scope_eo).id,
                    "risk_class": risk,
                }
            )
            .with_user(self.users[role])
        )

    def test_lifecycle_signed_by_the_qa_manager(self):
        qualification = self.new()
        self.assertEqual(qualification.state, "candidate")
        self.assertEqual(qualification.meddev_supplier_id, self.sterilizer)
        qualification.action_start_evaluation()
        self.assertEqual(qualification.state, "under_evaluation")
        self.assertEqual(qualification.evaluation_type, "initial")
        evaluation = self.evaluate(qualification)
        signature = self.sign(qualification, "approve", comment="Audit 2026-03 passed")
        self.assertEqual(evaluation.state, "closed")
        self.assertEqual(evaluation.decision, "qualified")
        self.assertEqual(signature.meaning, "approved")
        self.assertEqual(qualification.state, "qualified")
        self.assertEqual(qualification.last_evaluation_date, self.today)
        # risk class A: re-evaluated yearly
        self.assertEqual(
            qualification.next_evaluation_date, self.today + relativedelta(months=12)
        )
        logs = qualification.sudo().meddev_action_log_ids
        self.assertEqual(
            set(logs.mapped("action")), {"start_evaluation", "approve"}, "both logged"
        )
        # a change of an approved qualification needs a reason
        with self.assertRaises(ValidationError):
            qualification.with_user(self.users["qa_engineer"]).write(
                {"risk_class": "B"}
            )
        qualification.with_user(self.users["qa_engineer"]).with_context(
            audit_reason="Annual review: supplier performance good"
        ).write({"risk_class": "B"})
        self.assertEqual(
            qualification.next_evaluation_date, self.today + relativedelta(months=24)
        )
        # suspension is signed with its reason
        with self.raises(UserError, "needs a reason"):
            self.sign(qualification, "suspend")
        self.sign(qualification, "suspend", comment="Sterility failure, SCAR-0012")
        self.assertEqual(qualification.state, "suspended")
        # re-evaluation for cause, then disqualification
        qualification.with_context(
            meddev_evaluation_type="for_cause"
        ).action_start_evaluation()
        self.assertEqual(qualification.state, "under_evaluation")
        self.assertEqual(qualification.evaluation_type, "for_cause")
        self.sign(
            qualification,
            "disqualify",
            role="quality_director",
            comment="SCAR not closed",
        )
        self.assertEqual(qualification.state, "disqualified")
        self.assertEqual(
            qualification.evaluation_ids.sorted("id").mapped("decision"),
            ["qualified", "disqualified"],
            "the for-cause evaluation is closed by the disqualification",
        )

    def test_approval_of_a_re_evaluation_asks_for_the_comment(self):
        """Approving a re-evaluated (still approved) supplier changes an
        approved qualification: the refusal says the signature's comment is
        missing, not that a form field is."""
        qualification = self.new()
        qualification.action_start_evaluation()
        self.evaluate(qualification)
        self.sign(qualification, "approve")
        self.assertEqual(qualification.state, "qualified", "no comment needed")
        qualification.action_start_evaluation()
        self.assertEqual(qualification.evaluation_type, "periodic")
        evaluation = self.evaluate(qualification)
        with self.raises(UserError, "re-evaluated supplier needs a reason") as caught:
            self.sign(qualification, "approve", comment="  ")
        self.assertIn("signature's comment", str(caught.exception))
        self.assertNotIn("Reason for Change", str(caught.exception))
        self.assertEqual(evaluation.state, "completed")
        self.sign(qualification, "approve", comment="Periodic re-evaluation passed")
        self.assertEqual(evaluation.state, "closed")
        self.assertEqual(qualification.state, "qualified")

    def test_next_evaluation_follows_system_parameters(self):
        self.env["ir.config_parameter"].set_param("meddev_supplier.reeval_months_c", 6)
        qualification = self.qualified(self.coater, self.scope_coating, risk="C")
        self.assertEqual(
            qualification.next_evaluation_date, self.today + relativedelta(months=6)
        )

    def test_permissions_per_role(self):
        qualification = self.new()
        buyer = self.users["buyer"]
        # every QMS user reads; the buyer cannot start, approve or write
        self.assertEqual(qualification.with_user(buyer).state, "candidate")
        self.assertEqual(
            qualification.with_user(self.users["auditor"]).partner_id, self.sterilizer
        )
        with self.assertRaises(AccessError):
            qualification.with_user(buyer).action_start_evaluation()
        with self.assertRaises(AccessError):
            qualification.with_user(buyer).write({"notes": "changed"})
        with self.assertRaises(AccessError):
            self.Qualification.with_user(buyer).create(
                {
                    "partner_id": self.coater.id,
                    "scope_id": self.scope_coating.id,
                    "risk_class": "B",
                }
            )
        qualification.action_start_evaluation()
        self.assertNotIn("approve", qualification.meddev_allowed_actions)
        # the buyer and the QA engineer (who started the evaluation) may not
        # approve: neither the signing dialog nor the action itself
        # (a refused _meddev_sign records the failure in its own transaction,
        # which does not see the test users: the dialog is what is tested)
        for role in ("buyer", "qa_engineer"):
            user = self.users[role]
            with self.raises(AccessError, "QA Manager"):
                qualification.with_user(user).with_context(
                    meddev_sign_action="approve"
                ).action_meddev_sign()
            with self.assertRaises(AccessError):
                qualification.with_user(user).action_approve()
        # approving without the signature is refused, even to the QA manager
        with self.raises(UserError, "electronic signature"):
            qualification.with_user(self.users["qa_manager"]).action_approve()
        # the state is changed by the actions only
        with self.raises(UserError, "only through its actions"):
            qualification.with_user(self.users["qa_manager"]).write(
                {"state": "qualified"}
            )
        self.assertEqual(qualification.state, "under_evaluation")
        # and only once the evaluation is completed by the evaluator
        self.assertNotIn(
            "approve",
            qualification.with_user(self.users["qa_manager"]).meddev_allowed_actions,
        )
        self.evaluate(qualification)
        qualification.invalidate_recordset()
        self.assertIn(
            "approve",
            qualification.with_user(self.users["qa_manager"]).meddev_allowed_actions,
        )

    def test_who_started_the_evaluation_cannot_approve(self):
        qualification = self.new(role="qa_manager")
        qualification.action_start_evaluation()
        self.evaluate(qualification)
        qualification.invalidate_recordset()
        self.assertNotIn("approve", qualification.meddev_allowed_actions)
        with self.raises(UserError, "segregation of duties"):
            qualification.with_context(
                meddev_sign_action="approve"
            ).action_meddev_sign()
        with self.raises(UserError, "segregation of duties"):
            self.sign(qualification, "approve")
        self.assertEqual(qualification.state, "under_evaluation")
        # another QA manager (the director) approves conditionally, with the
        # conditions as the signature's comment
        with self.raises(UserError, "needs a reason"):
            self.sign(qualification, "approve_conditional", role="quality_director")
        self.sign(
            qualification,
            "approve_conditional",
            role="quality_director",
            comment="Until the revalidation report of the EO cycle is received",
        )
        self.assertEqual(qualification.state, "conditional")

    def test_one_qualification_per_supplier_and_scope(self):
        self.new()
        with mute_logger("odoo.sql_db"), self.assertRaises(IntegrityError):
            self.new()

    def test_contact_and_subject(self):
        contact = self.env["res.partner"].create(
            {"name": "Ma Jun", "parent_id": self.sterilizer.id}
        )
        with self.raises(ValidationError, "company"):
            self.new(partner=contact)
        qualification = self.new()
        qualification.action_start_evaluation()
        with self.raises(UserError, "fixed"):
            qualification.write({"scope_id": self.scope_cnc.id})
        with self.raises(UserError, "Only candidate"):
            qualification.sudo().unlink()
