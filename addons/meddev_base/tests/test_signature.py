import base64
import time

import psycopg2

from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tests import tagged
from odoo.tools import SQL, mute_logger

from odoo.addons.auth_totp.models.totp import TIMESTEP, hotp

from .common import MeddevCase

PASSWORD = "Sign-me-2026!"


@tagged("post_install", "-at_install")
class TestSignature(MeddevCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .signature_tester import MeddevSignatureTester

        model = cls._load_fake_model(MeddevSignatureTester)
        cls.rule = cls.env["meddev.signature.rule"].create(
            {
                "name": "QA approval",
                "model_id": model.id,
                "action": "approve",
                "target_state": "approved",
                "meaning": "approved",
                "group_ids": [
                    (6, 0, [cls.env.ref("meddev_base.group_meddev_qa_manager").id])
                ],
            }
        )
        for user in cls.users.values():
            user.password = PASSWORD
        cls.Tester = cls.env["meddev.signature.tester"]
        cls.Entry = cls.env["meddev.audit.entry"]

    def setUp(self):
        super().setUp()
        # failed attempts are written through a cursor of their own: in test
        # mode it joins this test's transaction, so they can be checked here
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)

    def events(self, record, operation):
        return self.Entry.sudo().search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("operation", "=", operation),
            ]
        )

    def open_wizard(self, record, values):
        """The signing dialog a QA manager opens on ``record``, filled in."""
        action = (
            record.with_user(self.users["qa_manager"])
            .with_context(meddev_sign_action="approve")
            .action_meddev_sign()
        )
        return (
            self.env["meddev.signature.wizard"]
            .with_user(self.users["qa_manager"])
            .with_context(**action["context"])
            .create(values)
        )

    def sign(self, role, record, password=PASSWORD, **kwargs):
        user = self.users[role]
        return record.with_user(user)._meddev_sign("approve", password, **kwargs)

    def failing_sign(self, role, record, password="wrong"):
        """Sign and return the exception; no savepoint, so what the failure
        recorded stays visible (assertRaises would roll it back)."""
        try:
            self.sign(role, record, password=password)
        except (AccessDenied, AccessError, UserError) as exc:
            return exc
        self.fail("the signature was not refused")

    def test_sign_records_who_what_when_meaning(self):
        record = self.Tester.create({"name": "Spec EO-01", "spec": "EO 600 mg/L, 4 h"})
        signature = self.sign("qa_manager", record, comment="Validated cycle")
        manager = self.users["qa_manager"]
        self.assertEqual(signature.signer_id, manager)
        self.assertEqual(signature.printed_name, manager.name)
        self.assertEqual(signature.meaning, "approved")
        self.assertEqual(signature.comment, "Validated cycle")
        self.assertTrue(signature.signed_at)
        self.assertEqual(len(signature.content_hash), 64)
        self.assertEqual(signature.signed_content["spec"], "EO 600 mg/L, 4 h")
        self.assertTrue(signature.matches)
        self.assertEqual(record.state, "approved")
        self.assertEqual(record.signature_ids, signature)
        self.assertTrue(self.events(record, "sign"))
        self.assertIn("Validated cycle", self.events(record, "sign").reason)

    def test_later_change_marks_signature(self):
        record = self.Tester.create({"name": "Spec EO-02", "spec": "EO 600 mg/L"})
        signature = self.sign("qa_manager", record)
        self.assertFalse(record.signature_mismatch)
        record.with_context(audit_reason="Exposure corrected").write(
            {"spec": "EO 650 mg/L"}
        )
        signature.invalidate_recordset(["matches"])
        record.invalidate_recordset(["signature_mismatch"])
        self.assertFalse(signature.matches)
        self.assertTrue(record.signature_mismatch)
        html = self.env["ir.qweb"]._render("meddev_base.signature_block", {"o": record})
        self.assertIn(self.users["qa_manager"].name, html)
        self.assertIn("Content changed after signing", html)

    def test_wrong_password_refused_and_audited(self):
        record = self.Tester.create({"name": "Spec EO-03"})
        exc = self.failing_sign("qa_manager", record)
        self.assertIsInstance(exc, AccessDenied)
        self.assertEqual(record.state, "draft")
        self.assertFalse(record.signature_ids)
        failed = self.events(record, "sign_failed")
        self.assertEqual(len(failed), 1)
        self.assertEqual(failed.user_id, self.users["qa_manager"])

    def test_role_not_allowed_refused_and_audited(self):
        record = self.Tester.create({"name": "Spec EO-04"})
        for role in ("qa_engineer", "buyer", "admin", "auditor"):
            exc = self.failing_sign(role, record, password=PASSWORD)
            self.assertIsInstance(exc, AccessError, role)
        self.assertEqual(len(self.events(record, "sign_failed")), 4)
        self.assertFalse(record.signature_ids)
        # the director holds QA Manager by the role ladder
        self.sign("quality_director", record)
        self.assertEqual(record.state, "approved")

    @mute_logger("odoo.addons.meddev_base.models.meddev_signature_mixin")
    def test_three_failures_lock_signing(self):
        record = self.Tester.create({"name": "Spec EO-05"})
        manager = self.users["qa_manager"]
        for _i in range(2):
            self.assertIsInstance(self.failing_sign("qa_manager", record), AccessDenied)
        self.assertFalse(manager.meddev_signing_locked)
        exc = self.failing_sign("qa_manager", record)
        self.assertIsInstance(exc, UserError)
        manager.invalidate_recordset()
        self.assertTrue(manager.meddev_signing_locked)
        # even the right password is refused now
        exc = self.failing_sign("qa_manager", record, password=PASSWORD)
        self.assertIn("locked", str(exc))
        officer = self.users["admin"]
        notice = self.env["mail.message"].search(
            [("partner_ids", "in", officer.partner_id.id)], order="id desc", limit=1
        )
        self.assertIn(manager.name, notice.subject)
        self.assertTrue(self.events(manager, "sign_locked"))
        # only a QMS administrator unlocks, with a trace
        with self.assertRaises(AccessError):
            manager.with_user(self.users["qa_manager"]).action_meddev_unlock_signing()
        manager.with_user(officer).action_meddev_unlock_signing()
        self.assertFalse(manager.meddev_signing_locked)
        self.assertTrue(self.events(manager, "sign_unlocked"))
        self.sign("qa_manager", record)
        self.assertEqual(record.state, "approved")

    def test_totp_required_when_enabled(self):
        manager = self.users["qa_manager"]
        secret = base64.b32encode(b"meddev-totp-key-0123").decode()
        manager.sudo().totp_secret = secret
        self.assertTrue(manager.totp_enabled)
        record = self.Tester.create({"name": "Spec EO-06"})
        self.assertIsInstance(
            self.failing_sign("qa_manager", record, PASSWORD), AccessDenied
        )
        code = hotp(base64.b32decode(secret), int(time.time() / TIMESTEP))
        signature = self.sign("qa_manager", record, totp_code=str(code).zfill(6))
        self.assertTrue(signature.totp_used)

    def test_target_state_only_by_signature(self):
        record = self.Tester.create({"name": "Spec EO-07"})
        for env_record in (
            record,
            record.sudo(),
            record.with_context(
                meddev_signed_steps={("meddev.signature.tester", record.id, "approve")}
            ),
        ):
            with self.assertRaisesRegex(UserError, "only by the electronic signature"):
                env_record.write({"state": "approved"})
        self.assertEqual(record.state, "draft")

    def test_no_rule_no_signature(self):
        record = self.Tester.create({"name": "Spec EO-08"})
        with self.assertRaisesRegex(UserError, "No electronic signature rule"):
            record.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.rule.active = False
        with self.assertRaises(UserError):
            self.sign("qa_manager", record)

    def test_signatures_immutable(self):
        record = self.Tester.create({"name": "Spec EO-09"})
        signature = self.sign("qa_manager", record)
        admin = self.env.ref("base.user_admin")
        with self.assertRaises(UserError):
            signature.with_user(admin).write({"printed_name": "Someone else"})
        with self.assertRaises(UserError):
            signature.with_user(admin).unlink()
        with self.assertRaises(UserError):
            signature.sudo().write({"meaning": "rejected"})
        with self.assertRaises(UserError):
            self.env["meddev.signature"].with_user(admin).create(
                {"res_model": record._name, "res_id": record.id}
            )
        with mute_logger("odoo.sql_db"):
            for statement in (
                SQL("UPDATE meddev_signature SET meaning = 'rejected'"),
                SQL("DELETE FROM meddev_signature"),
            ):
                with self.assertRaises(psycopg2.errors.InsufficientPrivilege):
                    with self.env.cr.savepoint():
                        self.env.cr.execute(statement)

    def test_signatures_read_with_their_record(self):
        visible = self.Tester.create({"name": "Spec EO-11"})
        secret = self.Tester.create({"name": "secret"})
        seen_sig = self.sign("qa_manager", visible)
        secret_sig = self.sign("quality_director", secret)
        self.env["ir.rule"].create(
            {
                "name": "signature testers: no secrets for employees",
                "model_id": self.env["ir.model"]._get(self.Tester._name).id,
                "groups": [(4, self.env.ref("base.group_user").id)],
                "domain_force": "[('name', '!=', 'secret')]",
            }
        )
        employee = self.employee
        seen = self.env["meddev.signature"].with_user(employee).search([])
        self.assertIn(seen_sig, seen)
        self.assertNotIn(secret_sig, seen)
        with self.assertRaises(AccessError):
            secret_sig.with_user(employee).read(["printed_name"])
        everything = (
            self.env["meddev.signature"].with_user(self.users["auditor"]).search([])
        )
        self.assertIn(secret_sig, everything)

    def test_wizard_forgets_a_refused_password(self):
        record = self.Tester.create({"name": "Spec EO-11"})
        wizard = self.open_wizard(
            record, {"password": "not-my-password", "totp_code": "123456"}
        )
        # no assertRaises: its savepoint would also undo the clearing, which is
        # done in a transaction of its own (in test mode: on this connection)
        refused = False
        try:
            wizard.action_sign()
        except AccessDenied:
            refused = True
        self.assertTrue(refused)
        self.assertEqual(record.state, "draft")
        self.env.cr.execute(
            SQL(
                "SELECT password, totp_code FROM meddev_signature_wizard "
                "WHERE id = %s",
                wizard.id,
            )
        )
        self.assertEqual(self.env.cr.fetchone(), (None, None))

    def test_wizard_signs_and_forgets_password(self):
        record = self.Tester.create({"name": "Spec EO-10"})
        wizard = self.open_wizard(record, {"password": PASSWORD, "comment": "OK"})
        self.assertEqual(wizard.meaning, "approved")
        self.assertEqual(wizard.step, "QA approval")
        wizard.action_sign()
        self.assertFalse(wizard.password)
        self.assertEqual(record.state, "approved")
        with self.assertRaises(AccessError):
            record.with_user(self.users["buyer"]).with_context(
                meddev_sign_action="approve"
            ).action_meddev_sign()
