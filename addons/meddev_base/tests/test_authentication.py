import base64
import time

from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger
from odoo.tools.safe_eval import safe_eval

from odoo.addons.auth_totp.models.totp import TIMESTEP, hotp

from .common import MeddevCase

PASSWORD = "Sign-me-2026!"
TOTP_SECRET = base64.b32encode(b"meddev-totp-key-4567").decode()
PARAM_2FA_ALL = "meddev_base.signature_require_2fa_all"


@tagged("post_install", "-at_install")
class TestAuthentication(MeddevCase):
    """2FA required to sign (per role, globally) and failed logins recorded
    for the security officers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .signature_tester import MeddevSignatureTester

        model = cls._load_fake_model(MeddevSignatureTester)
        cls.qa_manager_role = cls.env.ref("meddev_base.group_meddev_qa_manager")
        cls.env["meddev.signature.rule"].create(
            {
                "name": "QA approval",
                "model_id": model.id,
                "action": "approve",
                "target_state": "approved",
                "meaning": "approved",
                "group_ids": [(6, 0, cls.qa_manager_role.ids)],
            }
        )
        for user in (*cls.users.values(), cls.employee):
            user.password = PASSWORD
        cls.manager = cls.users["qa_manager"]
        cls.Tester = cls.env["meddev.signature.tester"]
        cls.Entry = cls.env["meddev.audit.entry"]
        cls.attempts_action = cls.env.ref(
            "meddev_base.meddev_audit_entry_action_access_attempts"
        )

    def setUp(self):
        super().setUp()
        # failed attempts and logins are written through a cursor of their own:
        # in test mode it joins this test's transaction, so they can be read here
        self.registry.enter_test_mode(self.env.cr)
        self.addCleanup(self.registry.leave_test_mode)

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def refused(self, call, *args, **kwargs):
        """Call and return the exception. No assertRaises: its savepoint would
        also roll back what the refusal recorded in its own transaction."""
        try:
            call(*args, **kwargs)
        except (AccessDenied, AccessError, UserError) as exc:
            return exc
        self.fail(f"{call.__name__} was not refused")

    def open_dialog(self, user, record):
        return (
            record.with_user(user)
            .with_context(meddev_sign_action="approve")
            .action_meddev_sign()
        )

    def sign(self, user, record, **kwargs):
        return record.with_user(user)._meddev_sign("approve", PASSWORD, **kwargs)

    def sign_failures(self, record):
        return self.Entry.sudo().search(
            [
                ("res_model", "=", record._name),
                ("res_id", "=", record.id),
                ("operation", "=", "sign_failed"),
            ]
        )

    def login(self, login, password):
        self.env.flush_all()  # the login reads the users in a cursor of its own
        return self.env["res.users"]._login(
            self.env.cr.dbname,
            {"type": "password", "login": login, "password": password},
            {"interactive": True},
        )

    def login_failures(self, login):
        # a fresh query: the entries were inserted by SQL in another cursor
        return self.Entry.sudo().search(
            [("operation", "=", "login_failed"), ("res_name", "=", login)]
        )

    def enable_totp(self, user):
        # the secret is readable and writable by nobody but the system
        user.sudo().totp_secret = TOTP_SECRET
        self.assertTrue(user.totp_enabled)

    def totp_code(self):
        code = hotp(base64.b32decode(TOTP_SECRET), int(time.time() / TIMESTEP))
        return str(code).zfill(6)

    # ------------------------------------------------------------------
    # 2FA required to sign
    # ------------------------------------------------------------------
    @mute_logger("odoo.addons.meddev_base.models.meddev_signature_mixin")
    def test_role_flag_refuses_signer_without_2fa(self):
        self.qa_manager_role.meddev_signature_requires_2fa = True
        record = self.Tester.create({"name": "Spec 2FA-01"})
        exc = self.refused(self.open_dialog, self.manager, record)
        self.assertIs(type(exc), UserError)
        self.assertIn("two-factor authentication", str(exc))
        self.assertIn(self.qa_manager_role.name, str(exc))
        self.assertIn("My Profile → Account Security", str(exc))
        # opening the dialog is no signing attempt
        self.assertFalse(self.sign_failures(record))
        # the server refuses too, before looking at the password
        exc = self.refused(
            record.with_user(self.manager)._meddev_sign, "approve", "wrong"
        )
        self.assertIs(type(exc), UserError)
        self.assertIn(self.qa_manager_role.name, str(exc))
        # the director holds QA Manager through the role ladder: refused as well
        director = self.users["quality_director"]
        exc = self.refused(self.sign, director, record)
        self.assertIn(self.qa_manager_role.name, str(exc))
        self.assertEqual(record.state, "draft")
        self.assertFalse(record.signature_ids)
        failures = self.sign_failures(record)
        self.assertEqual(failures.user_id, self.manager | director)
        for failure in failures:
            self.assertIn("no two-factor authentication", failure.reason)

    def test_without_flag_signing_needs_no_2fa(self):
        # a flag on a role the signer does not hold changes nothing for them
        self.env.ref(
            "meddev_base.group_meddev_buyer"
        ).meddev_signature_requires_2fa = True
        record = self.Tester.create({"name": "Spec 2FA-02"})
        action = self.open_dialog(self.manager, record)
        self.assertEqual(action["res_model"], "meddev.signature.wizard")
        signature = self.sign(self.manager, record)
        self.assertFalse(signature.totp_used)
        self.assertEqual(record.state, "approved")
        self.assertFalse(self.sign_failures(record))

    def test_signer_with_totp_passes_the_flag(self):
        self.qa_manager_role.meddev_signature_requires_2fa = True
        self.enable_totp(self.manager)
        record = self.Tester.create({"name": "Spec 2FA-03"})
        action = self.open_dialog(self.manager, record)
        self.assertEqual(action["res_model"], "meddev.signature.wizard")
        signature = self.sign(self.manager, record, totp_code=self.totp_code())
        self.assertTrue(signature.totp_used)
        self.assertEqual(record.state, "approved")
        self.assertFalse(self.sign_failures(record))

    @mute_logger("odoo.addons.meddev_base.models.meddev_signature_mixin")
    def test_setting_requires_2fa_of_every_signer(self):
        params = self.env["ir.config_parameter"]
        self.env["res.config.settings"].create(
            {"meddev_signature_require_2fa_all": True}
        ).execute()
        self.assertEqual(params.get_param(PARAM_2FA_ALL), "True")
        self.assertFalse(self.qa_manager_role.meddev_signature_requires_2fa)
        record = self.Tester.create({"name": "Spec 2FA-04"})
        exc = self.refused(self.open_dialog, self.manager, record)
        self.assertIn("every signer", str(exc))
        exc = self.refused(self.sign, self.manager, record)
        self.assertIs(type(exc), UserError)
        self.assertEqual(len(self.sign_failures(record)), 1)
        self.assertFalse(record.signature_ids)
        # with 2FA the same signer signs
        self.enable_totp(self.manager)
        self.sign(self.manager, record, totp_code=self.totp_code())
        self.assertEqual(record.state, "approved")
        # and once the setting is off, nobody needs it
        self.env["res.config.settings"].create(
            {"meddev_signature_require_2fa_all": False}
        ).execute()
        self.assertFalse(params.get_param(PARAM_2FA_ALL))
        other = self.Tester.create({"name": "Spec 2FA-05"})
        self.sign(self.users["quality_director"], other)
        self.assertEqual(other.state, "approved")

    # ------------------------------------------------------------------
    # failed logins
    # ------------------------------------------------------------------
    def test_failed_login_recorded(self):
        manager = self.manager
        exc = self.refused(self.login, manager.login, "wrong")
        # re-raised unchanged
        self.assertIs(type(exc), AccessDenied)
        self.assertEqual(exc.args[0], "Access Denied")
        entry = self.login_failures(manager.login)
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.res_model, "res.users")
        self.assertEqual(entry.res_id, manager.id)
        self.assertEqual(entry.user_id, manager)
        self.assertEqual(entry.user_login, manager.login)
        self.assertEqual(entry.reason, "Failed login: wrong password")
        self.assertTrue(entry.timestamp)

        self.refused(self.login, "nobody-md-auth", PASSWORD)
        unknown = self.login_failures("nobody-md-auth")
        self.assertEqual(len(unknown), 1)
        self.assertEqual(unknown.res_id, 0)
        self.assertFalse(unknown.user_id)
        self.assertEqual(unknown.reason, "Failed login: unknown login")

        gone = self.users["regulatory"]
        gone.active = False
        self.refused(self.login, gone.login, PASSWORD)
        self.assertEqual(
            self.login_failures(gone.login).reason, "Failed login: inactive user"
        )

        # a successful login leaves no such entry
        auth_info = self.login(self.users["buyer"].login, PASSWORD)
        self.assertEqual(auth_info["uid"], self.users["buyer"].id)
        self.assertFalse(self.login_failures(self.users["buyer"].login))
        # nothing else was written for the failures: the login was rolled back
        self.assertEqual(len(self.login_failures(manager.login)), 1)

    def test_failed_logins_counted_per_source(self):
        """50 failed logins from one source are one row with their count (and
        one audit entry); unknown logins from one source share one row."""
        manager = self.manager
        Failure = self.env["meddev.login.failure"].sudo()
        for _attempt in range(50):
            self.refused(self.login, manager.login, "wrong")
        row = Failure.search([("login", "=", manager.login)])
        self.assertEqual(len(row), 1)
        self.assertEqual(row.attempt_count, 50)
        self.assertEqual(row.user_id, manager)
        self.assertLessEqual(row.first_attempt, row.last_attempt)
        self.assertLessEqual(row.window_start, row.first_attempt)
        self.assertEqual(row.last_reason, "Failed login: wrong password")
        self.assertEqual(len(self.login_failures(manager.login)), 1)
        for attempt in range(30):
            self.refused(self.login, f"ghost-md-{attempt}", "wrong")
        row = Failure.search([("first_login_tried", "=", "ghost-md-0")])
        self.assertEqual(len(row), 1)
        self.assertEqual(row.attempt_count, 30)
        self.assertEqual(row.last_login_tried, "ghost-md-29")
        self.assertFalse(row.user_id)
        self.assertEqual(len(self.login_failures("ghost-md-0")), 1)
        self.assertFalse(self.login_failures("ghost-md-1"))
        # read by the security officers only
        Failure.invalidate_model()
        self.assertTrue(
            self.env["meddev.login.failure"].with_user(self.users["auditor"]).search([])
        )
        with self.assertRaises(AccessError):
            self.env["meddev.login.failure"].with_user(self.employee).search([])

    def test_failed_logins_visible_to_security_officers(self):
        manager = self.manager
        self.refused(self.login, manager.login, "wrong")
        self.refused(self.login, "nobody-md-auth", "wrong")
        entry = self.login_failures(manager.login)
        unknown = self.login_failures("nobody-md-auth")
        domain = safe_eval(self.attempts_action.domain)
        menu = self.env.ref("meddev_base.menu_meddev_access_attempts")
        Menu = self.env["ir.ui.menu"]
        for role in ("admin", "qa_manager", "auditor"):
            officer = self.users[role]
            self.assertIn(menu.id, Menu.with_user(officer)._visible_menu_ids(), role)
            seen = self.Entry.with_user(officer).search(domain)
            self.assertIn(entry, seen, role)
            entry.with_user(officer).read(["reason", "ip_address", "user_login"])
        # security officers read every attempt, the unknown login included
        for role in ("qa_manager", "auditor", "admin"):
            seen = self.Entry.with_user(self.users[role]).search(domain)
            self.assertIn(unknown, seen, role)
        # a plain employee sees no attempt at all, not even on users it may read
        employee = self.employee
        self.assertNotIn(menu.id, Menu.with_user(employee)._visible_menu_ids())
        self.assertFalse(self.Entry.with_user(employee).search(domain))
        with self.assertRaises(AccessError):
            entry.with_user(employee).read(["reason"])
        with self.assertRaises(AccessError):
            unknown.with_user(employee).read(["reason"])
