import base64
import io
from datetime import date, timedelta

from openpyxl import Workbook, load_workbook

from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MeddevSupplierCase

HEADER = [
    "Supplier",
    "Type",
    "Number",
    "Issuer",
    "Issue Date",
    "Expiry Date",
    "Scopes",
]


def xlsx(rows, header=None):
    book = Workbook()
    sheet = book.active
    sheet.append(header or HEADER)
    for row in rows:
        sheet.append(row)
    stream = io.BytesIO()
    book.save(stream)
    return base64.b64encode(stream.getvalue())


def read_xlsx(content):
    sheet = load_workbook(io.BytesIO(content)).active
    return [list(row) for row in sheet.iter_rows(values_only=True)]


@tagged("post_install", "-at_install")
class TestSupplierAsl(MeddevSupplierCase):
    """The approved supplier list as XLSX."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.qualified(cls.coater, cls.scope_coating, "conditional", "B")
        cls.qualified(cls.machining, cls.scope_cnc, "suspended")
        cls.expiry = cls.today + timedelta(days=20)
        cls.Certificate.create(
            [
                {
                    "partner_id": cls.coater.id,
                    "cert_type": "iso13485",
                    "number": "CN-13485-0042",
                    "expiry_date": cls.expiry,
                },
                {
                    "partner_id": cls.coater.id,
                    "cert_type": "business_licence",
                    "number": "91320200MA1XYZ",
                    "expiry_date": cls.expiry + timedelta(days=400),
                },
            ]
        )

    def export(self, role="buyer", **vals):
        wizard = (
            self.env["meddev.supplier.asl.wizard"]
            .with_user(self.users[role])
            .create(vals)
        )
        action = wizard.action_export_xlsx()
        self.assertEqual(action["type"], "ir.actions.act_url")
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        return read_xlsx(base64.b64decode(attachment.datas))

    def test_approved_suppliers(self):
        rows = self.export()
        self.assertEqual(
            rows[0],
            [
                "Supplier",
                "Scope",
                "Status",
                "Risk Class",
                "Last Evaluation",
                "Next Evaluation",
                "Earliest Certificate Expiry",
            ],
        )
        by_supplier = {row[0]: row for row in rows[1:]}
        self.assertNotIn(self.machining.name, by_supplier)
        coater = by_supplier[self.coater.name]
        self.assertEqual(coater[1], self.scope_coating.display_name)
        self.assertEqual(coater[2], "Conditional")
        self.assertEqual(coater[3], "B - Major")
        self.assertEqual(coater[4].date(), self.today)
        self.assertEqual(coater[5].date(), self.today.replace(year=self.today.year + 2))
        self.assertEqual(coater[6].date(), self.expiry)
        sterilizer = by_supplier[self.sterilizer.name]
        self.assertEqual(sterilizer[2], "Qualified")
        self.assertIsNone(sterilizer[6])

    def test_all_states(self):
        rows = self.export(role="auditor", include_all_states=True)
        suspended = [row for row in rows if row[0] == self.machining.name]
        self.assertEqual(len(suspended), 1)
        self.assertEqual(suspended[0][2], "Suspended")


@tagged("post_install", "-at_install")
class TestCertificateImport(MeddevSupplierCase):
    """Certificates from an XLSX file, all or nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.coater.ref = "SUP-0007"
        cls.Certificate.create(
            {
                "partner_id": cls.machining.id,
                "cert_type": "iso13485",
                "number": "Q5 123456 0001",
            }
        )

    def wizard(self, content, role="qa_engineer"):
        return (
            self.env["meddev.supplier.certificate.import.wizard"]
            .with_user(self.users[role])
            .create({"file": content, "filename": "certificates.xlsx"})
        )

    def count(self):
        return self.Certificate.search_count([])

    def test_good_file(self):
        content = xlsx(
            [
                [
                    self.sterilizer.name,
                    "iso13485",
                    "CN-13485-1001",
                    "TÜV SÜD",
                    date(2024, 5, 1),
                    date(2027, 4, 30),
                    "EO-STER",
                ],
                [
                    "SUP-0007",
                    "Business licence",
                    "91320200MA1XYZ",
                    None,
                    "2020-01-15",
                    None,
                    None,
                ],
                [
                    self.machining.name,
                    "Medical device manufacturing licence",
                    "SU-20210033",
                    "Jiangsu MPA",
                    "2021-03-01",
                    "2026-02-28",
                    "CNC, EO-STER",
                ],
                [None, None, None, None, None, None, None],
            ]
        )
        action = self.wizard(content).action_import()
        certificates = self.Certificate.browse(action["domain"][0][2])
        self.assertEqual(len(certificates), 3)
        eo, licence, mfg = certificates.sorted("id")
        self.assertEqual(eo.partner_id, self.sterilizer)
        self.assertEqual(eo.issuer, "TÜV SÜD")
        self.assertEqual(eo.expiry_date, date(2027, 4, 30))
        self.assertEqual(eo.scope_ids, self.scope_eo)
        self.assertEqual(licence.partner_id, self.coater)
        self.assertEqual(licence.cert_type, "business_licence")
        self.assertFalse(licence.expiry_date)
        self.assertFalse(licence.scope_ids)
        self.assertEqual(mfg.cert_type, "mfg_licence")
        self.assertEqual(mfg.scope_ids, self.scope_eo | self.scope_cnc)
        self.assertEqual(mfg.issue_date, date(2021, 3, 1))

    def test_bad_rows_import_nothing(self):
        before = self.count()
        content = xlsx(
            [
                [self.sterilizer.name, "iso13485", "CN-1", None, None, None, None],
                ["Nobody Ltd", "iso13485", "CN-2", None, None, None, None],
                [
                    self.machining.name,
                    "iso13485",
                    "CN-3",
                    None,
                    "2025-06-01",
                    "2025-01-01",
                    None,
                ],
            ]
        )
        with self.assertRaises(UserError) as caught:
            self.wizard(content).action_import()
        message = str(caught.exception)
        self.assertIn("Row 3: unknown supplier 'Nobody Ltd'", message)
        self.assertIn("Row 4: expiry date before issue date", message)
        self.assertNotIn("Row 2", message)
        self.assertEqual(self.count(), before)

    def test_every_row_error(self):
        content = xlsx(
            [
                [self.sterilizer.name, "patent", "P-1", None, None, None, None],
                [self.sterilizer.name, "other", "X-1", None, "yesterday", None, None],
                [self.coater.name, "other", "X-2", None, None, None, "EO-STER, NOPE"],
                [self.machining.name, "ISO 13485 certificate", "Q5 123456 0001"]
                + [None] * 4,
                [self.coater.name, "other", "X-2", None, None, None, None],
            ]
        )
        before = self.count()
        with self.assertRaises(UserError) as caught:
            self.wizard(content).action_import()
        message = str(caught.exception)
        self.assertIn("Row 2: unknown type 'patent'", message)
        self.assertIn("Row 3: Issue Date 'yesterday' is not a date", message)
        self.assertIn("Row 4: unknown scope code 'NOPE'", message)
        self.assertIn("Row 5: ", message)
        self.assertIn("already has the certificate", message)
        self.assertIn("Row 6: same certificate as row 4", message)
        self.assertEqual(self.count(), before)

    def test_missing_columns(self):
        with self.raises(UserError, "Number"):
            self.wizard(xlsx([["a", "b"]], header=["Supplier", "Type"])).action_import()

    def test_template(self):
        wizard = self.wizard(False)
        action = wizard.action_download_template()
        attachment = self.env["ir.attachment"].browse(
            int(action["url"].split("/web/content/")[1].split("?")[0])
        )
        self.assertEqual(read_xlsx(base64.b64decode(attachment.datas)), [HEADER])

    def test_permissions(self):
        content = xlsx([[self.sterilizer.name, "other", "X-9"] + [None] * 4])
        for role in ("buyer", "auditor", "warehouse"):
            with self.assertRaises(AccessError):
                self.wizard(content, role=role)
        self.wizard(content, role="qa_manager").action_import()
        self.assertTrue(self.Certificate.search([("number", "=", "X-9")]))
