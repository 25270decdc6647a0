"""The exception record (异常记录): its bilingual labels, the Print entry of
the form, its rows, and the record printed as a real PDF by the QC inspector
and the auditor (text read back with pdftotext, as the inspection record)."""

import shutil
import unittest

from odoo.exceptions import AccessError
from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.meddev_base.models.ir_actions_report import patched_wkhtmltopdf

from .nonconformance_case import MeddevNonconformanceCase
from .test_inspection_report import pdf_text

XML_ID = "meddev_quality.action_report_meddev_nonconformance"
REPORT = "report.meddev_quality.report_meddev_nonconformance"


class NonconformanceReportCase(MeddevNonconformanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["qa_manager"].name = "Qian Hong"
        cls.users["qa_engineer"].name = "Zhao Lei"

    def scrapped_exception(self, lot_name="BRL-NC-R1"):
        """A rejected lot's exception, confirmed, its root cause found, the
        lot scrapped by a disposition the QA manager signed."""
        nc = self.rejected_lot(lot_name)
        self.confirm(nc)
        nc.with_user(self.users["qa_engineer"]).write(
            {
                "root_cause_category": "machine",
                "root_cause": "Worn mould cavity 4 leaves flash",
                "capa_required": "no",
                "capa_rationale": "First flash lot of the supplier this year",
                "parameter": "Flash height",
            }
        )
        scrap = self.propose(nc, "scrap", 1000)
        self.sign(scrap, "approve", comment="Flash on 3 of 80 sampled")
        self.assertEqual(scrap.state, "done")
        return nc, scrap

    def print_as(self, role, records):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report.with_user(self.users[role])._render_qweb_pdf(
            self.env.ref(XML_ID).report_name, records.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(pdf)


@tagged("post_install", "-at_install")
class TestNonconformanceReportValues(NonconformanceReportCase):
    """What the record prints, without wkhtmltopdf."""

    def test_labels_in_both_languages(self):
        labels = self.env[REPORT]._record_labels()
        for key, pair in labels.items():
            self.assertEqual(len(pair), 2, key)
            self.assertTrue(pair[0] and pair[1], key)
        # the Chinese of the module's catalogue, the language not installed
        self.assertEqual(labels["status"], ("Status", "状态"))
        self.assertEqual(labels["lot"], ("Lot", "批次"))
        self.assertEqual(labels["e_signatures"], ("Electronic Signatures", "电子签名"))
        self.assertEqual(labels["meaning_approved"], ("Approved", "批准"))
        self.assertEqual(labels["grade_critical"], ("Critical", "致命"))

    def test_every_value_printed_has_its_label(self):
        labels = self.env[REPORT]._record_labels()
        fields_ = (
            (self.NC, "state", "state"),
            (self.NC, "source", "source"),
            (self.NC, "grade", "grade"),
            (self.NC, "severity", "severity"),
            (self.NC, "occurrence", "occurrence"),
            (self.NC, "root_cause_category", "root_cause_category"),
            (self.NC, "capa_required", "capa_required"),
            (self.env["meddev.nonconformance.hold"], "state", "hold_state"),
            (self.Disposition, "disposition", "disposition"),
            (self.Disposition, "state", "disposition_state"),
        )
        for model, name, prefix in fields_:
            for value, _label in model._fields[name].selection:
                self.assertIn(f"{prefix}_{value}", labels, f"{model._name}.{name}")

    def test_print_entry_on_the_form(self):
        action = self.env.ref(XML_ID)
        self.assertEqual(action.binding_model_id.model, "meddev.nonconformance")
        self.assertEqual(action.paperformat_id.format, "A4")
        views = self.NC.with_user(self.users["qc_inspector"]).get_views(
            [(False, "form")], {"toolbar": True}
        )
        printed = views["views"]["form"]["toolbar"]["print"]
        self.assertIn(action.id, [entry["id"] for entry in printed])

    def test_rows_of_a_scrapped_lot(self):
        nc, scrap = self.scrapped_exception()
        Report = self.env[REPORT].with_user(self.users["auditor"])
        values = Report._get_report_values(nc.ids)
        self.assertEqual(values["docs"], nc)
        self.assertEqual(
            values["choice"](scrap, "state", "disposition_state"),
            values["labels"]["disposition_state_done"],
        )
        self.assertEqual(Report._stock_reference(scrap), scrap.scrap_ids.name)
        rows = Report._disposition_signatures(nc)
        self.assertEqual([row[0] for row in rows], [scrap])
        self.assertEqual(rows[0][1].meaning, "approved")
        self.assertEqual(
            values["choice"](nc, "capa_required"), values["labels"]["capa_required_no"]
        )
        # an unset selection prints nothing
        self.assertEqual(values["choice"](nc, "customer_id"), ("", ""))

    def test_critical_concession_prints_its_authorization(self):
        nc = self.rejected_lot("BRL-NC-R2")
        nc.with_user(self.users["qa_engineer"]).write({"proposed_grade": "critical"})
        self.sign(nc, "regrade", role="qa_engineer", comment="Sterile barrier")
        self.confirm(nc)
        concession = self.propose(
            nc, "concession", 1000, justification="Cosmetic only; risk file RA-12"
        )
        self.sign(concession, "approve")
        self.users["quality_director"].name = "Sun Hua"
        self.sign(concession, "authorize", role="quality_director", comment="MR ok")
        html = (
            self.env["ir.actions.report"]
            .with_user(self.users["auditor"])
            ._render_qweb_html(XML_ID, nc.ids)[0]
            .decode()
        )
        for expected in (
            "Set to Critical by QA: Sterile barrier",
            "Concession",
            "Cosmetic only; risk file RA-12",
            "Authorized by (Management Representative)",
            "Sun Hua",
            "Qian Hong",
            "MR ok",
        ):
            self.assertIn(expected, html)

    def test_only_qms_readers_print(self):
        nc = self.manual_exception()
        with self.assertRaises(AccessError):
            self.env[REPORT].with_user(self.employee)._get_report_values(nc.ids)


@tagged("post_install", "-at_install")
@unittest.skipUnless(
    patched_wkhtmltopdf() and shutil.which("pdftotext"),
    "no wkhtmltopdf with patched Qt on the PATH, or no pdftotext",
)
class TestNonconformanceReportPdf(NonconformanceReportCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # wkhtmltopdf fetches the report styles from this process's server
        params = cls.env["ir.config_parameter"]
        params.set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        params.set_param("report.print_delay", "200")

    def test_record_of_a_scrapped_lot_closed(self):
        nc, scrap = self.scrapped_exception()
        self.sign(nc, "close", comment="Lot scrapped, supplier informed")
        self.assertEqual(nc.state, "closed")
        for role in ("qc_inspector", "auditor"):
            with self.subTest(role=role):
                text = self.print_as(role, nc)
                for expected in (
                    nc.name,
                    "Exception Record",
                    # labels in both languages
                    "Status / 状态",
                    "Lot / 批次",
                    "Supplier / 供应商",
                    "Electronic Signatures / 电子签名",
                    # the facts
                    nc.type_id.name,
                    "Rejected Inspection",
                    nc.inspection_id.name,
                    self.moulder.name,
                    "BRL-NC-R1",
                    "Flash height",
                    "Major",
                    "严重",
                    "by the grading matrix",
                    # the hold and the disposition
                    "Quantity Held",
                    "Released",
                    "Scrap",
                    "Approved by (QA Manager)",
                    "Units, BRL-NC-R1",
                    scrap.scrap_ids.name,
                    # the CAPA decision, the root cause, the closure
                    "CAPA Required?",
                    "First flash lot of the supplier this year",
                    "Machine",
                    "Worn mould cavity 4 leaves flash",
                    "Zhao Lei",
                    "Qian Hong",
                    # the signatures of the exception and of the disposition
                    # (pdftotext breaks the lines of narrow cells)
                    "Approved",
                    "批准",
                    "Flash on 3 of 80",
                    "Lot scrapped, supplier",
                    "Electronic Signatures of the Dispositions",
                    "UTC",
                ):
                    self.assertIn(expected, text)
                self.assertNotIn("Not signed yet", text)

    def test_record_of_an_exception_without_lots(self):
        nc = self.manual_exception(
            customer_id=self.env["res.partner"].create({"name": "Ruijin Hospital"}).id
        )
        self.assertFalse(nc.lot_ids)
        text = self.print_as("auditor", nc)
        for expected in (
            nc.name,
            "Sterile pouches arrived two days late",
            "Dock 2",
            "Ruijin Hospital",
            "New",
            "No lot held.",
            "No disposition decided.",
            "Not signed yet.",
        ):
            self.assertIn(expected, text)
        self.assertNotIn("Electronic Signatures of the Dispositions", text)
