"""Every meddev report printed as a real PDF, by every role that may read its
document type: the controlled header and footer are in the PDF's text."""

import io
import unittest
from datetime import timedelta

from odoo import Command, fields
from odoo.tests import TransactionCase, tagged
from odoo.tools import config
from odoo.tools.pdf import PdfFileReader

from odoo.addons.meddev_base.models.ir_actions_report import patched_wkhtmltopdf
from odoo.addons.meddev_base.tests.common import ROLES
from odoo.addons.meddev_quality.tests.receipt_case import MeddevReceiptInspectionCase

PATCHED = patched_wkhtmltopdf()
# every report of the suite, each printed below as every role that reads it
REPORTS = {
    "meddev_base.action_report_meddev_permission_matrix",
    "meddev_base.action_report_meddev_audit_trail",
    "meddev_base.action_report_meddev_audit_review",
    "meddev_supplier.action_report_meddev_supplier_asl",
    "meddev_supplier.action_report_meddev_supplier_evaluation",
    "meddev_supplier.action_report_meddev_supplier_audit",
    "meddev_supplier.action_report_meddev_supplier_quality_agreement",
    "meddev_outsourcing.action_report_meddev_outsourcing_job",
    "meddev_quality.action_report_meddev_qc_inspection",
    "meddev_quality.action_report_meddev_capa",
    "meddev_quality.action_report_meddev_scar",
    "meddev_quality.action_report_meddev_nonconformance",
}


def pdf_pages(pdf):
    """The text of each page, whitespace collapsed."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    return [" ".join(page.extract_text().split()) for page in reader.pages]


@tagged("post_install", "-at_install")
class TestEveryReportControlled(TransactionCase):
    def test_every_meddev_report_is_printed_below_on_a4(self):
        """A new meddev report is added to REPORTS and printed below."""
        actions = self.env["ir.actions.report"].search(
            [("report_name", "=like", "meddev\\_%")]
        )
        self.assertEqual(set(actions.get_external_id().values()), REPORTS)
        for action in actions:
            self.assertEqual(action.paperformat_id.format, "A4", action.name)


@tagged("post_install", "-at_install")
@unittest.skipUnless(
    PATCHED,
    "no wkhtmltopdf with patched Qt on the PATH (`make test` puts one there, "
    "see requirements-wkhtmltopdf.txt): an unpatched one prints no header, "
    "footer nor page numbers",
)
class TestControlledPdf(MeddevReceiptInspectionCase):
    """Each report (grep ir.actions.report in addons/) printed with wkhtmltopdf
    as each QMS role allowed to read its model: A4 paper, the document number
    and revision in the header, printed by and page X of Y in the footer,
    table headers repeated on each page, the signature manifest. (The
    outsourcing case: the suppliers' world and a subcontracted product with
    its effective process specification, for the job traveler; helpers to
    receive a lot that a sampling plan inspects, for the inspection record.)"""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role, user in cls.users.items():
            user.name = f"Printer {role.replace('_', ' ').title()}"
        # wkhtmltopdf fetches the report styles from this process's server
        # (served with --odoo-http), and waits less for scripts
        params = cls.env["ir.config_parameter"]
        params.set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        params.set_param("report.print_delay", "200")
        cls.report = cls.env["ir.actions.report"].with_context(
            force_report_rendering=True
        )

    def readers(self, model):
        """The test users of the QMS roles that may read ``model``."""
        access = self.env["ir.model.access"]
        roles = [
            role
            for role in ROLES
            if access.with_user(self.users[role]).check(model, "read", False)
        ]
        self.assertTrue(roles, f"no QMS role reads {model}")
        return roles

    def print_as(self, role, xml_id, records):
        """The text of each page of ``records``' report printed by ``role``."""
        action = self.env.ref(xml_id)
        self.assertEqual(action.paperformat_id.format, "A4", xml_id)
        pdf, kind = self.report.with_user(self.users[role])._render_qweb_pdf(
            action.report_name, records.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf_pages(pdf)

    def assertControlled(self, pages, number, role, revision="-"):
        """Header and footer on every page: number, revision, printer and
        page X of Y."""
        printer = self.users[role].name
        for index, text in enumerate(pages, start=1):
            for expected in (
                f"Document No.: {number}",
                f"Revision: {revision}",
                f"Printed by: {printer}",
                "UTC)",
                f"Page {index} of {len(pages)}",
            ):
                self.assertIn(expected, text, f"page {index} printed by {role}")
            self.assertNotIn("without patched Qt", text)

    def assertEveryReaderPrints(self, xml_id, records, number, revision="-"):
        for role in self.readers(records._name):
            with self.subTest(report=xml_id, role=role):
                pages = self.print_as(role, xml_id, records)
                self.assertControlled(pages, number, role, revision)

    # -- meddev_base ------------------------------------------------------
    def test_permission_matrix(self):
        for role in self.readers("meddev.permission.matrix.wizard"):
            with self.subTest(role=role):
                wizard = (
                    self.env["meddev.permission.matrix.wizard"]
                    .with_user(self.users[role])
                    .create({})
                )
                pages = self.print_as(
                    role, "meddev_base.action_report_meddev_permission_matrix", wizard
                )
                self.assertControlled(pages, "PM-", role)

    def test_audit_trail(self):
        for role in self.readers("meddev.audit.report.wizard"):
            with self.subTest(role=role):
                wizard = (
                    self.env["meddev.audit.report.wizard"]
                    .with_user(self.users[role])
                    .create({"scope": "user", "user_id": self.users[role].id})
                )
                pages = self.print_as(
                    role, "meddev_base.action_report_meddev_audit_trail", wizard
                )
                self.assertControlled(pages, "AT-", role)

    def test_audit_review_with_its_signature_manifest(self):
        review = (
            self.env["meddev.audit.review"]
            .with_user(self.users["qa_engineer"])
            .create({})
        )
        self.sign(review, "review", comment="Trail reviewed, no anomaly")
        for role in self.readers("meddev.audit.review"):
            with self.subTest(role=role):
                pages = self.print_as(
                    role, "meddev_base.action_report_meddev_audit_review", review
                )
                self.assertControlled(pages, review.name, role)
                text = " ".join(pages)
                self.assertIn(self.users["qa_manager"].name, text)
                self.assertIn("Trail reviewed, no anomaly", text)
                self.assertIn("Local time", text)

    # -- meddev_supplier --------------------------------------------------
    def test_approved_supplier_list_over_pages(self):
        partners = self.env["res.partner"].create(
            [{"name": f"Supplier {n:02d}", "is_company": True} for n in range(30)]
        )
        qualifications = self.Qualification.create(
            [
                {
                    "partner_id": partner.id,
                    "scope_id": scope.id,
                    "risk_class": "B",
                    "state": "qualified",
                    "last_evaluation_date": self.today,
                }
                for partner in partners
                for scope in (self.scope_eo, self.scope_cnc)
            ]
        )
        xml_id = "meddev_supplier.action_report_meddev_supplier_asl"
        for role in self.readers(qualifications._name):
            with self.subTest(role=role):
                pages = self.print_as(role, xml_id, qualifications)
                self.assertGreater(len(pages), 1)
                self.assertControlled(pages, "ASL-", role)
                self.assertIn(self.env.company.name, pages[0])
                self.assertIn("Approval basis", pages[0])
                for text in pages:
                    # the header row on every page
                    self.assertIn("Supplier Scope Status Risk Class", text)

    def test_supplier_evaluation(self):
        qualification = self.Qualification.create(
            {
                "partner_id": self.coater.id,
                "scope_id": self.scope_coating.id,
                "risk_class": "B",
            }
        )
        qualification.with_user(self.users["qa_engineer"]).action_start_evaluation()
        evaluation = self.evaluate(qualification)
        self.assertEveryReaderPrints(
            "meddev_supplier.action_report_meddev_supplier_evaluation",
            evaluation,
            evaluation.name,
        )

    def test_supplier_audit(self):
        audit = (
            self.env["meddev.supplier.audit"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "partner_id": self.sterilizer.id,
                    "scope_ids": [(6, 0, self.scope_eo.ids)],
                    "audit_type": "on_site",
                    "planned_date": self.today - timedelta(days=2),
                    "lead_auditor_id": self.users["quality_director"].id,
                }
            )
        )
        self.assertEveryReaderPrints(
            "meddev_supplier.action_report_meddev_supplier_audit", audit, audit.name
        )

    def test_quality_agreement_with_both_parties_and_its_approval(self):
        agreement = self.approved_agreement(
            our_signatory_name="Sun Hua", supplier_signatory_name="Ma Jun"
        )
        xml_id = "meddev_supplier.action_report_meddev_supplier_quality_agreement"
        for role in self.readers(agreement._name):
            with self.subTest(role=role):
                pages = self.print_as(role, xml_id, agreement)
                self.assertControlled(
                    pages, agreement.name, role, revision=agreement.revision
                )
                text = " ".join(pages)
                for expected in (
                    "Sun Hua",
                    "Ma Jun",
                    self.users["qa_manager"].name,
                    "Local Time",
                ):
                    self.assertIn(expected, text)

    # -- meddev_outsourcing -----------------------------------------------
    def test_outsourcing_job_traveler(self):
        job = self.confirm_po(qty=10)
        self.at_supplier(job)
        self.record(job, od="4.62")
        xml_id = "meddev_outsourcing.action_report_meddev_outsourcing_job"
        for role in self.readers(job._name):
            with self.subTest(role=role):
                pages = self.print_as(role, xml_id, job)
                self.assertControlled(pages, job.name, role)
                text = " ".join(pages)
                for expected in (
                    "4.45 – 4.55 mm",
                    "OUT OF LIMITS",
                    self.users["planner"].name,
                    "Authored",
                ):
                    self.assertIn(expected, text)

    # -- meddev_quality ---------------------------------------------------
    def test_inspection_record_of_a_returned_lot(self):
        """The inspection of an outsourcing job's returned lot, made by the
        receipt, signed by the inspector and reviewed."""
        self.sampling_plan(self.screw, self.machining)
        job = self.confirm_po(qty=200)
        self.at_supplier(job)
        self.record(job)
        self.attach_coc(job)
        self.receive(job)
        inspection = self.env["qc.inspection"].search([("meddev_job_id", "=", job.id)])
        self.assertEqual(len(inspection), 1)
        self.answer(inspection)
        self.sign_result(inspection, comment="Thread gauges passed")
        self.assertEqual(inspection.meddev_state, "accepted")
        xml_id = "meddev_quality.action_report_meddev_qc_inspection"
        for role in self.readers(inspection._name):
            with self.subTest(role=role):
                pages = self.print_as(role, xml_id, inspection)
                self.assertControlled(pages, inspection.name, role)
                text = " ".join(pages)
                for expected in (
                    job.name,
                    "SCR-2611-001",
                    self.users["qc_inspector"].name,
                    "Thread gauges passed",
                    "Authored",
                    "Reviewed",
                ):
                    self.assertIn(expected, text)

    def test_exception_record_of_a_rejected_lot(self):
        """A received lot rejected at inspection; its exception, confirmed by
        a QA engineer; the lot scrapped by a disposition the QA manager
        signed."""
        pouch = self.lot_product()
        packager = self.env["res.partner"].create(
            {"name": "Dongguan Medpack Packaging", "is_company": True}
        )
        self.sampling_plan(pouch, packager)
        inspection = self.receive_lot(packager, pouch, 500, "PCH-NC-001")
        self.answer(inspection, width=8.4)
        self.add_defect(inspection, "Seal wider than 8 mm")
        self.sign_result(inspection)
        self.assertEqual(inspection.meddev_state, "rejected")
        nc = inspection.meddev_nonconformance_ids
        self.assertEqual(len(nc), 1)
        nc.with_user(self.users["qa_engineer"]).action_confirm()
        scrap = (
            self.env["meddev.nonconformance.disposition"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "nonconformance_id": nc.id,
                    "hold_id": nc.hold_ids.id,
                    "disposition": "scrap",
                    "quantity": 500,
                }
            )
        )
        self.sign(scrap, "approve", comment="Seal width out of limits")
        self.assertEqual(scrap.state, "done")
        xml_id = "meddev_quality.action_report_meddev_nonconformance"
        for role in self.readers(nc._name):
            with self.subTest(role=role):
                pages = self.print_as(role, xml_id, nc)
                self.assertControlled(pages, nc.name, role)
                text = " ".join(pages)
                for expected in (
                    "PCH-NC-001",
                    inspection.name,
                    "Scrap",
                    "Approved",
                    self.users["qa_manager"].name,
                    "Seal width out of limits",
                ):
                    self.assertIn(expected, text)

    def test_capa_report(self):
        """A CAPA's root cause by 5 Why and its plan approved by the QA
        manager's signature."""
        today = fields.Date.context_today(self.env.user)
        capa = (
            self.env["meddev.capa"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "title": "Thread OD out of tolerance at the CNC supplier",
                    "nc_type_id": self.env.ref(
                        "meddev_quality.nonconformance_type_material_lot"
                    ).id,
                    "product_id": self.screw.id,
                    "partner_id": self.machining.id,
                }
            )
        )
        capa.action_start()
        capa.write(
            {
                "root_cause_method": "five_why",
                "why_1": "OD above the limit: the tool wore during the lot.",
                "why_2": "Wear not compensated: no in-process OD check.",
                "why_3": "Control plan samples only the first piece.",
                "why_4": "Control plan not reviewed after the rate increase.",
                "why_5": "No trigger to review control plans on rate changes.",
                "root_cause_category": "method",
                "root_cause": "Control plan lacks in-process OD checks.",
                "effectiveness_criterion": "No OD nonconformance in 10 lots.",
                "effectiveness_date": today,
                "action_ids": [
                    Command.create(
                        {
                            "name": "Add an OD check every 50 pieces",
                            "user_id": self.users["planner"].id,
                            "date_due": today,
                        }
                    )
                ],
            }
        )
        capa.action_submit_plan()
        self.sign(capa, "approve_plan", comment="Plan adequate")
        xml_id = "meddev_quality.action_report_meddev_capa"
        for role in self.readers(capa._name):
            with self.subTest(role=role):
                pages = self.print_as(role, xml_id, capa)
                self.assertControlled(pages, capa.name, role)
                text = " ".join(pages)
                for expected in (
                    "Control plan lacks in-process OD checks.",
                    "OD above the limit",
                    "Add an OD check every 50 pieces",
                    self.users["qa_manager"].name,
                    "Plan adequate",
                ):
                    self.assertIn(expected, text)
