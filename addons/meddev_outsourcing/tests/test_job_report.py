"""The job traveler (流转单) printed as a real PDF: its text read back with
pdftotext (poppler-utils)."""

import shutil
import subprocess
import unittest

from odoo.tests import tagged
from odoo.tools import config

from odoo.addons.meddev_base.models.ir_actions_report import patched_wkhtmltopdf

from .common import PASSWORD, MeddevOutsourcingCase

XML_ID = "meddev_outsourcing.action_report_meddev_outsourcing_job"


def pdf_text(pdf):
    """The PDF's text, whitespace collapsed."""
    done = subprocess.run(
        ["pdftotext", "-enc", "UTF-8", "-", "-"],
        input=pdf,
        capture_output=True,
        check=True,
    )
    return " ".join(done.stdout.decode().split())


@tagged("post_install", "-at_install")
@unittest.skipUnless(
    patched_wkhtmltopdf() and shutil.which("pdftotext"),
    "no wkhtmltopdf with patched Qt on the PATH, or no pdftotext",
)
class TestJobReport(MeddevOutsourcingCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["planner"].name = "Li Ming"
        cls.users["qa_manager"].name = "Wang Fang"
        # wkhtmltopdf fetches the report styles from this process's server
        params = cls.env["ir.config_parameter"]
        params.set_param("report.url", f"http://127.0.0.1:{config['http_port']}")
        params.set_param("report.print_delay", "200")

    def print_as(self, role, job):
        report = self.env["ir.actions.report"].with_context(force_report_rendering=True)
        pdf, kind = report.with_user(self.users[role])._render_qweb_pdf(
            self.env.ref(XML_ID).report_name, job.ids
        )
        self.assertEqual(kind, "pdf")
        return pdf_text(pdf)

    def test_traveler_of_a_deviating_first_article(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job, od="4.62")
        self.attach_coc(job)
        self.receive(job)
        self.sign_first_article(job)
        text = self.print_as("planner", job)
        for expected in (
            job.name,
            "Outsourcing Job Traveler / 委外加工流转单",
            self.machining.name,
            job.purchase_id.name,
            job.production_id.name,
            "SCR-2611-001",
            "PS-CNC-001",
            # the parameters with their limits, the values and their flags
            "Thread outer diameter",
            "4.45 – 4.55 mm",
            "≤ 0.8 µm",
            "4.62 mm",
            # (the English and the Chinese of a label may wrap apart)
            "OUT OF LIMITS",
            "超出限度",
            "In limits",
            "在限度内",
            # the required record, attached
            "Certificate of Conformance",
            # first article: why and the decision
            "New supplier for the process",
            "Accepted",
            # the signatures' meanings and signers
            "Approved",
            "批准",
            "Authored",
            "编写",
            "Li Ming",
            "Wang Fang",
            "UTC",
        ):
            self.assertIn(expected, text)

    def sign_first_article(self, job):
        job.with_user(self.users["qa_manager"])._meddev_sign(
            "accept_first_article", PASSWORD
        )

    def test_traveler_of_a_draft_job(self):
        job = self.confirm_po()
        text = self.print_as("qa_engineer", job)
        self.assertIn(job.name, text)
        self.assertIn("Not recorded", text)
        self.assertNotIn("OUT OF LIMITS", text)
