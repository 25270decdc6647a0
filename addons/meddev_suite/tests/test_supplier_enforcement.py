from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

REFUSED = "not an approved supplier"


@tagged("post_install", "-at_install")
class TestSupplierEnforcementDemo(TransactionCase):
    """The bypasses tried over RPC on the demo, as the demo buyer and
    warehouse users: the approved supplier list holds."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.buyer = cls.ref("user_buyer")
        cls.warehouse = cls.ref("user_warehouse")

    @classmethod
    def ref(cls, xmlid):
        return cls.env.ref(xmlid if "." in xmlid else f"meddev_demo.{xmlid}")

    def test_plating_order_not_approved_by_the_buyer(self):
        order = self.ref("purchase_order_rapid_plating").with_user(self.buyer)
        with self.assertRaises(UserError) as caught:
            order.button_approve()
        self.assertIn("Shenzhen Rapid Plating", str(caught.exception))
        with self.assertRaises(UserError):
            order.write({"state": "purchase"})
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)

    def subcontracted(self):
        """A subcontracting order of an (untracked) coated part at the demo
        coater, confirmed by the demo buyer while the coater is conditional."""
        component = self.env["product.product"].create(
            {"name": "Machined part", "type": "consu"}
        )
        part = self.env["product.product"].create(
            {
                "name": "HA-coated part",
                "type": "consu",
                "meddev_qualification_scope_id": self.ref(
                    "meddev_supplier.scope_coating"
                ).id,
            }
        )
        self.env["mrp.bom"].create(
            {
                "product_tmpl_id": part.product_tmpl_id.id,
                "type": "subcontract",
                "subcontractor_ids": [Command.link(self.ref("partner_coating").id)],
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                ],
            }
        )
        order = (
            self.env["purchase.order"]
            .with_user(self.buyer)
            .create(
                {
                    "partner_id": self.ref("partner_coating").id,
                    "order_line": [
                        Command.create({"product_id": part.id, "product_qty": 20})
                    ],
                }
            )
        )
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        receipt = order.picking_ids.with_user(self.buyer)
        self.assertTrue(receipt.move_ids.is_subcontract)
        # recording the quantity records the MO's components: Odoo leaves it
        # to Manufacturing users (the buyer); the warehouse validates
        receipt.move_ids.quantity = 20
        receipt.move_ids.picked = True
        return order, receipt.with_user(self.warehouse)

    def test_subcontracting_receipt_refused_then_received(self):
        order, receipt = self.subcontracted()
        production = receipt.move_ids._get_subcontract_production()
        qualification = self.ref("qualification_coating")
        qualification.sudo().with_context(audit_reason="ISO 13485 expired").write(
            {"state": "suspended"}
        )
        receipt.partner_id = False
        with self.assertRaises(UserError) as caught:
            receipt.button_validate()
        self.assertIn(REFUSED, str(caught.exception))
        self.assertNotEqual(receipt.state, "done")
        self.assertNotEqual(production.state, "done", "the MO is not completed")
        # requalified: Odoo's subcontracting flow completes the MO as before
        qualification.sudo().with_context(audit_reason="Renewed").write(
            {"state": "conditional"}
        )
        receipt.button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(production.state, "done")
        self.assertEqual(order.order_line.qty_received, 20)
