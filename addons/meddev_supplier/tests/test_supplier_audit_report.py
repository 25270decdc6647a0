from datetime import timedelta

from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MeddevSupplierCase

REPORT = "meddev_supplier.report_meddev_supplier_audit"


@tagged("post_install", "-at_install")
class TestSupplierAuditReport(MeddevSupplierCase):
    """The PDF report of a supplier audit: header, summary, findings with their
    follow-up and counts, the closing signature; printed by whoever reads the
    audit."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        engineer = cls.users["qa_engineer"]
        cls.audit = (
            cls.env["meddev.supplier.audit"]
            .with_user(engineer)
            .create(
                {
                    "partner_id": cls.sterilizer.id,
                    "scope_ids": [(6, 0, cls.scope_eo.ids)],
                    "audit_type": "on_site",
                    "planned_date": cls.today - timedelta(days=2),
                    "lead_auditor_id": cls.users["quality_director"].id,
                    "auditor_ids": [(6, 0, engineer.ids)],
                }
            )
        )
        cls.audit.action_start()
        Finding = cls.env["meddev.supplier.audit.finding"].with_user(engineer)
        cls.major, cls.minor, cls.observation = Finding.create(
            [
                {
                    "audit_id": cls.audit.id,
                    "sequence": 1,
                    "description": "EO cycle revalidation overdue by 4 months.",
                    "classification": "major",
                    "clause": "ISO 13485 7.5.7",
                    "follow_up": "Revalidate the EO cycle per ISO 11135.",
                    "responsible": "supplier",
                    "due_date": cls.today + timedelta(days=30),
                },
                {
                    "audit_id": cls.audit.id,
                    "sequence": 2,
                    "description": "Training record of an operator unsigned.",
                    "classification": "minor",
                    "clause": "ISO 13485 6.2",
                    "follow_up": "Sign and file the training record.",
                    "responsible": "supplier",
                    "due_date": cls.today - timedelta(days=1),
                },
                {
                    "audit_id": cls.audit.id,
                    "sequence": 3,
                    "description": "Logger calibration label faded.",
                    "classification": "observation",
                    "responsible": "us",
                },
            ]
        )
        cls.major.evidence = "Revalidation report VR-EO-2026-02 approved."
        cls.major.action_close()

    def render(self, user):
        html = (
            self.env["ir.actions.report"]
            .with_user(user)
            ._render_qweb_html(REPORT, self.audit.ids)[0]
        )
        return html.decode()

    def close_audit(self):
        lead = self.audit.with_user(self.users["quality_director"])
        lead.write(
            {
                "result": "passed_with_findings",
                "summary": "Audited against ISO 13485:2016 and quality agreement "
                "QA-017: cleanroom and EO sterilization.",
            }
        )
        lead.action_report()
        return self.sign(self.audit, "close", comment="Report reviewed")

    def test_report_of_a_closed_audit(self):
        signature = self.close_audit()
        action = self.env.ref("meddev_supplier.action_report_meddev_supplier_audit")
        self.assertEqual(action.binding_model_id.model, "meddev.supplier.audit")
        html = self.render(self.users["auditor"])
        for text in (
            self.audit.name,
            self.sterilizer.name,
            "On Site",
            self.scope_eo.name,
            self.users["quality_director"].name,
            self.users["qa_engineer"].name,
            "Passed with Findings",
            "quality agreement QA-017",
            # the findings and their follow-up
            "EO cycle revalidation overdue by 4 months.",
            "ISO 13485 7.5.7",
            "Revalidate the EO cycle per ISO 11135.",
            "Revalidation report VR-EO-2026-02 approved.",
            "Training record of an operator unsigned.",
            "Logger calibration label faded.",
            "Major",
            "Minor",
            "Observation",
            "Overdue",
            # the closing signature
            signature.printed_name,
            "Reviewed",
            "Report reviewed",
            "Matches the signed content",
            "Printed by:",
        ):
            self.assertIn(text, html)
        self.assertNotIn("This audit is not closed", html)
        self.assertLess(
            html.index("EO cycle revalidation"), html.index("Training record")
        )
        counts = {
            row["classification"]: (row["total"], row["open"], row["closed"])
            for row in self.audit._report_finding_counts()
        }
        self.assertEqual(
            counts,
            {
                "critical": (0, 0, 0),
                "major": (1, 0, 1),
                "minor": (1, 1, 0),
                "observation": (1, 1, 0),
                False: (3, 2, 1),
            },
        )

    def test_report_of_an_open_audit_says_it_is_not_closed(self):
        html = self.render(self.users["qa_engineer"])
        self.assertIn("This audit is not closed", html)
        self.assertNotIn("Electronic Signatures", html)

    def test_who_may_print(self):
        self.close_audit()
        # every QMS user reads supplier audits (read-only for auditors and
        # buyers): they print the report
        for role in ("auditor", "buyer"):
            self.assertIn(self.audit.name, self.render(self.users[role]))
        # an employee without a QMS role may not read audits
        with self.assertRaises(AccessError):
            self.render(self.employee)
