from contextlib import contextmanager
from datetime import timedelta

from odoo import fields

from odoo.addons.meddev_base.tests.common import MeddevCase

PASSWORD = "Supplier-2026!"


class MeddevSupplierCase(MeddevCase):
    """Three outsourced-process suppliers, the shipped scopes and a password
    for the signers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role in ("qa_engineer", "qa_manager", "quality_director", "buyer"):
            cls.users[role].password = PASSWORD
        cls.Qualification = cls.env["meddev.supplier.qualification"]
        cls.Certificate = cls.env["meddev.supplier.certificate"]
        Partner = cls.env["res.partner"]
        cls.sterilizer = Partner.create(
            {"name": "Suzhou Jierui Sterilization Services", "is_company": True}
        )
        cls.machining = Partner.create(
            {"name": "Changzhou Precision Titanium Machining", "is_company": True}
        )
        cls.coater = Partner.create(
            {"name": "Wuxi Biocoat Surface Technology", "is_company": True}
        )
        cls.scope_eo = cls.env.ref("meddev_supplier.scope_eo_sterilization")
        cls.scope_cnc = cls.env.ref("meddev_supplier.scope_cnc_machining")
        cls.scope_coating = cls.env.ref("meddev_supplier.scope_coating")
        # the documents each scope requires before approval are tested in
        # test_required_documents; here the shipped scopes require none, so
        # that each test sets up only what it is about
        cls.env["meddev.supplier.scope.document"].search([]).unlink()
        cls.today = fields.Date.today()

    @contextmanager
    def raises(self, exception, text):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    @classmethod
    def qualified(cls, partner, scope, state="qualified", risk="A"):
        """A qualification already approved (set up by the server)."""
        return cls.Qualification.create(
            {
                "partner_id": partner.id,
                "scope_id": scope.id,
                "risk_class": risk,
                "state": state,
                "last_evaluation_date": cls.today,
            }
        )

    def evaluate(self, qualification, score="5", role="qa_engineer", complete=True):
        """Answer every criterion of the open evaluation with ``score`` (and
        evidence), and complete it with the signature of ``role``."""
        evaluation = qualification.current_evaluation_id.with_user(self.users[role])
        evaluation.line_ids.write(
            {"score": score, "evidence": "Records reviewed on site."}
        )
        if complete:
            self.sign(evaluation, "complete", role=role)
        return evaluation

    def approved_agreement(self, **vals):
        """A quality agreement with the sterilizer for EO sterilization,
        submitted by the QA engineer and approved by the QA manager's
        signature."""
        agreement = (
            self.env["meddev.supplier.quality.agreement"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "partner_id": self.sterilizer.id,
                    "scope_ids": [(6, 0, self.scope_eo.ids)],
                    "effective_date": self.today,
                    "expiry_date": self.today + timedelta(days=3 * 365),
                    **vals,
                }
            )
        )
        agreement.action_submit()
        self.sign(agreement, "approve", comment="Reviewed with the supplier")
        self.assertEqual(agreement.state, "approved")
        return agreement

    def sign(self, record, action, role="qa_manager", comment=None):
        return record.with_user(self.users[role])._meddev_sign(
            action, PASSWORD, comment=comment
        )

    def grant_override(self, user):
        """``user`` gets the Supplier Block Override role for a day, the real
        way: requested, then approved by a QA manager's signature."""
        grant = (
            self.env["meddev.role.grant"]
            .with_user(self.users["planner"])
            .create(
                {
                    "user_id": user.id,
                    "group_id": self.env.ref(
                        "meddev_supplier.group_meddev_supplier_override"
                    ).id,
                    "date_start": fields.Datetime.now(),
                    "date_end": fields.Datetime.now() + timedelta(days=1),
                    "reason": "EO sterilizer requalification audit passed on "
                    "site; certificate in transit",
                }
            )
        )
        grant.with_user(self.users["planner"]).action_submit()
        self.sign(grant, "approve", comment="Urgent lot, override agreed")
        self.assertEqual(grant.state, "active")
        return grant
