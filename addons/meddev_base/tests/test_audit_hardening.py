import base64
import hashlib

import psycopg2

from odoo.exceptions import UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.meddev_base import audit_migration

from .common import MeddevCase, load_fake_model

MIGRATION = "meddev_base 18.0.1.3.0"
MIGRATION_REASON = "Quantities converted from boxes to pieces (CR-2026-042)"


@tagged("post_install", "-at_install")
class TestAuditHardening(MeddevCase):
    """Capture trigger safe for any column name, migrations attributed, the
    audit trail kept when a dependency of meddev_base is uninstalled, and
    the files of audited binary fields audited where they change."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .audit_tester import MeddevAuditDollarTester, MeddevAuditTester

        cls.tester_model = load_fake_model(cls, MeddevAuditTester)
        load_fake_model(cls, MeddevAuditDollarTester)
        cls.Tester = cls.env["meddev.audit.tester"]
        cls.Entry = cls.env["meddev.audit.entry"]
        cls.user = cls.users["qa_engineer"]

    def entries(self, record):
        return self.Entry.sudo().search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)],
            order="id",
        )

    def changes(self, entry):
        return {change["field"]: change for change in entry.changes}

    # ------------------------------------------------------------------
    # column names
    # ------------------------------------------------------------------
    def test_dollar_column_names_recorded(self):
        Dollar = self.env["meddev.audit.dollar.tester"]
        record = Dollar.create({"name": "A", "x_note$fn$": "lot 7", "x$body$": 3})
        record.write({"x_note$fn$": "lot 8 $fn$ end", "x$body$": 4})
        changes = self.changes(self.entries(record)[-1])
        self.assertEqual(changes["x_note$fn$"]["old"], "lot 7")
        self.assertEqual(changes["x_note$fn$"]["new"], "lot 8 $fn$ end")
        self.assertEqual(changes["x$body$"]["new"], 4)

    def test_custom_field_with_dollar_recorded(self):
        """A custom field added in Settings may be named ``x_lot$fn$``: it is
        recorded like any other."""
        self.env["ir.model.fields"].create(
            {
                "name": "x_lot$fn$",
                "field_description": "Lot",
                "model_id": self.tester_model.id,
                "ttype": "char",
                "state": "manual",
            }
        )
        record = self.env["meddev.audit.tester"].create({"name": "Lot $"})
        record.write({"x_lot$fn$": "2026-118"})
        changes = self.changes(self.entries(record)[-1])
        self.assertEqual(changes["x_lot$fn$"]["new"], "2026-118")

    # ------------------------------------------------------------------
    # migrations
    # ------------------------------------------------------------------
    def test_migration_entries_attributed_with_reason(self):
        raw, orm, own = self.Tester.create(
            [{"name": "Lot M1", "qty": 1}, {"name": "Lot M2"}, {"name": "Lot M3"}]
        )
        table = SQL.identifier(self.Tester._table)
        self.env.flush_all()
        with audit_migration(self.env.cr, MIGRATION, MIGRATION_REASON):
            self.env.cr.execute(
                SQL("UPDATE %s SET qty = qty * 10 WHERE id = %s", table, raw.id)
            )
            orm.write({"qty": 5})
            own.write({"qty": 6, "audit_reason": "Its own reason"})
            orm.write({"note": "after a reasoned write"})
        login = f"migration: {MIGRATION}"
        entry = self.entries(raw)[-1]
        self.assertEqual(entry.user_login, login)
        # raw SQL names no Odoo user (not the row's last writer)
        self.assertFalse(entry.user_id)
        self.assertEqual(entry.reason, MIGRATION_REASON)
        self.assertEqual(self.changes(entry)["qty"]["new"], 10)
        for entry in self.entries(orm).filtered(lambda e: e.operation == "write"):
            self.assertEqual(entry.user_login, login)
            self.assertEqual(entry.reason, MIGRATION_REASON)
        self.assertEqual(self.entries(own)[-1].reason, "Its own reason")
        self.assertEqual(self.entries(own)[-1].user_login, login)
        # after the block, as before it
        self.env.cr.execute(SQL("UPDATE %s SET qty = 7 WHERE id = %s", table, raw.id))
        entry = self.entries(raw)[-1]
        self.assertNotEqual(entry.user_login, login)
        self.assertFalse(entry.reason)
        orm.write({"qty": 8})
        self.assertEqual(self.entries(orm)[-1].user_login, self.env.user.login)

    def test_migration_needs_identity_and_reason(self):
        for identity, reason in ((MIGRATION, " "), ("", MIGRATION_REASON)):
            with self.assertRaises(ValueError):
                with audit_migration(self.env.cr, identity, reason):
                    pass

    # ------------------------------------------------------------------
    # uninstall
    # ------------------------------------------------------------------
    def test_uninstalling_a_dependency_refused(self):
        self.Tester.create({"name": "Lot U"})
        admin = new_test_user(
            self.env, login="test_md_sysadmin", groups="base.group_system"
        )
        Module = self.env["ir.module.module"].with_user(admin)
        for name in ("product", "mail"):
            module = Module.search([("name", "=", name)])
            for method in ("button_uninstall", "button_immediate_uninstall"):
                with self.assertRaisesRegex(
                    UserError, "Medical Device QMS: Base depends on it"
                ):
                    getattr(module, method)()
            self.assertEqual(module.state, "installed")
        self.assertFalse(Module.search([("state", "=", "to remove")]))

    # ------------------------------------------------------------------
    # files of audited binary fields
    # ------------------------------------------------------------------
    def file_changes(self, record):
        return [
            self.changes(entry)["document"]
            for entry in self.entries(record)
            if "document" in (entry.changed_fields or "").split()
        ]

    def test_file_replaced_recorded_without_content(self):
        first, second = b"certificate v1", b"certificate version 2"
        record = self.Tester.with_user(self.user).create(
            {"name": "Lot B", "document": base64.b64encode(first)}
        )
        record.write({"document": base64.b64encode(second)})
        created, replaced = self.file_changes(record)
        self.assertFalse(created["old"])
        self.assertEqual(
            replaced["old"],
            {
                "checksum": hashlib.sha1(first).hexdigest(),
                "name": "document",
                "size": len(first),
            },
        )
        self.assertEqual(replaced["new"]["checksum"], hashlib.sha1(second).hexdigest())
        self.assertEqual(replaced["new"]["size"], len(second))
        entry = self.entries(record)[-1]
        self.assertEqual(entry.user_id, self.user)
        self.assertNotIn(base64.b64encode(second).decode(), entry.changes_json)
        self.assertNotIn(second.decode(), entry.changes_json)

    def test_file_replaced_through_the_attachment(self):
        """Replacing or removing the file through ir.attachment (RPC) is
        recorded, and needs the reason in a controlled state."""
        record = self.Tester.with_user(self.user).create(
            {"name": "Lot C", "document": base64.b64encode(b"v1")}
        )
        attachment = (
            self.env["ir.attachment"]
            .with_user(self.user)
            .search(
                [
                    ("res_model", "=", record._name),
                    ("res_id", "=", record.id),
                    ("res_field", "=", "document"),
                ]
            )
        )
        attachment.write({"raw": b"forged"})
        change = self.file_changes(record)[-1]
        self.assertEqual(change["new"]["checksum"], hashlib.sha1(b"forged").hexdigest())
        record.write({"state": "approved"})
        count = len(self.entries(record))
        with self.assertRaisesRegex(ValidationError, "reason for change"):
            attachment.write({"raw": b"forged again"})
        with self.assertRaisesRegex(ValidationError, "reason for change"):
            attachment.unlink()
        with self.assertRaisesRegex(ValidationError, "reason for change"):
            self.env["ir.attachment"].with_user(self.user).create(
                {
                    "name": "other",
                    "raw": b"a second file",
                    "res_model": record._name,
                    "res_id": record.id,
                    "res_field": "document",
                }
            )
        self.assertEqual(len(self.entries(record)), count)
        record.invalidate_recordset(["document"])
        self.assertEqual(base64.b64decode(record.document), b"forged")
        attachment.with_context(audit_reason="Scan of the signed copy").unlink()
        entry = self.entries(record)[-1]
        self.assertEqual(entry.reason, "Scan of the signed copy")
        self.assertFalse(self.changes(entry)["document"]["new"])

    def test_file_of_deleted_record_recorded(self):
        record = self.Tester.create(
            {"name": "Lot D", "document": base64.b64encode(b"v1")}
        )
        record_id = record.id
        record.unlink()
        entries = self.Entry.sudo().search(
            [("res_model", "=", record._name), ("res_id", "=", record_id)],
            order="id",
        )
        self.assertEqual(entries.mapped("operation")[-2:], ["unlink", "unlink"])
        self.assertEqual(
            self.changes(entries[-1])["document"]["old"]["checksum"],
            hashlib.sha1(b"v1").hexdigest(),
        )

    @mute_logger("odoo.sql_db")
    def test_login_failure_counts_only_grow(self):
        self.env["meddev.login.failure"]._record("x", self.user, "10.0.0.9", "test")
        for statement in (
            SQL("UPDATE meddev_login_failure SET attempt_count = 0"),
            SQL("UPDATE meddev_login_failure SET attempt_count = 9, login = 'y'"),
            SQL("DELETE FROM meddev_login_failure"),
            SQL("TRUNCATE meddev_login_failure"),
        ):
            with self.assertRaises(psycopg2.errors.InsufficientPrivilege):
                with self.env.cr.savepoint():
                    self.env.cr.execute(statement)
