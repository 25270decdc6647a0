from datetime import timedelta

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import PASSWORD, MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestSupplierMultiCompany(MeddevSupplierCase):
    """The approved supplier list is shared by the companies of the group (a
    supplier's qualification, certificates, audits and change notices are facts
    about the supplier): a QA manager or auditor of company B reads them, and a
    purchase of company B is checked against them. A quality agreement binds
    one of our companies: company B's officers read neither it nor its
    signatures and audit trail, and it references no record of another
    company."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company_a = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "Huakang Shanghai"})
        cls.users_b = {
            role: new_test_user(
                cls.env,
                login=f"test_md_sup_b_{role}",
                password=PASSWORD,
                groups=f"base.group_user,meddev_base.group_meddev_{role}",
                company_id=cls.company_b.id,
                company_ids=[Command.set(cls.company_b.ids)],
            )
            for role in ("qa_manager", "auditor", "buyer")
        }
        cls.users_b["buyer"].groups_id |= cls.env.ref("purchase.group_purchase_user")
        cls.eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.certificate = cls.Certificate.create(
            {
                "partner_id": cls.sterilizer.id,
                "cert_type": "iso13485",
                "number": "Q5 123456 0001",
            }
        )
        cls.syringe = cls.env["product.product"].create(
            {
                "name": "Single-use sterile syringe 5 ml",
                "type": "consu",
                "meddev_qualification_scope_id": cls.scope_eo.id,
            }
        )
        Agreement = cls.env["meddev.supplier.quality.agreement"]
        cls.Agreement = Agreement
        engineer = cls.users["qa_engineer"]
        cls.agreement = Agreement.with_user(engineer).create(
            {
                "partner_id": cls.sterilizer.id,
                "scope_ids": [Command.set(cls.scope_eo.ids)],
                "effective_date": cls.today,
                "expiry_date": cls.today + timedelta(days=365),
            }
        )
        cls.agreement.with_user(engineer).action_submit()
        cls.agreement.with_user(cls.users["qa_manager"])._meddev_sign(
            "approve", PASSWORD, comment="Reviewed with the supplier"
        )

    def trail(self, record, model, user):
        return (
            self.env[model]
            .with_user(user)
            .search([("res_model", "=", record._name), ("res_id", "=", record.id)])
        )

    def test_approved_supplier_list_shared_by_the_group(self):
        for role in ("qa_manager", "auditor"):
            user = self.users_b[role]
            self.assertEqual(
                self.Qualification.with_user(user).search(
                    [("partner_id", "=", self.sterilizer.id)]
                ),
                self.eo,
                role,
            )
            self.assertEqual(self.eo.with_user(user).state, "qualified")
            self.assertEqual(
                self.eo.with_user(user).certificate_ids, self.certificate, role
            )

    def test_purchase_of_company_b_checked_against_the_shared_list(self):
        Order = self.env["purchase.order"].with_user(self.users_b["buyer"])
        for partner, allowed in ((self.sterilizer, True), (self.machining, False)):
            order = Order.create(
                {
                    "partner_id": partner.id,
                    "order_line": [
                        Command.create(
                            {"product_id": self.syringe.id, "product_qty": 10}
                        )
                    ],
                }
            )
            self.assertEqual(order.company_id, self.company_b)
            if allowed:
                order.button_confirm()
                self.assertEqual(order.state, "purchase")
            else:
                with self.assertRaisesRegex(UserError, "not an approved supplier"):
                    order.button_confirm()
                self.assertEqual(order.state, "draft")

    def test_agreement_of_company_a_not_read_in_company_b(self):
        self.assertEqual(self.agreement.company_id, self.company_a)
        signature = self.agreement.signature_ids
        self.assertEqual(signature.company_id, self.company_a)
        manager_a = self.users["qa_manager"]
        self.assertEqual(
            self.trail(self.agreement, "meddev.signature", manager_a), signature
        )
        for role in ("qa_manager", "auditor"):
            user = self.users_b[role]
            self.assertFalse(self.Agreement.with_user(user).search([]), role)
            with self.assertRaises(AccessError):
                self.agreement.with_user(user).read(["terms"])
            for model in (
                "meddev.signature",
                "meddev.audit.entry",
                "meddev.stage.action.log",
            ):
                self.assertTrue(self.trail(self.agreement, model, manager_a), model)
                self.assertFalse(self.trail(self.agreement, model, user), model)
            with self.assertRaises(AccessError):
                signature.with_user(user).read(["signed_content"])
            # nor the trail of its responsibility matrix
            line = self.agreement.line_ids[:1]
            self.assertEqual(line.company_id, self.company_a)
            self.assertTrue(self.trail(line, "meddev.audit.entry", manager_a))
            self.assertFalse(self.trail(line, "meddev.audit.entry", user))

    def test_agreement_references_records_of_its_company_only(self):
        b_only = self.env["res.partner"].create(
            {"name": "Shanghai-only contact", "company_id": self.company_b.id}
        )
        values = {
            "partner_id": self.sterilizer.id,
            "scope_ids": [Command.set(self.scope_eo.ids)],
            "company_id": self.company_a.id,
        }
        for field, value in (
            ("partner_id", b_only.id),
            ("user_id", self.users_b["qa_manager"].id),
        ):
            with self.subTest(field=field):
                with self.assertRaisesRegex(UserError, "Incompatible companies"):
                    self.Agreement.create({**values, field: value})
        # a revision of company B of company A's agreement
        with self.assertRaisesRegex(UserError, "Incompatible companies"):
            self.Agreement.create(
                {
                    **values,
                    "company_id": self.company_b.id,
                    "user_id": self.users_b["qa_manager"].id,
                    "previous_agreement_id": self.agreement.id,
                }
            )
