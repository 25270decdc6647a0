from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestRequiredDocuments(MeddevSupplierCase):
    """A scope names the documents a supplier must have on file (valid and
    covering the scope) before QA approves it; the refusal names what is
    missing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Document = cls.env["meddev.supplier.scope.document"]
        Document.create(
            [
                {"scope_id": cls.scope_eo.id, "cert_type": "iso13485"},
                {"scope_id": cls.scope_eo.id, "cert_type": "sterilization_validation"},
            ]
        )

    def under_evaluation(self):
        qualification = self.Qualification.with_user(self.users["qa_engineer"]).create(
            {
                "partner_id": self.sterilizer.id,
                "scope_id": self.scope_eo.id,
                "risk_class": "A",
            }
        )
        qualification.action_start_evaluation()
        self.evaluate(qualification)
        return qualification

    def certificate(self, cert_type, **vals):
        return self.Certificate.create(
            {
                "partner_id": self.sterilizer.id,
                "cert_type": cert_type,
                "number": f"{cert_type}-001",
                "expiry_date": self.today + timedelta(days=400),
                **vals,
            }
        )

    def test_approval_refused_naming_what_is_missing(self):
        qualification = self.under_evaluation()
        with self.raises(UserError, "Sterilization validation report") as caught:
            self.sign(qualification, "approve")
        self.assertIn("ISO 13485 certificate", str(caught.exception))
        self.assertEqual(qualification.state, "under_evaluation")
        self.assertFalse(qualification.sudo().signature_ids)
        # one on file: the refusal names only the other
        self.certificate("iso13485")
        with self.raises(UserError, "Sterilization validation report") as caught:
            self.sign(qualification, "approve_conditional", comment="Pending")
        self.assertNotIn("ISO 13485 certificate", str(caught.exception))
        self.assertEqual(qualification.state, "under_evaluation")

    def test_expired_or_other_scope_does_not_count(self):
        qualification = self.under_evaluation()
        self.certificate("iso13485", expiry_date=self.today - timedelta(days=1))
        self.certificate(
            "sterilization_validation",
            scope_ids=[(6, 0, self.scope_coating.ids)],
        )
        with self.raises(UserError, "Sterilization validation report") as caught:
            self.sign(qualification, "approve")
        self.assertIn("ISO 13485 certificate", str(caught.exception))

    def test_approved_with_the_documents_on_file(self):
        qualification = self.under_evaluation()
        self.certificate("iso13485")
        self.certificate(
            "sterilization_validation", scope_ids=[(6, 0, self.scope_eo.ids)]
        )
        self.sign(qualification, "approve", comment="Site audit passed")
        self.assertEqual(qualification.state, "qualified")

    def test_requirements_configured_by_qa_manager_only(self):
        Document = self.env["meddev.supplier.scope.document"]
        vals = {"scope_id": self.scope_cnc.id, "cert_type": "business_licence"}
        with self.assertRaises(AccessError):
            Document.with_user(self.users["qa_engineer"]).create(vals)
        with self.assertRaises(AccessError):
            Document.with_user(self.users["buyer"]).create(vals)
        document = Document.with_user(self.users["qa_manager"]).create(vals)
        self.assertIn(document, self.scope_cnc.required_document_ids)
        with self.assertRaises(AccessError):
            document.with_user(self.users["qa_engineer"]).unlink()
