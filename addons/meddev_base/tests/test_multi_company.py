import importlib.util
import io
from pathlib import Path

import psycopg2

from odoo.exceptions import AccessError, UserError
from odoo.modules.module import get_module_path
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from .common import MeddevCase

PASSWORD = "Two-companies-2026!"
# the columns of a signature and of an action log, but their id and company
COPIED = {
    "meddev_signature": "res_model, res_id, res_name, action, signer_id, "
    "signer_login, printed_name, meaning, comment, signed_at, content_hash, "
    "signed_content, totp_used",
    "meddev_stage_action_log": "res_model, res_id, res_name, action, "
    "action_label, user_id, timestamp",
}
# the officers who read every entry of their own companies
OFFICERS = ("auditor", "qa_manager", "qa_engineer")


@tagged("post_install", "-at_install")
class TestMultiCompany(MeddevCase):
    """The audit trail, the signatures and the stage action log of a record of
    company A are not read by the officers of company B (users with only B in
    their companies), through any path: search, read by id, signed content,
    the audit trail report (PDF and XLSX)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .stage_tester import MeddevStageTester

        model = cls._load_fake_model(MeddevStageTester)
        ref = cls.env.ref
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Huakang Shanghai"})
        cls.users_of = {
            company: {
                role: new_test_user(
                    cls.env,
                    login=f"test_md_mc_{role}_{company.id}",
                    password=PASSWORD,
                    groups=f"base.group_user,meddev_base.group_meddev_{role}",
                    company_id=company.id,
                    company_ids=[(6, 0, company.ids)],
                )
                for role in ("planner", *OFFICERS)
            }
            for company in (cls.company_a, cls.company_b)
        }
        Permission = cls.env["meddev.stage.permission"]
        submit = Permission.create(
            {
                "name": "Submit",
                "model_id": model.id,
                "action": "submit",
                "group_ids": [(6, 0, ref("meddev_base.group_meddev_planner").ids)],
            }
        )
        manager = ref("meddev_base.group_meddev_qa_manager")
        Permission.create(
            {
                "name": "Approve",
                "model_id": model.id,
                "action": "approve",
                "from_states": "submitted",
                "group_ids": [(6, 0, manager.ids)],
                "signature_meaning": "approved",
                "not_same_user_as_ids": [(6, 0, submit.ids)],
            }
        )
        cls.env["meddev.signature.rule"].create(
            {
                "name": "Approve",
                "model_id": model.id,
                "action": "approve",
                "meaning": "approved",
                "group_ids": [(6, 0, manager.ids)],
            }
        )
        cls.Tester = cls.env["meddev.stage.tester"]
        cls.job_a = cls._signed_job(cls.company_a, "EO lot A-118")
        cls.job_b = cls._signed_job(cls.company_b, "EO lot B-071")

    @classmethod
    def _signed_job(cls, company, name):
        """A job of ``company`` submitted and signed off by its own users."""
        users = cls.users_of[company]
        job = cls.Tester.create({"name": name, "company_id": company.id})
        job.with_user(users["planner"]).action_submit()
        job.with_user(users["qa_manager"])._meddev_sign("approve", PASSWORD)
        return job

    def trail(self, record, model="meddev.audit.entry", user=None):
        Model = self.env[model]
        if user:
            Model = Model.with_user(user)
        return Model.search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def test_company_recorded_when_written(self):
        for job, company in (
            (self.job_a, self.company_a),
            (self.job_b, self.company_b),
        ):
            entries = self.trail(job)
            signatures = self.trail(job, "meddev.signature")
            logs = self.trail(job, "meddev.stage.action.log")
            self.assertEqual(
                set(entries.mapped("operation")), {"create", "write", "sign"}
            )
            self.assertEqual(len(signatures), 1)
            self.assertEqual(set(logs.mapped("action")), {"submit", "approve"})
            for records in (entries, signatures, logs):
                self.assertEqual(records.company_id, company, records._name)

    def test_officers_of_another_company_do_not_read_it(self):
        for role in OFFICERS:
            user = self.users_of[self.company_b][role]
            for model in (
                "meddev.audit.entry",
                "meddev.signature",
                "meddev.stage.action.log",
            ):
                with self.subTest(role=role, model=model):
                    # their own company's: read
                    self.assertTrue(self.trail(self.job_b, model, user))
                    # company A's: neither found nor read by id
                    self.assertFalse(self.trail(self.job_a, model, user))
                    foreign = self.trail(self.job_a, model)
                    self.assertTrue(foreign)
                    with self.assertRaises(AccessError):
                        foreign.with_user(user).read(["res_name"])
            signature = self.trail(self.job_a, "meddev.signature")
            with self.assertRaises(AccessError):
                signature.with_user(user).read(["signed_content"])
            # what the record's form shows through its one2many
            self.assertFalse(self.job_a.with_user(user).sudo(False).signature_ids)

    def test_officers_of_the_company_read_it(self):
        for role in OFFICERS:
            user = self.users_of[self.company_a][role]
            signature = self.trail(self.job_a, "meddev.signature", user)
            self.assertEqual(len(signature), 1, role)
            self.assertEqual(
                signature.read(["signed_content"])[0]["signed_content"]["name"],
                "EO lot A-118",
            )
            self.assertEqual(
                len(self.trail(self.job_a, "meddev.stage.action.log", user)), 2
            )
            self.assertFalse(self.trail(self.job_b, "meddev.audit.entry", user))

    def test_records_of_no_company_stay_readable(self):
        job = self.Tester.create({"name": "Shared lot", "company_id": False})
        entries = self.trail(job)
        self.assertTrue(entries)
        self.assertFalse(entries.company_id)
        for company in (self.company_a, self.company_b):
            auditor = self.users_of[company]["auditor"]
            self.assertEqual(self.trail(job, user=auditor), entries)

    def wizard(self, user, **values):
        return self.env["meddev.audit.report.wizard"].with_user(user).create(values)

    def test_audit_trail_report_of_another_company(self):
        from openpyxl import load_workbook

        auditor = self.users_of[self.company_b]["auditor"]
        for values in (
            {"scope": "period"},
            {
                "scope": "record",
                "res_model": self.Tester._name,
                "res_id": self.job_a.id,
            },
        ):
            wizard = self.wizard(auditor, **values)
            html = (
                self.env["ir.actions.report"]
                .with_user(auditor)
                ._render_qweb_html("meddev_base.report_meddev_audit_trail", wizard.ids)[
                    0
                ]
                .decode()
            )
            sheet = load_workbook(io.BytesIO(wizard._xlsx())).active
            cells = {str(c.value) for row in sheet.iter_rows() for c in row}
            # (not assertIn: a failure would print the whole report)
            self.assertFalse("EO lot A-118" in html, values)
            self.assertFalse("EO lot A-118" in cells, values)
            if values["scope"] == "period":
                self.assertTrue("EO lot B-071" in html)
                self.assertTrue("EO lot B-071" in cells)

    def test_a_grant_of_company_a_cannot_name_a_user_of_company_b(self):
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.env["meddev.role.grant"].create(
                {
                    "user_id": self.users_of[self.company_b]["planner"].id,
                    "group_id": self.env.ref("meddev_base.group_meddev_buyer").id,
                    "company_id": self.company_a.id,
                    "reason": "Cover for a buyer on leave",
                }
            )

    def test_migration_fills_the_company_of_earlier_rows(self):
        path = Path(get_module_path("meddev_base"), "migrations/18.0.1.3.0")
        spec = importlib.util.spec_from_file_location(
            "meddev_base_end_migrate_18_0_1_3_0", path / "end-migrate.py"
        )
        migration = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(migration)
        cr = self.env.cr
        old = {}
        for table, columns in COPIED.items():
            # a row written before the company was recorded
            cr.execute(
                SQL(
                    "INSERT INTO %(table)s (%(columns)s) SELECT %(columns)s "
                    "FROM %(table)s WHERE res_model = %(model)s AND res_id = %(id)s "
                    "LIMIT 1 RETURNING id",
                    table=SQL.identifier(table),
                    columns=SQL(columns),
                    model=self.job_a._name,
                    id=self.job_a.id,
                )
            )
            old[table] = cr.fetchone()[0]
        migration.migrate(cr, "18.0.1.2.0")
        for table, row_id in old.items():
            cr.execute(
                SQL(
                    "SELECT company_id FROM %s WHERE id = %s",
                    SQL.identifier(table),
                    row_id,
                )
            )
            self.assertEqual(cr.fetchone()[0], self.company_a.id, table)
            # and the table is append-only again
            with (
                self.assertRaises(psycopg2.errors.InsufficientPrivilege),
                mute_logger("odoo.sql_db"),
                cr.savepoint(),
            ):
                cr.execute(
                    SQL(
                        "UPDATE %s SET company_id = NULL WHERE id = %s",
                        SQL.identifier(table),
                        row_id,
                    )
                )
