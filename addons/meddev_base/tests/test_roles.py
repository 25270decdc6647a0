from odoo.exceptions import ValidationError
from odoo.tests import tagged

from .common import ROLES, MeddevCase


@tagged("post_install", "-at_install")
class TestRoles(MeddevCase):
    def test_every_role_is_a_qms_user(self):
        for role in ROLES:
            self.assertTrue(
                self.users[role].has_group("meddev_base.group_meddev_user"), role
            )
        self.assertFalse(self.employee.has_group("meddev_base.group_meddev_user"))

    def test_quality_ladder(self):
        director = self.users["quality_director"]
        for implied in ("qa_manager", "qa_engineer", "qc_inspector"):
            self.assertTrue(
                director.has_group(f"meddev_base.group_meddev_{implied}"), implied
            )
        inspector = self.users["qc_inspector"]
        self.assertFalse(inspector.has_group("meddev_base.group_meddev_qa_engineer"))
        # the administrator configures; being one does not make a QA manager
        admin = self.users["admin"]
        self.assertFalse(admin.has_group("meddev_base.group_meddev_qa_manager"))

    def test_roles_are_translatable_groups_of_one_category(self):
        category = self.env.ref("meddev_base.module_category_meddev")
        groups = self.env["res.groups"].search([("category_id", "=", category.id)])
        xmlids = groups.get_external_id()
        own = groups.filtered(lambda g: xmlids[g.id].startswith("meddev_base."))
        # 13 roles of the permission design plus the common QMS User group
        # (functional modules may add roles of their own)
        self.assertEqual(len(own), 14)

    def test_qms_menu_visible_to_qms_users_only(self):
        root = self.env.ref("meddev_base.menu_meddev_root")
        settings = self.env.ref("meddev_base.menu_meddev_settings")
        Menu = self.env["ir.ui.menu"]
        for role in ROLES:
            visible = Menu.with_user(self.users[role])._visible_menu_ids()
            self.assertIn(root.id, visible, role)
            self.assertNotIn(settings.id, visible, role)
        self.assertNotIn(root.id, Menu.with_user(self.employee)._visible_menu_ids())
        self.assertIn(
            settings.id,
            Menu.with_user(self.env.ref("base.user_admin"))._visible_menu_ids(),
        )

    def test_supplier_portal_role_cannot_be_internal(self):
        portal = self.env["res.users"].create(
            {
                "name": "Supplier contact",
                "login": "test_md_portal",
                "groups_id": [
                    (
                        6,
                        0,
                        [self.env.ref("meddev_base.group_meddev_supplier_portal").id],
                    )
                ],
            }
        )
        self.assertTrue(portal.share)
        self.assertFalse(portal.has_group("meddev_base.group_meddev_user"))
        with self.assertRaises(ValidationError):
            portal.write(
                {
                    "groups_id": [
                        (4, self.env.ref("meddev_base.group_meddev_qa_manager").id)
                    ]
                }
            )

    def test_welcome_data_shows_own_roles(self):
        data = (
            self.env["res.users"]
            .with_user(self.users["qa_manager"])
            .meddev_welcome_data()
        )
        self.assertEqual(data["user"], self.users["qa_manager"].name)
        self.assertIn("QA Manager", data["roles"])
        self.assertIn("QA Engineer", data["roles"])
        self.assertNotIn("Auditor", data["roles"])
        self.assertIn("meddev_base", [m["name"] for m in data["modules"]])
        empty = self.env["res.users"].with_user(self.employee).meddev_welcome_data()
        self.assertEqual(empty["roles"], [])
