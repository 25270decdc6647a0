from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestPurchaseEnforcement(MeddevSupplierCase):
    """Purchase orders and receipts of a product that requires a qualification
    scope are refused from suppliers not qualified (or conditional) for it."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Product = cls.env["product.product"]
        cls.sterile_syringe = Product.create(
            {
                "name": "Single-use sterile syringe 5 ml",
                "type": "consu",
                "meddev_qualification_scope_id": cls.scope_eo.id,
            }
        )
        cls.implants = cls.env["product.category"].create(
            {
                "name": "Orthopaedic Implants",
                "meddev_qualification_scope_id": cls.scope_cnc.id,
            }
        )
        cls.screw = Product.create(
            {
                "name": "Cortical bone screw 4.5 x 40 mm, machined",
                "type": "consu",
                "categ_id": cls.env["product.category"]
                .create({"name": "Screws", "parent_id": cls.implants.id})
                .id,
            }
        )
        cls.blister = Product.create(
            {"name": "Tyvek blister pack for bone screws", "type": "consu"}
        )

    def order(self, partner, product, qty=100):
        return self.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {"product_id": product.id, "product_qty": qty, "price_unit": 1}
                    )
                ],
            }
        )

    def receive(self, order):
        picking = order.picking_ids
        self.assertEqual(picking.picking_type_code, "incoming")
        picking.move_ids.quantity = order.order_line.product_qty
        picking.button_validate()
        return picking

    def test_uncontrolled_product_standard_flow(self):
        order = self.order(self.coater, self.blister)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(self.receive(order).state, "done")

    def test_unqualified_supplier_refused(self):
        order = self.order(self.sterilizer, self.sterile_syringe)
        with self.raises(UserError, "no qualification for this scope") as caught:
            order.button_confirm()
        message = str(caught.exception)
        self.assertIn(self.sterilizer.name, message)
        self.assertIn(self.sterile_syringe.name, message)
        self.assertIn(self.scope_eo.name, message)
        self.assertEqual(order.state, "draft")
        # a candidate or suspended qualification does not count
        qualification = self.qualified(self.sterilizer, self.scope_eo, "suspended")
        with self.raises(UserError, "Suspended"):
            order.button_confirm()
        # the category's scope controls the products of its subcategories
        with self.raises(UserError, self.scope_cnc.name):
            self.order(self.machining, self.screw).button_confirm()
        qualification.sudo().with_context(
            audit_reason="Re-evaluated: conditional"
        ).state = "conditional"
        order.button_confirm()
        self.assertEqual(order.state, "purchase")

    def test_qualified_supplier_receipt_and_suspension(self):
        self.qualified(self.machining, self.scope_cnc)
        qualification = self.qualified(self.sterilizer, self.scope_eo)
        screws = self.order(self.machining, self.screw)
        screws.button_confirm()
        self.assertEqual(self.receive(screws).state, "done")
        # ordered while qualified, received after the suspension: refused
        syringes = self.order(self.sterilizer, self.sterile_syringe)
        syringes.button_confirm()
        self.sign(qualification, "suspend", comment="EO residuals out of limit")
        with self.raises(UserError, "Receiving"):
            self.receive(syringes)
        self.assertNotEqual(syringes.picking_ids.state, "done")
