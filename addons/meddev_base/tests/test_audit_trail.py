import io

import psycopg2

from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.base.models.ir_model import MODULE_UNINSTALL_FLAG

from ..models.meddev_audit_entry import DIGEST_COLUMNS
from .common import MeddevCase, audit_tester_form


@tagged("post_install", "-at_install")
class TestAuditTrail(MeddevCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .audit_tester import MeddevAuditTester

        model = cls._load_fake_model(MeddevAuditTester)
        cls.env["ir.rule"].create(
            {
                "name": "testers: no secrets for employees",
                "model_id": model.id,
                "groups": [(4, cls.env.ref("base.group_user").id)],
                "domain_force": "[('name', '!=', 'secret')]",
            }
        )
        cls.Tester = cls.env["meddev.audit.tester"]
        cls.Entry = cls.env["meddev.audit.entry"]
        cls.partner = cls.env["res.partner"].create({"name": "Jierui EO"})

    def entries(self, record):
        return self.Entry.sudo().search(
            [("res_model", "=", record._name), ("res_id", "=", record.id)],
            order="id",
        )

    # ------------------------------------------------------------------
    # what is recorded
    # ------------------------------------------------------------------
    def test_create_write_unlink_recorded(self):
        user = self.users["qa_engineer"]
        record = self.Tester.with_user(user).create({"name": "Lot A", "qty": 5.0})
        record.write({"qty": 7.5, "partner_id": self.partner.id, "state": "draft"})
        record_id = record.id
        entries = self.entries(record)
        self.assertEqual(entries.mapped("operation"), ["create", "write"])
        create, write = entries
        self.assertEqual(create.user_id, user)
        self.assertEqual(create.user_login, user.login)
        self.assertEqual(create.res_name, "Lot A")
        self.assertTrue(create.timestamp)
        created = {c["field"]: c for c in create.changes}
        self.assertEqual(created["qty"]["new"], 5.0)
        self.assertEqual(created["name"]["new"], "Lot A")
        changes = {c["field"]: c for c in write.changes}
        # state did not change: only real changes are recorded
        self.assertEqual(set(changes), {"qty", "partner_id"})
        self.assertEqual((changes["qty"]["old"], changes["qty"]["new"]), (5.0, 7.5))
        self.assertEqual(changes["partner_id"]["old"], False)
        self.assertEqual(changes["partner_id"]["new"], self.partner.id)
        self.assertEqual(changes["partner_id"]["new_display"], "Jierui EO")
        self.assertEqual(changes["partner_id"]["label"], "Partner")
        self.assertEqual(write.changed_fields.split(), ["qty", "partner_id"])

        record.with_user(user).unlink()
        gone = self.Entry.sudo().search(
            [("res_model", "=", "meddev.audit.tester"), ("res_id", "=", record_id)],
            order="id",
        )
        self.assertEqual(gone[-1].operation, "unlink")
        deleted = {c["field"]: c for c in gone[-1].changes}
        # what was deleted stays readable in the trail
        self.assertEqual(deleted["qty"]["old"], 7.5)
        self.assertEqual(deleted["partner_id"]["old_display"], "Jierui EO")

    def test_no_context_switch_turns_recording_off(self):
        record = self.Tester.with_context(
            meddev_audit_disable=True, tracking_disable=True
        ).create({"name": "Lot Z"})
        record.with_context(meddev_audit_disable=True).write({"qty": 1})
        self.assertEqual(self.entries(record).mapped("operation"), ["create", "write"])

    def test_every_write_is_an_entry(self):
        record = self.Tester.create({"name": "Lot B"})
        for qty in (1, 2, 3):
            record.write({"qty": qty})
        writes = self.entries(record).filtered(lambda e: e.operation == "write")
        self.assertEqual([e.changes[0]["new"] for e in writes], [1, 2, 3])

    def test_selection_and_many2many_display(self):
        tags = self.env["res.partner.category"].create(
            [{"name": "Sterilization"}, {"name": "Class III"}]
        )
        record = self.Tester.create({"name": "Lot C"})
        record.write({"tag_ids": [(6, 0, tags.ids)], "state": "approved"})
        # the row's columns are one entry (written by the database), the
        # many2many's links another (written by the mixin)
        writes = self.entries(record).filtered(lambda e: e.operation == "write")
        self.assertEqual(len(writes), 2)
        changes = {c["field"]: c for e in writes for c in e.changes}
        self.assertEqual(sorted(changes["tag_ids"]["new"]), sorted(tags.ids))
        self.assertIn("Sterilization", changes["tag_ids"]["new_display"])
        self.assertEqual(changes["state"]["old_display"], "Draft")
        self.assertEqual(changes["state"]["new_display"], "Approved")

    # ------------------------------------------------------------------
    # captured by the database
    # ------------------------------------------------------------------
    def test_raw_sql_changes_are_recorded(self):
        record = self.Tester.create({"name": "Lot R", "qty": 1})
        self.env.cr.execute(
            SQL("UPDATE meddev_audit_tester SET qty = 99 WHERE id = %s", record.id)
        )
        entry = self.entries(record)[-1]
        self.assertEqual(entry.operation, "write")
        self.assertEqual(entry.changes[0]["field"], "qty")
        self.assertEqual(entry.changes[0]["new"], 99)
        # the statement ran in a transaction bound to an Odoo user
        self.assertEqual(entry.user_id.id, self.env.uid)
        # outside any Odoo user's transaction: the database role is named
        self.env.cr.execute(SQL("SELECT set_config('meddev.audit_ctx', '', true)"))
        self.env.cr.execute(
            SQL("DELETE FROM meddev_audit_tester WHERE id = %s", record.id)
        )
        self.env.cr.execute(SQL("SELECT current_user"))
        role = self.env.cr.fetchone()[0]
        entry = self.entries(record)[-1]
        self.assertEqual(entry.operation, "unlink")
        self.assertFalse(entry.user_id)
        self.assertEqual(entry.user_login, f"database:{role}")
        self.assertEqual({c["field"]: c["old"] for c in entry.changes}["qty"], 99)

    def test_each_change_names_its_user(self):
        engineer, manager = self.users["qa_engineer"], self.users["qa_manager"]
        record = self.Tester.with_user(engineer).create({"name": "Lot U"})
        record.with_user(manager).write({"qty": 1})
        record.with_user(engineer).write({"qty": 2})
        record.with_user(engineer).write({"qty": 3})
        # a forged last writer is ignored
        record.with_user(engineer).write({"qty": 4, "write_uid": manager.id})
        self.assertEqual(record.write_uid, engineer)
        self.assertEqual(
            [entry.user_id.id for entry in self.entries(record)],
            [engineer.id, manager.id, engineer.id, engineer.id, engineer.id],
        )

    def test_reason_stays_with_its_change(self):
        approved = self.Tester.create({"name": "Lot V", "state": "approved"})
        draft = self.Tester.create({"name": "Lot W"})
        approved.write({"qty": 1, "audit_reason": "Correction"})
        draft.write({"qty": 1})
        self.assertEqual(self.entries(approved)[-1].reason, "Correction")
        self.assertFalse(self.entries(draft)[-1].reason)

    def test_batch_write_is_one_entry_per_record(self):
        records = self.Tester.create([{"name": f"Lot Y{i}"} for i in range(3)])
        records.write({"qty": 5})
        for record in records:
            writes = self.entries(record).filtered(lambda e: e.operation == "write")
            self.assertEqual(len(writes), 1)
            self.assertEqual(writes.changes[0]["new"], 5)

    def test_trigger_follows_added_and_dropped_columns(self):
        """A field added to an audited model is recorded; once its module is
        uninstalled, changes of the row are still recorded (no trigger left
        pointing at the dropped column)."""
        Rule = self.env["meddev.signature.rule"]
        field = self.env["ir.model.fields"].create(
            {
                "name": "x_batch_note",
                "field_description": "Batch note",
                "model_id": self.env["ir.model"]._get_id(Rule._name),
                "ttype": "char",
                "state": "manual",
            }
        )
        rule = self.env["meddev.signature.rule"].create(
            {
                "name": "Release",
                "model_id": self.env["ir.model"]._get_id(Rule._name),
                "action": "release",
                "meaning": "released",
            }
        )
        rule.write({"x_batch_note": "lot 2026-118"})
        changes = {c["field"]: c for c in self.entries(rule)[-1].changes}
        self.assertEqual(changes["x_batch_note"]["new"], "lot 2026-118")
        self.assertEqual(changes["x_batch_note"]["label"], "Batch note")
        # as when the module that added the field is uninstalled: the column
        # is dropped and the model is not initialised again
        field.with_context(**{MODULE_UNINSTALL_FLAG: True}).unlink()
        rule = self.env["meddev.signature.rule"].browse(rule.id)
        rule.write({"name": "Final release"})
        changes = {c["field"]: c for c in self.entries(rule)[-1].changes}
        self.assertEqual(set(changes), {"name"})

    # ------------------------------------------------------------------
    # reason for change
    # ------------------------------------------------------------------
    def test_reason_required_in_controlled_state(self):
        record = self.Tester.create({"name": "Lot D", "qty": 1})
        record.write({"state": "approved"})  # approving needs no reason
        count = len(self.entries(record))
        with self.assertRaisesRegex(ValidationError, "reason for change"):
            record.write({"qty": 2})
        self.assertEqual(record.qty, 1)
        self.assertEqual(len(self.entries(record)), count)
        with self.assertRaises(ValidationError):
            record.write({"qty": 2, "audit_reason": "   "})
        record.write({"qty": 2, "audit_reason": "Typo in the batch record"})
        self.assertEqual(self.entries(record)[-1].reason, "Typo in the batch record")
        record.with_context(audit_reason="Over RPC").write({"qty": 3})
        self.assertEqual(self.entries(record)[-1].reason, "Over RPC")
        with self.assertRaises(ValidationError):
            record.unlink()
        self.assertTrue(record.exists())
        self.assertTrue(record.audit_reason_required)

    def test_reason_field_and_button_in_form(self):
        audit_tester_form(self.env)
        arch = self.Tester.get_view(view_type="form")["arch"]
        self.assertIn('name="action_view_audit_trail"', arch)
        self.assertIn('name="audit_reason"', arch)
        record = self.Tester.create({"name": "Lot E"})
        record.qty = 4
        self.assertEqual(record.audit_entry_count, 2)
        action = record.action_view_audit_trail()
        self.assertEqual(self.Entry.search_count(action["domain"]), 2)

    # ------------------------------------------------------------------
    # immutability
    # ------------------------------------------------------------------
    def test_entries_immutable_in_orm(self):
        record = self.Tester.create({"name": "Lot F"})
        entry = self.entries(record)
        with self.assertRaises(UserError):
            entry.sudo().write({"reason": "forged"})
        with self.assertRaises(UserError):
            entry.sudo().unlink()
        with self.assertRaises(UserError):
            self.Entry.sudo().create({"res_model": "x", "operation": "write"})

    @mute_logger("odoo.sql_db")
    def test_entries_immutable_in_sql(self):
        record = self.Tester.create({"name": "Lot G"})
        entry = self.entries(record)
        for statement in (
            SQL(
                "UPDATE meddev_audit_entry SET reason = 'forged' WHERE id = %s",
                entry.id,
            ),
            SQL("DELETE FROM meddev_audit_entry WHERE id = %s", entry.id),
            SQL("TRUNCATE meddev_audit_entry"),
        ):
            with self.assertRaises(psycopg2.errors.InsufficientPrivilege):
                with self.env.cr.savepoint():
                    self.env.cr.execute(statement)
        self.Entry._seal()
        entry.invalidate_recordset()
        self.assertTrue(entry.hash)
        for statement in (
            # a sealed entry cannot be sealed again
            SQL(
                "UPDATE meddev_audit_entry SET hash = %s WHERE id = %s",
                "0" * 64,
                entry.id,
            ),
            SQL("UPDATE meddev_audit_checkpoint SET hash = 'x'"),
            SQL("DELETE FROM meddev_audit_checkpoint"),
            SQL("TRUNCATE meddev_audit_checkpoint"),
        ):
            with self.assertRaises(psycopg2.errors.InsufficientPrivilege):
                with self.env.cr.savepoint():
                    self.env.cr.execute(statement)

    def test_uninstall_refused_while_entries_exist(self):
        self.Tester.create({"name": "Lot H"})
        module = self.env["ir.module.module"].search([("name", "=", "meddev_base")])
        with self.assertRaisesRegex(UserError, "cannot be uninstalled"):
            module.button_uninstall()
        self.assertEqual(module.state, "installed")

    # ------------------------------------------------------------------
    # seal and verification
    # ------------------------------------------------------------------
    def _tamper(self, statement):
        cr = self.env.cr
        cr.execute(SQL("ALTER TABLE meddev_audit_entry DISABLE TRIGGER USER"))
        cr.execute(statement)
        cr.execute(SQL("ALTER TABLE meddev_audit_entry ENABLE TRIGGER USER"))
        self.Entry.invalidate_model()

    def test_chain_intact_after_seal(self):
        record = self.Tester.create({"name": "Lot I"})
        record.qty = 3
        self.Entry._seal()
        result = self.Entry.verify_chain()
        self.assertTrue(result["ok"], result)
        self.assertFalse(result["first_bad_id"])
        self.assertEqual(result["unsealed"], 0)
        self.assertGreaterEqual(result["checked"], 2)
        entries = self.entries(record)
        self.assertEqual(entries[1].prev_hash, entries[0].hash)
        self.assertEqual(entries[1].seal_seq, entries[0].seal_seq + 1)

    def test_tampered_content_names_the_entry(self):
        records = self.Tester.create([{"name": f"Lot J{i}"} for i in range(5)])
        records.write({"qty": 9})
        self.Entry._seal()
        target = self.entries(records[2])[-1]
        self._tamper(
            SQL(
                "UPDATE meddev_audit_entry SET changes_json = %s WHERE id = %s",
                '[{"field": "qty", "old": 0, "new": 1}]',
                target.id,
            )
        )
        result = self.Entry.verify_chain()
        self.assertFalse(result["ok"])
        self.assertEqual(result["first_bad_id"], target.id)
        self.assertIn(str(target.id), result["message"])

    def test_forged_hash_breaks_the_next_link(self):
        records = self.Tester.create([{"name": f"Lot K{i}"} for i in range(3)])
        self.Entry._seal()
        first, second = self.entries(records[0]), self.entries(records[1])
        # the forger recomputes the tampered entry's own hash...
        self._tamper(
            SQL(
                "UPDATE meddev_audit_entry SET res_name = 'forged' WHERE id = %s;"
                " UPDATE meddev_audit_entry e SET hash ="
                " meddev_audit_digest_v1(e.prev_hash, e.seal_seq, %s) WHERE id = %s",
                first.id,
                SQL(DIGEST_COLUMNS),
                first.id,
            )
        )
        # ...which passes for the entry but not for the link of the next one
        result = self.Entry.verify_chain()
        self.assertFalse(result["ok"])
        self.assertEqual(result["first_bad_id"], second.id)

    def test_deleted_entry_detected(self):
        records = self.Tester.create([{"name": f"Lot L{i}"} for i in range(3)])
        self.Entry._seal()
        middle, after = self.entries(records[1]), self.entries(records[2])
        self._tamper(SQL("DELETE FROM meddev_audit_entry WHERE id = %s", middle.id))
        result = self.Entry.verify_chain()
        self.assertFalse(result["ok"])
        self.assertEqual(result["first_bad_id"], after.id)

    def test_cut_tail_detected(self):
        records = self.Tester.create([{"name": f"Lot M{i}"} for i in range(2)])
        self.Entry._seal()
        last = self.entries(records[1])
        self._tamper(SQL("DELETE FROM meddev_audit_entry WHERE id = %s", last.id))
        result = self.Entry.verify_chain()
        self.assertFalse(result["ok"])
        self.assertFalse(result["first_bad_id"])

    def test_cron_alerts_qa_managers(self):
        manager = self.users["qa_manager"]
        record = self.Tester.create({"name": "Lot N"})
        self.Entry._seal()
        self._tamper(
            SQL(
                "UPDATE meddev_audit_entry SET reason = 'x' WHERE id = %s",
                self.entries(record).id,
            )
        )
        result = self.Entry._cron_verify_chain()
        self.assertFalse(result["ok"])
        message = self.env["mail.message"].search(
            [("partner_ids", "in", manager.partner_id.id)], order="id desc", limit=1
        )
        self.assertIn("FAILED", message.subject or "")

    # ------------------------------------------------------------------
    # who reads the trail
    # ------------------------------------------------------------------
    def test_users_read_entries_of_readable_records_only(self):
        visible = self.Tester.create({"name": "visible"})
        secret = self.Tester.create({"name": "secret"})
        employee = self.employee
        seen = self.Entry.with_user(employee).search(
            [("res_model", "=", "meddev.audit.tester")]
        )
        self.assertIn(self.entries(visible), seen)
        self.assertNotIn(self.entries(secret), seen)
        with self.assertRaises(AccessError):
            self.entries(secret).with_user(employee).read(["reason"])
        for role in ("auditor", "qa_engineer", "qa_manager", "quality_director"):
            everything = self.Entry.with_user(self.users[role]).search(
                [("res_model", "=", "meddev.audit.tester")]
            )
            self.assertIn(self.entries(secret), everything, role)
        portal = new_test_user(
            self.env, login="test_md_portal_reader", groups="base.group_portal"
        )
        with self.assertRaises(AccessError):
            self.Entry.with_user(portal).search([])

    # ------------------------------------------------------------------
    # reports
    # ------------------------------------------------------------------
    def _wizard(self, user=None, **values):
        Wizard = self.env["meddev.audit.report.wizard"]
        if user:
            Wizard = Wizard.with_user(user)
        return Wizard.create(values)

    def test_xlsx_report_of_a_record(self):
        from openpyxl import load_workbook

        record = self.Tester.create({"name": "Lot X1", "qty": 1})
        record.write({"qty": 2, "partner_id": self.partner.id})
        self.Entry._seal()
        wizard = self._wizard(
            self.users["auditor"],
            scope="record",
            res_model=record._name,
            res_id=record.id,
        )
        action = wizard.action_export_xlsx()
        self.assertIn("/web/content/", action["url"])
        sheet = load_workbook(io.BytesIO(wizard._xlsx())).active
        rows = [[c.value for c in row] for row in sheet.iter_rows()]
        self.assertEqual(rows[2][:2], ["Chain intact", "Yes"])
        body = [r for r in rows[6:] if r[0]]
        self.assertTrue(any(r[8] == "Partner" and r[10] == "Jierui EO" for r in body))
        self.assertTrue(
            any(r[8] == "Qty" and r[9] == "1.0" and r[10] == "2.0" for r in body)
        )

    def test_pdf_report_prints_verification(self):
        record = self.Tester.create({"name": "Lot X2"})
        self.Entry._seal()
        wizard = self._wizard(self.users["qa_manager"], scope="period")
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("meddev_base.report_meddev_audit_trail", wizard.ids)[0]
            .decode()
        )
        self.assertIn("Lot X2", html)
        self.assertIn("The audit trail is intact", html)
        self._tamper(
            SQL(
                "UPDATE meddev_audit_entry SET reason = 'x' WHERE id = %s",
                self.entries(record).id,
            )
        )
        wizard.verification = False
        html = (
            self.env["ir.actions.report"]
            ._render_qweb_html("meddev_base.report_meddev_audit_trail", wizard.ids)[0]
            .decode()
        )
        self.assertIn("The audit trail was altered", html)

    def test_report_scope_checked_and_roles(self):
        with self.assertRaises(UserError):
            self._wizard(scope="record").action_print_pdf()
        with self.assertRaises(UserError):
            self._wizard(scope="user").action_export_xlsx()
        for role in ("buyer", "warehouse", "planner", "admin"):
            with self.assertRaises(AccessError, msg=role):
                self._wizard(self.users[role], scope="period")
