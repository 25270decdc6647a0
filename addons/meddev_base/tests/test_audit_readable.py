"""The audit trail reads in the reader's language, names records, reports on
what an auditor asks, and shows the reason for change to who may change."""

import json

from odoo_test_helper import FakeModelLoader

from odoo import SUPERUSER_ID
from odoo.exceptions import AccessDenied
from odoo.tests import tagged
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from ..models.meddev_audit_display import system_reason
from .common import MeddevCase, audit_tester_form

PASSWORD = "Sign-me-2026!"
LOADED_ID = 987654  # a record of module data, gone since
_lt = LazyTranslate("odoo.addons.meddev_base")
# lazy: the source is kept with the reason (see system_reason)
PERIOD_STARTED = _lt("Period started")  # pylint: disable=prefer-env-translation


@tagged("post_install", "-at_install")
class TestAuditReadable(MeddevCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .audit_tester import MeddevAuditTester
        from .signature_tester import MeddevSignatureTester

        cls.loader = FakeModelLoader(cls.env, cls.__module__)
        cls.loader.backup_registry()
        cls.addClassCleanup(cls.loader.restore_registry)
        cls.loader.update_registry((MeddevAuditTester, MeddevSignatureTester))
        Access = cls.env["ir.model.access"]
        employees = cls.env.ref("base.group_user")
        engineers = cls.env.ref("meddev_base.group_meddev_qa_engineer")
        for model, writers in (
            ("meddev.audit.tester", engineers),
            ("meddev.signature.tester", employees),
        ):
            model_id = cls.env["ir.model"]._get(model).id
            # employees (the auditor among them) read the audited testers;
            # only QA engineers change them
            Access.create(
                [
                    {
                        "name": f"{model} read",
                        "model_id": model_id,
                        "group_id": employees.id,
                        "perm_read": True,
                    },
                    {
                        "name": f"{model} write",
                        "model_id": model_id,
                        "group_id": writers.id,
                        "perm_read": True,
                        "perm_write": True,
                        "perm_create": True,
                        "perm_unlink": True,
                    },
                ]
            )
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(["meddev_base"], ["zh_CN"])
        cls.rule = cls.env["meddev.signature.rule"].create(
            {
                "name": "QA approval",
                "model_id": cls.env["ir.model"]._get("meddev.signature.tester").id,
                "action": "approve",
                "target_state": "approved",
                "meaning": "approved",
                "group_ids": [
                    (6, 0, [cls.env.ref("meddev_base.group_meddev_qa_manager").id])
                ],
            }
        )
        cls.rule.with_context(lang="zh_CN").name = "质量审批"
        cls.users["qa_manager"].password = PASSWORD
        cls.zh_user = cls.users["admin"]  # QMS administrator, in Chinese
        cls.zh_user.lang = "zh_CN"
        cls.users["qa_manager"].lang = "zh_CN"
        cls.Entry = cls.env["meddev.audit.entry"]
        cls.auditor = cls.users["auditor"]

    def setUp(self):
        super().setUp()
        # a failed signature is written through a cursor of its own
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def read_as(self, lang, domain):
        """The entries as the auditor reads them in ``lang``."""
        return (
            self.Entry.with_user(self.auditor)
            .with_context(lang=lang)
            .search(domain, order="id")
        )

    def entries_of(self, record, lang="en_US"):
        return self.read_as(
            lang, [("res_model", "=", record._name), ("res_id", "=", record.id)]
        )

    def zh(self, model, fname):
        field = self.env[model]._fields[fname]
        return field._description_string(self.env(context={"lang": "zh_CN"}))

    # ------------------------------------------------------------------
    # labels and values in the reader's language
    # ------------------------------------------------------------------
    def test_same_entry_reads_in_each_readers_language(self):
        groups = self.env.ref("meddev_base.group_meddev_qa_engineer")
        self.rule.with_user(self.zh_user).with_context(lang="zh_CN").write(
            {"meaning": "released", "group_ids": [(4, groups.id)]}
        )
        # each reader's request reads in a cache of its own
        self.env.invalidate_all()
        # the row, and the many2many (the rule's naming in setUpClass before)
        english = self.entries_of(self.rule)[-2:]
        self.assertEqual(english.mapped("operation"), ["write", "write"])
        en = {c["field"]: c for e in english for c in e.changes}
        english_fields = english.mapped("changed_fields_label")
        self.env.invalidate_all()
        chinese = self.entries_of(self.rule, "zh_CN")[-2:]
        cn = {c["field"]: c for e in chinese for c in e.changes}
        self.assertEqual(en["meaning"]["label"], "Meaning")
        self.assertEqual(cn["meaning"]["label"], self.zh(self.rule._name, "meaning"))
        self.assertEqual(cn["meaning"]["label"], "签名含义")
        self.assertEqual(
            (en["meaning"]["old_display"], en["meaning"]["new_display"]),
            ("Approved", "Released"),
        )
        zh_labels = dict(
            self.rule._fields["meaning"]._description_selection(
                self.env(context={"lang": "zh_CN"})
            )
        )
        self.assertEqual(cn["meaning"]["new_display"], zh_labels["released"])
        self.assertNotEqual(cn["meaning"]["new_display"], "Released")
        # written by the mixin in a Chinese session: read in English
        self.assertEqual(en["group_ids"]["label"], "Roles Allowed")
        self.assertEqual(cn["group_ids"]["label"], "允许的角色")
        self.assertIn(groups.name, en["group_ids"]["new_display"])
        # the list's field column: labels, not technical names
        self.assertIn("Meaning", english_fields)
        self.assertIn("签名含义", chinese.mapped("changed_fields_label"))
        self.assertNotIn("meaning", " ".join(english_fields))

    def test_record_names_not_model_and_id(self):
        Tester = self.env["meddev.audit.tester"].with_user(self.users["qa_engineer"])
        record = Tester.create({"name": "Lot R1"})
        gone = Tester.create({"name": "Lot R2"})
        gone_id = gone.id
        gone.unlink()
        # entries as the trail wrote them before it named records
        for res_id in (self.rule.id, record.id, gone_id):
            model = self.rule._name if res_id == self.rule.id else record._name
            self.env.cr.execute(
                SQL(
                    "INSERT INTO meddev_audit_entry (timestamp, user_id, user_login, "
                    "res_model, res_id, res_name, operation, changes_json, "
                    "changed_fields) VALUES (now() AT TIME ZONE 'UTC', %s, "
                    "'__system__', %s, %s, %s, 'write', '[]', '')",
                    SUPERUSER_ID,
                    model,
                    res_id,
                    f"{model},{res_id}",
                )
            )
        rule_entry = self.entries_of(self.rule)[-1]
        self.assertEqual(rule_entry.res_name, f"{self.rule._name},{self.rule.id}")
        self.assertEqual(rule_entry.record_name, "QA approval")
        self.assertEqual(
            self.entries_of(self.rule, "zh_CN")[-1].record_name, "质量审批"
        )
        self.assertEqual(self.entries_of(record)[-1].record_name, "Lot R1")
        deleted = self.read_as(
            "en_US", [("res_model", "=", record._name), ("res_id", "=", gone_id)]
        )
        # deleted: the name it had, else the document type and the id
        self.assertIn("Lot R2", deleted.mapped("record_name"))
        self.assertEqual(
            deleted[-1].record_name, f"{deleted[-1].res_model_name} #{gone_id}"
        )

    # ------------------------------------------------------------------
    # texts the system writes: code and parameters, read in any language
    # ------------------------------------------------------------------
    def test_failed_signature_by_chinese_user_reads_in_english(self):
        record = self.env["meddev.signature.tester"].create({"name": "Spec R3"})
        manager = self.users["qa_manager"]
        # no assertRaises: its savepoint would roll the failure's entry back
        refused = False
        try:
            record.with_user(manager).with_context(lang="zh_CN")._meddev_sign(
                "approve", "wrong"
            )
        except AccessDenied:
            refused = True
        self.assertTrue(refused, "the signature was not refused")
        failed = self.entries_of(record).filtered(
            lambda e: e.operation == "sign_failed"
        )
        self.assertEqual(len(failed), 1)
        # stored as written, in the signer's language (it is what was sealed)
        self.assertTrue(failed.reason.startswith("步骤 approve："))
        self.assertEqual(failed.reason_code, "sign_failed")
        self.assertEqual(failed.reason_display, "Step approve: wrong credentials")
        chinese = self.entries_of(record, "zh_CN").filtered(
            lambda e: e.operation == "sign_failed"
        )
        # and in Chinese, the reason translated too
        self.assertEqual(chinese.reason_display, "步骤 approve：凭据错误")

    def test_system_reason_reads_in_readers_language(self):
        tags = self.env["res.partner.category"].create([{"name": "Sterile R12"}])
        record = self.env["meddev.audit.tester"].create({"name": "Lot R12"})
        chinese_env = self.env(context={"lang": "zh_CN"})
        reason = system_reason(chinese_env, PERIOD_STARTED)
        record.with_context(audit_reason=reason).write(
            {"qty": 5, "tag_ids": [(6, 0, tags.ids)]}
        )
        # the row (written by the database) and the many2many (by the mixin)
        entries = self.entries_of(record)[-2:]
        self.assertEqual(entries.mapped("reason_code"), ["lazy", "lazy"])
        self.assertEqual(set(entries.mapped("reason")), {str(reason)})
        self.assertNotEqual(str(reason), "Period started")
        self.assertEqual(entries.mapped("reason_display"), ["Period started"] * 2)
        chinese = self.entries_of(record, "zh_CN")[-2:]
        self.assertEqual(chinese.mapped("reason_display"), [str(reason)] * 2)

    def test_signature_reads_in_readers_language(self):
        record = self.env["meddev.signature.tester"].create({"name": "Spec R4"})
        manager = self.users["qa_manager"]
        record.with_user(manager).with_context(lang="zh_CN")._meddev_sign(
            "approve", PASSWORD
        )
        sign = self.entries_of(record).filtered(lambda e: e.operation == "sign")
        stored = json.loads(sign.changes_json)[0]
        self.assertEqual(stored["rule_id"], self.rule.id)
        change = sign.changes[0]
        self.assertEqual(change["label"], "Signature")
        self.assertEqual(
            change["new_display"], f"{manager.name}: Approved (QA approval)"
        )
        chinese = self.entries_of(record, "zh_CN").filtered(
            lambda e: e.operation == "sign"
        )
        self.assertIn("质量审批", chinese.changes[0]["new_display"])
        self.assertNotIn("Approved", chinese.changes[0]["new_display"])
        # an entry recorded before the rule was named in it
        del stored["rule_id"]
        stored.update(label="签名", new_display="王芳：已批准（质量审批）")
        self.env.cr.execute(
            SQL(
                "INSERT INTO meddev_audit_entry (timestamp, user_id, user_login, "
                "res_model, res_id, res_name, operation, changes_json, "
                "changed_fields) VALUES (now() AT TIME ZONE 'UTC', %s, %s, %s, %s, "
                "'Spec R4', 'sign', %s, 'signature')",
                manager.id,
                manager.login,
                record._name,
                record.id,
                json.dumps([stored], ensure_ascii=False),
            )
        )
        old = self.entries_of(record)[-1]
        self.assertEqual(
            old.changes[0]["new_display"], f"{manager.name}: Approved (QA approval)"
        )
        self.assertEqual(old.changes[0]["label"], "Signature")

    # ------------------------------------------------------------------
    # the report: a record, a user, a period without installation noise
    # ------------------------------------------------------------------
    def _render(self, wizard, lang="en_US"):
        return (
            self.env["ir.actions.report"]
            .with_user(self.auditor)
            .with_context(lang=lang)
            ._render_qweb_html("meddev_base.report_meddev_audit_trail", wizard.ids)[0]
            .decode()
        )

    def _noise(self):
        """An entry written while modules were installed, and one the trail
        wrote before it flagged them: the superuser on a record of module
        data."""
        Tester = self.env["meddev.audit.tester"]
        installed = Tester.with_context(install_mode=True).create(
            {"name": "Installed R5"}
        )
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "INSERT INTO meddev_audit_entry (timestamp, user_id, user_login, "
                "res_model, res_id, res_name, operation, changes_json, "
                "changed_fields) VALUES (now() AT TIME ZONE 'UTC', %s, '__system__', "
                "'meddev.signature.rule', %s, 'Loaded R6', 'create', '[]', '')",
                SUPERUSER_ID,
                LOADED_ID,
            )
        )
        # an external id on the record: module data
        self.env["ir.model.data"].create(
            {
                "module": "meddev_test",
                "name": "loaded_r6",
                "model": "meddev.signature.rule",
                "res_id": LOADED_ID,
            }
        )
        return installed

    def test_period_report_leaves_installation_out(self):
        installed = self._noise()
        self.assertTrue(self.entries_of(installed).during_setup)
        Tester = self.env["meddev.audit.tester"].with_user(self.users["qa_engineer"])
        Tester.create({"name": "Changed R7"})
        wizard = (
            self.env["meddev.audit.report.wizard"]
            .with_user(self.auditor)
            .create({"scope": "period"})
        )
        entries = wizard._entries()
        self.assertFalse(entries.filtered("setup_noise"))
        html = self._render(wizard)
        self.assertIn("Changed R7", html)
        self.assertNotIn("Installed R5", html)
        self.assertNotIn("Loaded R6", html)
        wizard.include_setup = True
        html = self._render(wizard)
        self.assertIn("Installed R5", html)
        self.assertIn("Loaded R6", html)

    def test_user_report(self):
        engineer = self.users["qa_engineer"]
        Tester = self.env["meddev.audit.tester"]
        Tester.with_user(engineer).create({"name": "Mine R8"})
        Tester.create({"name": "Not mine R9"})
        wizard = (
            self.env["meddev.audit.report.wizard"]
            .with_user(self.auditor)
            .create({"scope": "user", "user_id": engineer.id})
        )
        self.assertEqual(wizard._entries().user_id, engineer)
        html = self._render(wizard, "zh_CN")
        self.assertIn("Mine R8", html)
        self.assertNotIn("Not mine R9", html)

    def test_record_report_from_its_trail(self):
        engineer = self.users["qa_engineer"]
        record = (
            self.env["meddev.audit.tester"]
            .with_user(engineer)
            .create({"name": "Lot R10", "state": "draft"})
        )
        record.write({"state": "approved"})
        record.with_context(audit_reason="Typo").write({"qty": 3})
        # the auditor opens the record's trail, then prints it
        trail = record.with_user(self.auditor).action_view_audit_trail()
        action = (
            self.Entry.with_user(self.auditor)
            .with_context(**trail["context"])
            .action_open_report_wizard()
        )
        self.assertEqual(action["res_model"], "meddev.audit.report.wizard")
        wizard = (
            self.env["meddev.audit.report.wizard"]
            .with_user(self.auditor)
            .with_context(
                **action["context"],
                active_model="meddev.audit.entry",
                active_id=self.Entry.search([], limit=1).id,
            )
            .create({})
        )
        self.assertEqual(wizard.scope, "record")
        self.assertEqual(wizard.record_ref, record)
        self.assertEqual(set(wizard._entries().mapped("res_id")), {record.id})
        html = self._render(wizard)
        self.assertIn("Lot R10", html)
        self.assertIn("Typo", html)
        self.assertIn("Approved", html)
        self.assertNotIn(f"meddev.audit.tester,{record.id}", html)
        html = self._render(wizard, "zh_CN")
        self.assertIn("审计追踪报告", html)

    # ------------------------------------------------------------------
    # reason for change: asked of who may change, not shown to readers
    # ------------------------------------------------------------------
    def test_reason_banner_hidden_from_readers(self):
        audit_tester_form(self.env)
        record = self.env["meddev.audit.tester"].create(
            {"name": "Lot R11", "state": "approved"}
        )
        for user in (self.auditor, self.users["qa_engineer"]):
            arch = (
                self.env["meddev.audit.tester"]
                .with_user(user)
                .get_views([(False, "form")])["views"]["form"]["arch"]
            )
            self.assertIn('invisible="not audit_reason_required"', arch)
        self.assertFalse(record.with_user(self.auditor).audit_reason_required)
        self.assertTrue(
            record.with_user(self.users["qa_engineer"]).audit_reason_required
        )
