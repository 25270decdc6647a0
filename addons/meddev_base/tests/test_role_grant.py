from contextlib import contextmanager
from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import tagged

from .common import MeddevCase

PASSWORD = "Grant-2026!"


@tagged("post_install", "-at_install")
class TestRoleGrant(MeddevCase):
    """Temporary roles (临时权限): request, signed approval, grant at the start,
    revocation at the end (also after missed runs), every step audited."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Grant = cls.env["meddev.role.grant"]
        cls.qa_manager_group = cls.env.ref("meddev_base.group_meddev_qa_manager")
        cls.director_group = cls.env.ref("meddev_base.group_meddev_quality_director")
        for role in ("qa_manager", "quality_director", "admin", "qa_engineer"):
            cls.users[role].password = PASSWORD
        cls.now = fields.Datetime.now()

    @contextmanager
    def raises(self, exception, text):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def request(self, grantee="qa_engineer", group=None, start=None, hours=2, by=None):
        requester = self.users[by or "planner"]
        start = start or self.now
        grant = (
            self.Grant.with_user(requester)
            .create(
                {
                    "user_id": self.users[grantee].id,
                    "group_id": (group or self.qa_manager_group).id,
                    "date_start": start,
                    "date_end": start + timedelta(hours=hours),
                    "reason": "Covers the QA manager's release duties during leave",
                }
            )
            .with_user(requester)
        )
        grant.action_submit()
        return grant

    def approve(self, grant, who="qa_manager"):
        return grant.with_user(self.users[who])._meddev_sign(
            "approve", PASSWORD, comment="Leave cover agreed"
        )

    def entries(self, user, operation):
        return self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "res.users"),
                ("res_id", "=", user.id),
                ("operation", "=", operation),
            ]
        )

    # ------------------------------------------------------------------
    def test_request_approve_grant_and_expire_after_a_missed_run(self):
        grantee = self.users["qa_engineer"]
        grant = self.request()
        self.assertEqual(grant.state, "submitted")
        self.assertTrue(grant.name.startswith("TRG/"))
        self.assertNotIn(self.qa_manager_group, grantee.groups_id)
        # the QA managers who may approve have a to-do, the grantee none
        approvers = grant.activity_ids.user_id
        self.assertIn(self.users["qa_manager"], approvers)
        self.assertIn(self.users["quality_director"], approvers)
        self.assertNotIn(grantee, approvers)
        signature = self.approve(grant)
        self.assertFalse(grant.activity_ids, "the to-dos are done")
        self.assertEqual(signature.meaning, "approved")
        # the period has started: the role is given at once
        self.assertEqual(grant.state, "active")
        self.assertIn(self.qa_manager_group, grantee.groups_id)
        self.assertEqual(grant.added_group_ids, self.qa_manager_group)
        granted = self.entries(grantee, "role_granted")
        self.assertEqual(len(granted), 1)
        self.assertIn(grant.name, granted.reason)
        self.assertTrue(
            grantee.with_user(grantee).has_group("meddev_base.group_meddev_qa_manager")
        )
        # the scheduler did not run at the end (server down): the next run,
        # hours later, still takes the role back
        with freeze_time(self.now + timedelta(hours=7)):
            self.Grant._cron_apply()
        self.assertEqual(grant.state, "expired")
        self.assertNotIn(self.qa_manager_group, grantee.groups_id)
        self.assertIn(
            self.env.ref("meddev_base.group_meddev_qa_engineer"),
            grantee.groups_id,
            "the grantee's own role stays",
        )
        revoked = self.entries(grantee, "role_revoked")
        self.assertEqual(len(revoked), 1)
        self.assertIn(self.qa_manager_group.full_name, revoked.changes_json)
        self.assertTrue(grant.signature_ids.matches, "still the content signed")

    def test_future_grant_given_and_taken_on_schedule(self):
        grantee = self.users["qa_engineer"]
        start = self.now + timedelta(days=1)
        grant = self.request(start=start, hours=4)
        self.approve(grant)
        self.assertEqual(grant.state, "approved")
        self.assertNotIn(self.qa_manager_group, grantee.groups_id)
        triggers = self.env["ir.cron.trigger"].search(
            [
                (
                    "cron_id",
                    "=",
                    self.env.ref("meddev_base.ir_cron_meddev_role_grants").id,
                )
            ]
        )
        self.assertTrue(
            {start, start + timedelta(hours=4)} <= set(triggers.mapped("call_at")),
            "the job is triggered at the start and at the end",
        )
        with freeze_time(start + timedelta(minutes=5)):
            self.Grant._cron_apply()
        self.assertEqual(grant.state, "active")
        self.assertIn(self.qa_manager_group, grantee.groups_id)
        with freeze_time(start + timedelta(hours=4, minutes=1)):
            self.Grant._cron_apply()
        self.assertEqual(grant.state, "expired")
        self.assertNotIn(self.qa_manager_group, grantee.groups_id)

    def test_whole_period_missed_never_grants(self):
        grantee = self.users["qa_engineer"]
        start = self.now + timedelta(hours=1)
        grant = self.request(start=start, hours=2)
        self.approve(grant)
        with freeze_time(self.now + timedelta(days=2)):
            self.Grant._cron_apply()
        self.assertEqual(grant.state, "expired")
        self.assertNotIn(self.qa_manager_group, grantee.groups_id)
        self.assertFalse(self.entries(grantee, "role_granted"))

    def test_implied_groups_taken_back_too(self):
        grantee = self.users["qa_engineer"]
        grant = self.request(group=self.director_group)
        self.approve(grant)
        self.assertEqual(
            grant.added_group_ids, self.director_group | self.qa_manager_group
        )
        with freeze_time(self.now + timedelta(hours=3)):
            self.Grant._cron_apply()
        self.assertFalse(
            (self.director_group | self.qa_manager_group) & grantee.groups_id
        )

    def test_who_may_approve(self):
        grant = self.request()
        with self.assertRaises(AccessError):
            grant.with_user(self.users["buyer"]).with_context(
                meddev_sign_action="approve"
            ).action_meddev_sign()
        for role in ("planner", "qa_engineer", "admin", "auditor"):
            with self.raises(AccessError, "may not"):
                grant.with_user(self.users[role]).with_context(
                    meddev_sign_action="approve"
                ).action_meddev_sign()
        with self.raises(UserError, "needs your electronic signature"):
            grant.with_user(self.users["qa_manager"]).action_approve()
        self.assertEqual(grant.state, "submitted")
        self.assertNotIn(self.qa_manager_group, self.users["qa_engineer"].groups_id)

    def test_requester_and_grantee_may_not_approve(self):
        # a QA manager who requested may not approve it
        grant = self.request(
            group=self.director_group, grantee="qa_engineer", by="qa_manager"
        )
        with self.raises(UserError, "segregation of duties"):
            self.approve(grant, "qa_manager")
        self.assertEqual(grant.state, "submitted")
        # the grantee may not approve the own role
        grant = self.request(group=self.director_group, grantee="qa_manager")
        with self.raises(UserError, "segregation of duties"):
            grant.with_user(self.users["qa_manager"]).with_context(
                meddev_sign_action="approve"
            ).action_meddev_sign()
        with self.raises(UserError, "segregation of duties"):
            self.approve(grant, "qa_manager")
        self.approve(grant, "quality_director")
        self.assertEqual(grant.state, "active")

    def test_bad_requests_refused(self):
        with self.raises(UserError, "already has the role"):
            self.request(grantee="qa_manager")
        with self.raises(ValidationError, "only QMS roles"):
            self.request(group=self.env.ref("base.group_system"))
        with self.raises(ValidationError, "ends before it starts"):
            self.request(hours=-1)
        with self.raises(ValidationError, "longer than 90 days"):
            self.request(hours=24 * 91)
        with self.raises(UserError, "ends in the past"):
            self.request(start=self.now - timedelta(days=3), hours=1)
        # the QMS administrator may not become QA manager: conflicting roles
        with self.raises(UserError, "conflicting roles"):
            self.request(grantee="admin")
        self.assertFalse(
            self.Grant.search([("user_id", "in", [u.id for u in self.users.values()])])
        )

    def test_submitted_request_is_fixed(self):
        grant = self.request(start=self.now + timedelta(days=1))
        with self.raises(UserError, "can no longer be changed"):
            grant.date_end = self.now + timedelta(days=30)
        with self.raises(UserError, "recorded by the server"):
            grant.with_user(self.users["qa_manager"]).write(
                {"added_group_ids": [(6, 0, [self.director_group.id])]}
            )
        with self.raises(UserError, "changes only through its actions"):
            grant.with_user(self.users["qa_manager"]).write({"state": "approved"})
        with self.raises(UserError, "Only draft"):
            grant.unlink()
        self.assertEqual(grant.state, "submitted")

    def test_revoke_early_needs_signature_and_reason(self):
        grantee = self.users["qa_engineer"]
        grant = self.request(hours=8)
        self.approve(grant)
        manager = self.users["qa_manager"]
        with self.raises(UserError, "needs your electronic signature"):
            grant.with_user(manager).with_context(audit_reason="x").action_revoke()
        with self.raises(UserError, "reason for revoking"):
            grant.with_user(manager)._meddev_sign("revoke", PASSWORD)
        self.assertEqual(grant.state, "active")
        signature = grant.with_user(manager)._meddev_sign(
            "revoke", PASSWORD, comment="Leave ended early"
        )
        self.assertEqual(signature.meaning, "revoked")
        self.assertEqual(grant.state, "revoked")
        self.assertEqual(grant.end_reason, "Leave ended early")
        self.assertNotIn(self.qa_manager_group, grantee.groups_id)
        self.assertIn("Leave ended early", self.entries(grantee, "role_revoked").reason)
        # nothing more to do at the end of the period
        with freeze_time(self.now + timedelta(days=1)):
            self.Grant._cron_apply()
        self.assertEqual(grant.state, "revoked")

    def test_overlapping_grant_keeps_what_it_needs(self):
        grantee = self.users["qa_engineer"]
        long_grant = self.request(hours=10)
        self.approve(long_grant)
        short = self.request(group=self.director_group, hours=1)
        self.approve(short)
        self.assertEqual(short.added_group_ids, self.director_group)
        with freeze_time(self.now + timedelta(hours=2)):
            self.Grant._cron_apply()
        self.assertEqual(short.state, "expired")
        self.assertEqual(long_grant.state, "active")
        self.assertNotIn(self.director_group, grantee.groups_id)
        self.assertIn(self.qa_manager_group, grantee.groups_id)

    def test_who_sees_which_grant(self):
        grant = self.request()
        for role in ("planner", "qa_engineer", "qa_manager", "admin", "auditor"):
            self.assertEqual(
                grant.with_user(self.users[role]).read(["state"])[0]["state"],
                "submitted",
                role,
            )
        for role in ("buyer", "regulatory"):
            with self.assertRaises(AccessError):
                grant.with_user(self.users[role]).read(["state"])
        with self.assertRaises(AccessError):
            grant.with_user(self.employee).read(["state"])
        # only the requester or a QA manager may cancel a request
        with self.raises(UserError, "may cancel"):
            grant.with_user(self.users["qa_engineer"]).action_cancel()
        grant.action_cancel()
        self.assertEqual(grant.state, "cancelled")

    def test_every_step_audited(self):
        grant = self.request()
        self.approve(grant)
        operations = (
            self.env["meddev.audit.entry"]
            .search(
                [("res_model", "=", "meddev.role.grant"), ("res_id", "=", grant.id)]
            )
            .mapped("operation")
        )
        self.assertIn("create", operations)
        self.assertIn("sign", operations)
        self.assertGreaterEqual(operations.count("write"), 3, "submit, approve, grant")
        self.assertEqual(
            grant.meddev_action_log_ids.mapped("action"), ["approve", "submit"]
        )
