from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import tagged

from .common import MeddevCase


@tagged("post_install", "-at_install")
class TestCategoryScope(MeddevCase):
    """Optional team scoping: a user with a QMS product scope works on the
    records of those categories only; an empty scope sees everything."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        from .category_scope_tester import MeddevCategoryScopeTester

        cls._load_fake_model(MeddevCategoryScopeTester)
        Category = cls.env["product.category"]
        cls.implants = Category.create({"name": "Orthopaedic implants"})
        cls.screws = Category.create(
            {"name": "Bone screws", "parent_id": cls.implants.id}
        )
        cls.disposables = Category.create({"name": "Sterile disposables"})
        Product = cls.env["product.product"]
        screw = Product.create({"name": "Cortical screw", "categ_id": cls.screws.id})
        syringe = Product.create(
            {"name": "Syringe 5 ml", "categ_id": cls.disposables.id}
        )
        Tester = cls.env["meddev.category.scope.tester"]
        cls.screw_job = Tester.create({"name": "Screw NC", "product_id": screw.id})
        cls.syringe_job = Tester.create(
            {"name": "Syringe NC", "product_id": syringe.id}
        )
        cls.general = Tester.create({"name": "Site-wide NC"})

    def test_rule_and_category(self):
        rule = self.env.ref(
            "meddev_base.category_scope_rule_meddev_category_scope_tester"
        )
        self.assertFalse(rule.groups, "applies to every user")
        self.assertEqual(self.screw_job.meddev_product_categ_id, self.screws)

    def test_scoped_user_sees_own_categories_only(self):
        engineer = self.users["qa_engineer"]
        engineer.meddev_product_categ_ids = [Command.set(self.implants.ids)]
        Tester = self.env["meddev.category.scope.tester"].with_user(engineer)
        # the subcategory and the records without category are in scope
        self.assertEqual(Tester.search([]), self.screw_job | self.general)
        with self.assertRaises(AccessError):
            self.syringe_job.with_user(engineer).read(["name"])
        with self.assertRaises(AccessError):
            self.syringe_job.with_user(engineer).write({"name": "changed"})
        self.assertEqual(self.syringe_job.name, "Syringe NC")
        # unscoped users see everything
        everything = self.screw_job | self.syringe_job | self.general
        for role in ("qa_manager", "auditor"):
            self.assertEqual(
                self.env["meddev.category.scope.tester"]
                .with_user(self.users[role])
                .search([]),
                everything,
                role,
            )
        # widening the scope widens what the user sees
        engineer.meddev_product_categ_ids = [Command.link(self.disposables.id)]
        self.assertEqual(Tester.search([]), everything)

    def test_only_qms_administrators_set_the_scope_on_the_form(self):
        view = self.env.ref("meddev_base.res_users_view_form_meddev")
        self.assertIn("meddev_product_categ_ids", view.arch)
        self.assertIn("group_meddev_admin", view.arch)
