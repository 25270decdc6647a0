from datetime import timedelta

from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"


@tagged("post_install", "-at_install")
class TestSupplierAudit(MeddevSupplierCase):
    """Planned → in progress → reported (the lead auditor) → closed (a QA
    manager who did not report it, signed "reviewed"), never while a critical
    or major finding is open."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Audit = cls.env["meddev.supplier.audit"]
        cls.Finding = cls.env["meddev.supplier.audit.finding"]
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)

    def new_audit(self, lead="quality_director", partner=None):
        return (
            self.Audit.with_user(self.users["qa_engineer"])
            .create(
                {
                    "partner_id": (partner or self.sterilizer).id,
                    "scope_ids": [(6, 0, self.scope_eo.ids)],
                    "qualification_id": self.eo.id if not partner else False,
                    "audit_type": "on_site",
                    "planned_date": self.today,
                    "lead_auditor_id": self.users[lead].id,
                    "auditor_ids": [(6, 0, self.users["qa_engineer"].ids)],
                }
            )
            .with_user(self.users["qa_engineer"])
        )

    def test_lifecycle_per_role(self):
        buyer = self.users["buyer"]
        with self.assertRaises(AccessError):
            self.Audit.with_user(buyer).create(
                {
                    "partner_id": self.sterilizer.id,
                    "planned_date": self.today,
                    "lead_auditor_id": self.users["qa_engineer"].id,
                }
            )
        audit = self.new_audit()
        self.assertTrue(audit.name.startswith("SA/"))
        self.assertEqual(audit.meddev_supplier_id, self.sterilizer)
        # buyer and auditor read, may not start
        self.assertEqual(audit.with_user(buyer).state, "planned")
        self.assertEqual(audit.with_user(self.users["auditor"]).state, "planned")
        with self.assertRaises(AccessError):
            audit.with_user(buyer).action_start()
        audit.action_start()
        self.assertEqual(audit.state, "in_progress")
        # a major finding (SCAR to the supplier)
        finding = self.Finding.with_user(self.users["qa_engineer"]).create(
            {
                "audit_id": audit.id,
                "description": "EO cycle revalidation overdue by 4 months.",
                "classification": "major",
                "clause": "ISO 13485 7.5.7",
                "follow_up": "Revalidate the EO cycle per ISO 11135, SCAR-0031.",
                "responsible": "supplier",
                "due_date": self.today + timedelta(days=30),
            }
        )
        self.assertEqual(finding.meddev_supplier_id, self.sterilizer)
        # only the lead auditor reports, with a result
        with self.raises(UserError, "lead auditor"):
            audit.action_report()
        lead = audit.with_user(self.users["quality_director"])
        with self.raises(UserError, "result"):
            lead.action_report()
        lead.write({"result": "passed_with_findings", "summary": "Cleanroom OK."})
        lead.action_report()
        self.assertEqual(audit.state, "reported")
        self.assertEqual(audit.done_date, self.today)
        # an open major finding blocks closing: the dialog and the signature
        manager = audit.with_user(self.users["qa_manager"])
        with self.raises(UserError, "major findings are open"):
            manager.with_context(meddev_sign_action="close").action_meddev_sign()
        with self.raises(UserError, "major findings are open"):
            self.sign(audit, "close")
        # the finding is closed by a QA engineer with its evidence
        finding = finding.with_user(self.users["qa_engineer"])
        with self.raises(UserError, "evidence"):
            finding.action_close()
        with self.assertRaises(AccessError):
            finding.with_user(buyer).evidence = "Looks fine"
        finding.evidence = "Revalidation report VR-EO-2026-02 approved."
        with self.assertRaises(AccessError):
            finding.with_user(buyer).action_close()
        finding.action_close()
        self.assertEqual(finding.state, "closed")
        self.assertEqual(finding.closed_on, self.today)
        # the lead auditor may not close the audit reported: segregation of
        # duties, although a QA manager
        self.assertNotIn("close", lead.meddev_allowed_actions)
        with self.raises(UserError, "segregation of duties"):
            lead.with_context(meddev_sign_action="close").action_meddev_sign()
        with self.raises(UserError, "segregation of duties"):
            self.sign(audit, "close", role="quality_director")
        # nor a QA engineer, nor without signature
        with self.assertRaises(AccessError):
            audit.with_context(meddev_sign_action="close").action_meddev_sign()
        with self.raises(UserError, "electronic signature"):
            manager.action_close()
        self.assertEqual(audit.state, "reported")
        signature = self.sign(audit, "close", comment="Report reviewed")
        self.assertEqual(signature.meaning, "reviewed")
        self.assertEqual(audit.state, "closed")
        self.assertEqual(
            set(audit.sudo().meddev_action_log_ids.mapped("action")),
            {"start", "report", "close"},
        )
        # nothing is added to a closed audit
        with self.raises(UserError, "closed"):
            self.Finding.with_user(self.users["qa_engineer"]).create(
                {"audit_id": audit.id, "description": "late", "classification": "minor"}
            )

    def test_minor_findings_do_not_block_and_overdue(self):
        audit = self.new_audit(lead="qa_engineer")
        audit.action_start()
        overdue, later = self.Finding.with_user(self.users["qa_engineer"]).create(
            [
                {
                    "audit_id": audit.id,
                    "description": "Training record of an operator unsigned.",
                    "classification": "minor",
                    "due_date": self.today - timedelta(days=1),
                },
                {
                    "audit_id": audit.id,
                    "description": "Logger calibration label faded.",
                    "classification": "observation",
                    "due_date": self.today + timedelta(days=10),
                },
            ]
        )
        self.assertTrue(overdue.is_overdue)
        self.assertFalse(later.is_overdue)
        found = self.Finding.search(
            [("audit_id", "=", audit.id), ("is_overdue", "=", True)]
        )
        self.assertEqual(found, overdue)
        audit.write({"result": "passed_with_findings"})
        audit.action_report()
        self.sign(audit, "close")
        self.assertEqual(audit.state, "closed")
        self.assertEqual(audit.open_finding_count, 2)

    def test_portal_reads_own_supplier_audits_only(self):
        own = self.new_audit()
        other = self.new_audit(partner=self.coater)
        contact = self.env["res.partner"].create(
            {"name": "Ma Jun", "parent_id": self.sterilizer.id}
        )
        portal = new_test_user(
            self.env,
            login="test_md_sup_portal_audit",
            groups=PORTAL_GROUPS,
            partner_id=contact.id,
        )
        self.assertEqual(self.Audit.with_user(portal).search([]), own)
        self.assertEqual(own.with_user(portal).state, "planned")
        with self.assertRaises(AccessError):
            other.with_user(portal).read(["state"])
        with self.assertRaises(AccessError):
            own.with_user(portal).write({"summary": "changed"})
