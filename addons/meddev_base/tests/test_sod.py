from contextlib import contextmanager
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import MeddevCase

PASSWORD = "Sod-2026!"


@tagged("post_install", "-at_install")
class TestSegregationOfDuties(MeddevCase):
    """Conflicting roles are refused when assigned, whichever way, unless an
    exception is approved with the quality director's signature."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        ref = cls.env.ref
        cls.admin_group = ref("meddev_base.group_meddev_admin")
        cls.qa_manager_group = ref("meddev_base.group_meddev_qa_manager")
        cls.inspector_group = ref("meddev_base.group_meddev_qc_inspector")
        cls.conflict = ref("meddev_base.sod_conflict_admin_qa_manager")
        for role in ("quality_director", "admin", "qa_manager"):
            cls.users[role].password = PASSWORD

    @contextmanager
    def raises(self, exception, text):
        with self.assertRaises(exception) as caught:
            yield caught
        self.assertIn(text, str(caught.exception))

    def exception_for(
        self, user, by="admin", date_end=None, approve_as="quality_director"
    ):
        record = (
            self.env["meddev.sod.exception"]
            .with_user(self.users[by])
            .create(
                {
                    "conflict_id": self.conflict.id,
                    "user_id": user.id,
                    "reason": "Two-person company site; the director reviews "
                    "every approval monthly.",
                    "date_end": date_end,
                }
            )
        )
        record.action_submit()
        if approve_as:
            record.with_user(self.users[approve_as])._meddev_sign(
                "approve", PASSWORD, comment="Compensating review accepted"
            )
        return record

    # ------------------------------------------------------------------
    def test_conflicting_roles_refused_every_way(self):
        manager = self.users["qa_manager"]
        with self.raises(ValidationError, "Segregation of duties"):
            manager.write({"groups_id": [Command.link(self.admin_group.id)]})
        with self.raises(ValidationError, "QMS Administrator"):
            self.admin_group.write({"users": [Command.link(manager.id)]})
        with self.raises(ValidationError, "Segregation of duties"):
            self.env["res.users"].create(
                {
                    "name": "Both roles",
                    "login": "test_md_both",
                    "groups_id": [
                        Command.set([self.admin_group.id, self.qa_manager_group.id])
                    ],
                }
            )
        # through an implied role: the quality director is a QA manager
        director = self.env.ref("meddev_base.group_meddev_quality_director")
        with self.raises(ValidationError, "Segregation of duties"):
            self.users["admin"].write({"groups_id": [Command.link(director.id)]})
        self.assertNotIn(self.admin_group, manager.groups_id)
        self.assertNotIn(self.qa_manager_group, self.users["admin"].groups_id)
        # a pair without conflict is fine
        manager.write(
            {
                "groups_id": [
                    Command.link(self.env.ref("meddev_base.group_meddev_regulatory").id)
                ]
            }
        )

    def test_exception_approved_by_signature_allows_the_pair(self):
        manager = self.users["qa_manager"]
        exception = self.exception_for(manager)
        self.assertEqual(exception.state, "approved")
        self.assertTrue(exception.name.startswith("SODX/"))
        manager.write({"groups_id": [Command.link(self.admin_group.id)]})
        self.assertIn(self.admin_group, manager.groups_id)
        self.assertFalse(self.conflict.violation_user_ids & manager)
        # revoked (signed, with a reason): the user is listed as in conflict
        with self.raises(UserError, "reason for revoking"):
            exception.with_user(self.users["quality_director"])._meddev_sign(
                "revoke", PASSWORD
            )
        exception.with_user(self.users["quality_director"])._meddev_sign(
            "revoke", PASSWORD, comment="Second QA manager hired"
        )
        self.assertEqual(exception.state, "revoked")
        self.conflict.invalidate_recordset(["violation_user_ids"])
        self.assertIn(manager, self.conflict.violation_user_ids)
        # a change that adds no conflict is not blocked by the old one
        manager.write(
            {
                "groups_id": [
                    Command.link(self.env.ref("meddev_base.group_meddev_regulatory").id)
                ]
            }
        )

    def test_expired_or_unapproved_exception_does_not_count(self):
        manager = self.users["qa_manager"]
        self.exception_for(manager, approve_as=None)
        with self.raises(ValidationError, "Segregation of duties"):
            manager.write({"groups_id": [Command.link(self.admin_group.id)]})
        yesterday = fields.Date.today() - timedelta(days=1)
        expired = self.exception_for(manager, date_end=yesterday)
        self.assertEqual(expired.state, "approved")
        with self.raises(ValidationError, "Segregation of duties"):
            manager.write({"groups_id": [Command.link(self.admin_group.id)]})
        self.assertNotIn(self.admin_group, manager.groups_id)

    def test_who_may_approve_an_exception(self):
        manager = self.users["qa_manager"]
        exception = self.exception_for(manager, approve_as=None)
        for role in ("qa_manager", "admin", "auditor", "planner"):
            with self.assertRaises(UserError):  # AccessError included
                exception.with_user(self.users[role])._meddev_sign("approve", PASSWORD)
        self.assertEqual(exception.state, "submitted")
        # the director may not approve the own exception
        own = self.exception_for(self.users["quality_director"], approve_as=None)
        with self.raises(UserError, "segregation of duties"):
            own.with_user(self.users["quality_director"])._meddev_sign(
                "approve", PASSWORD
            )
        with self.raises(UserError, "cannot be changed"):
            exception.with_user(self.users["admin"]).write(
                {"date_end": False, "reason": "x"}
            )

    def test_temporary_role_respects_conflicts(self):
        grant = (
            self.env["meddev.role.grant"]
            .with_user(self.users["planner"])
            .create(
                {
                    "user_id": self.users["admin"].id,
                    "group_id": self.qa_manager_group.id,
                    "reason": "Cover",
                }
            )
        )
        with self.raises(UserError, "conflicting roles"):
            grant.action_submit()
        self.exception_for(self.users["admin"], by="qa_manager")
        grant.action_submit()
        self.assertEqual(grant.state, "submitted")
