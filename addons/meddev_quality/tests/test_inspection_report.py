"""The inspection record (检验记录) printed as a real PDF by the QC inspector,
for inspections made by validating a receipt: its text read back with
pdftotext (poppler-utils)."""

import shutil
import subprocess
import unittest

from lxml import etree

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.meddev_base.models.ir_actions_report import patched_wkhtmltopdf

from .receipt_case import MeddevReceiptInspectionCase

XML_ID = "meddev_quality.action_report_meddev_qc_inspection"


def pdf_text(pdf):
    """The PDF's text, whitespace collapsed."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode().split())


class InspectionReportCase(MeddevReceiptInspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["qc_inspector"].name = "Yang Min"
        cls.users["qa_engineer"].name = "Zhao Lei"
        cls.packager = cls.env["res.partner"].create(
            {"name": "Dongguan Medpack Packaging", "is_company": True}
        )
        cls.pouch = cls.lot_product()
        cls.plan = cls.sampling_plan(cls.pouch, cls.packager)

    def print_as(self, role, inspections):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report.with_user(self.users[role])._render_qweb_pdf(
            self.env.ref(XML_ID).report_name, inspections.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(pdf)


@tagged("post_install", "-at_install")
class TestInspectionReportValues(InspectionReportCase):
    """What the record prints, without wkhtmltopdf: the rows, the refusal of
    an inspection without a sampling plan, the print button."""

    def test_rows_of_a_rejected_lot(self):
        inspection = self.receive_lot(self.packager, self.pouch, 500, "PCH-2611-001")
        self.answer(inspection, width=8.4)
        width = inspection.inspection_lines.filtered(
            lambda line: line.question_type == "quantitative"
        )
        self.add_defect(inspection, "Seal channel", defect_class="critical")
        Report = self.env["report.meddev_quality.report_meddev_qc_inspection"]
        rows = Report._question_rows(inspection)
        self.assertEqual(
            [(row[0], row[1], row[2], row[3], row[4]) for row in rows],
            [
                (width, "6 – 8 mm", "8.4 mm", "not_ok", "major"),
                (
                    inspection.inspection_lines - width,
                    "Conforming",
                    "Conforming",
                    "ok",
                    "minor",
                ),
            ],
        )
        classes = {row[0]: row for row in Report._class_rows(inspection)}
        # critical: none accepted (Ac 0, Re 1) in the largest sample of the
        # other classes, one found
        self.assertEqual(
            classes["critical"][1:],
            ("", "H", inspection.sample_size, 0, 1, 1, True),
        )
        # the failed measurement counts one major defective
        self.assertEqual(classes["major"][6], 1)
        self.assertEqual(
            [row[0] for row in Report._reject_rows(inspection)],
            ["critical"] + (["major"] if classes["major"][7] else []),
        )

    def test_an_inspection_without_plan_is_not_printed(self):
        plain = self.env["qc.inspection"].create({"qty": 1.0})
        with self.assertRaises(UserError) as caught:
            self.env["report.meddev_quality.report_meddev_qc_inspection"].with_user(
                self.users["qc_inspector"]
            )._get_report_values(plain.ids)
        self.assertIn("has no sampling plan", str(caught.exception))

    def test_print_button_on_the_inspection_form(self):
        action = self.env.ref(XML_ID)
        arch = (
            self.env["qc.inspection"]
            .with_user(self.users["qc_inspector"])
            .get_view(
                self.env.ref("quality_control_oca.qc_inspection_form_view").id, "form"
            )["arch"]
        )
        buttons = etree.fromstring(arch).xpath(f"//header/button[@name='{action.id}']")
        self.assertEqual(len(buttons), 1)
        self.assertEqual(buttons[0].get("invisible"), "not meddev_plan_id")


@tagged("post_install", "-at_install")
@unittest.skipUnless(
    patched_wkhtmltopdf() and shutil.which("pdftotext"),
    "no wkhtmltopdf with patched Qt on the PATH, or no pdftotext",
)
class TestInspectionReportPdf(InspectionReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the report styles from this process's server
        params = cls.env["ir.config_parameter"]
        params.set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        params.set_param("report.print_delay", "200")

    def rejected_lot(self):
        inspection = self.receive_lot(self.packager, self.pouch, 500, "PCH-2611-001")
        self.answer(inspection, width=8.4)
        width = inspection.inspection_lines.filtered(
            lambda line: line.question_type == "quantitative"
        )
        self.add_defect(inspection, "Seal wider than 8 mm", line=width)
        self.add_defect(inspection, "Seal channel", defect_class="critical")
        self.add_defect(inspection, "Print smudge", 2, defect_class="minor")
        self.sign_result(inspection, comment="Sample of 50 pouches checked")
        self.assertEqual(inspection.meddev_state, "rejected")
        return inspection

    def test_record_of_a_rejected_lot(self):
        inspection = self.rejected_lot()
        picking = inspection.picking_id
        text = self.print_as("qc_inspector", inspection)
        for expected in (
            inspection.name,
            "Inspection Record / 检验记录",
            # the receipt
            "Dongguan Medpack Packaging",
            "Sterile barrier pouch",
            "PCH-2611-001",
            picking.name,
            picking.purchase_id.name,
            # the plan
            "Sampling Plan (GB/T 2828.1)",
            "Code Letter",
            "Sample Size",
            "Normal",
            # per class: AQL, n, Ac, Re and the defectives found
            "0 (none accepted)",
            "0.65",
            "2.5",
            "Critical",
            "致命",
            # the questions with their limits, values and results
            "Seal width",
            "6 – 8 mm",
            "8.4 mm",
            "NOT OK",
            "不合格",
            "Conforming",
            # the defects
            "Seal wider than 8 mm",
            "Seal channel",
            "Print smudge",
            # the decision and why
            "Reject",
            "拒收",
            "≥ Re 1",
            "Rejected, Awaiting Disposition",
            # the signatures: who, meaning, when, comment
            "Yang Min",
            "Zhao Lei",
            "Authored",
            "Reviewed",
            "审核",
            "Sample of 50 pouches checked",
            "Counts and answers checked",
            "UTC",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Not signed yet", text)

    def test_record_of_a_lot_to_inspect(self):
        inspection = self.receive_lot(self.packager, self.pouch, 80, "PCH-2611-002")
        text = self.print_as("qc_inspector", inspection)
        for expected in (
            inspection.name,
            "To Inspect",
            "Not answered",
            "No defect recorded.",
            "Not signed yet.",
            "Every defect class is below its rejection number",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("NOT OK", text)

    def test_records_link_the_reinspection(self):
        inspection = self.rejected_lot()
        self.reinspect(inspection, "Measuring gauge out of calibration")
        child = inspection.meddev_reinspection_ids
        self.assertEqual(len(child), 1)
        # (pdftotext reads the table's cells in its own order)
        text = self.print_as("qc_inspector", inspection)
        for expected in ("Re-inspections / 复验", child.name, "To Inspect / 待检验"):
            self.assertIn(expected, text)
        self.assertNotIn("Re-inspection of", text)
        text = self.print_as("qc_inspector", child)
        for expected in (
            "Re-inspection of / 复验对象",
            inspection.name,
            "PCH-2611-001",
            "Not signed yet.",
        ):
            self.assertIn(expected, text)
