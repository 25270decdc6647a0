from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestPartnerSupplier(MeddevSupplierCase):
    """The partner form's counts and approved supplier list status, for the
    commercial partner, for QMS users only."""

    def test_counts_and_asl_status(self):
        self.qualified(self.sterilizer, self.scope_eo)
        self.qualified(self.sterilizer, self.scope_cnc, state="conditional")
        self.qualified(self.coater, self.scope_coating)
        self.Certificate.create(
            {
                "partner_id": self.sterilizer.id,
                "cert_type": "iso13485",
                "number": "Q5 18 07 98765 002",
            }
        )
        self.env["meddev.supplier.audit"].create(
            {
                "partner_id": self.sterilizer.id,
                "planned_date": self.today,
                "lead_auditor_id": self.users["qa_engineer"].id,
            }
        )
        self.env["meddev.supplier.change.notice"].create(
            [
                {
                    "partner_id": self.sterilizer.id,
                    "change_type": change_type,
                    "description": "Change",
                }
                for change_type in ("site", "material")
            ]
        )
        contact = self.env["res.partner"].create(
            {"name": "Ma Jun", "parent_id": self.sterilizer.id}
        )
        for partner in (self.sterilizer, contact):
            partner = partner.with_user(self.users["buyer"])
            self.assertEqual(partner.meddev_qualification_count, 2)
            self.assertEqual(partner.meddev_certificate_count, 1)
            self.assertEqual(partner.meddev_audit_count, 1)
            self.assertEqual(partner.meddev_change_notice_count, 2)
            self.assertIn("Qualified for: EO sterilization", partner.meddev_asl_status)
            self.assertIn("Conditional for: CNC machining", partner.meddev_asl_status)
        coater = self.coater.with_user(self.users["buyer"])
        self.assertEqual(coater.meddev_audit_count, 0)
        self.assertEqual(coater.meddev_asl_status, "Qualified for: Coating")
        action = contact.with_user(self.users["buyer"]).action_view_meddev_audits()
        self.assertEqual(
            action["domain"], [("meddev_supplier_id", "=", self.sterilizer.id)]
        )
        # not for users outside the QMS
        with self.assertRaises(AccessError):
            self.sterilizer.with_user(self.employee).read(["meddev_audit_count"])
