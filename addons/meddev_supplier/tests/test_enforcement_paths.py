from odoo import Command
from odoo.exceptions import UserError
from odoo.tests import Form, new_test_user, tagged

from .common import MeddevSupplierCase

REFUSED = "not an approved supplier"


@tagged("post_install", "-at_install")
class TestEnforcementPaths(MeddevSupplierCase):
    """Every path that confirms an order or receives its goods is checked
    against the approved supplier list, as the buyer and the warehouse user
    (their QMS role with Odoo's purchase or inventory user group) would take
    it over RPC: the check sits where the state changes, not on a button."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.users["buyer"].groups_id = [
            Command.link(cls.env.ref("purchase.group_purchase_user").id),
            Command.link(cls.env.ref("stock.group_stock_user").id),
        ]
        cls.users["warehouse"].groups_id = [
            Command.link(cls.env.ref("stock.group_stock_user").id),
        ]
        cls.purchase_manager = new_test_user(
            cls.env,
            login="test_md_purchase_manager",
            groups="base.group_user,meddev_base.group_meddev_buyer,"
            "purchase.group_purchase_manager,stock.group_stock_user",
        )
        cls.syringe = cls.env["product.product"].create(
            {
                "name": "Single-use sterile syringe 5 ml",
                "type": "consu",
                "meddev_qualification_scope_id": cls.scope_eo.id,
            }
        )
        cls.blister = cls.env["product.product"].create(
            {"name": "Tyvek blister pack", "type": "consu"}
        )
        # the plating shop was disqualified for EO sterilization
        cls.plating = cls.env["res.partner"].create(
            {"name": "Shenzhen Rapid Plating", "is_company": True}
        )
        cls.qualified(cls.plating, cls.scope_eo, "disqualified")
        cls.sterilizer_eo = cls.qualified(cls.sterilizer, cls.scope_eo)
        cls.stock = cls.env.ref("stock.stock_location_stock")

    def order(self, partner=None, product=None, user="buyer"):
        return (
            self.env["purchase.order"]
            .with_user(self.users[user] if isinstance(user, str) else user)
            .create(
                {
                    "partner_id": (partner or self.plating).id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": (product or self.syringe).id,
                                "product_qty": 100,
                                "price_unit": 1,
                            }
                        )
                    ],
                }
            )
        )

    def suspend_sterilizer(self):
        self.sterilizer_eo.sudo().with_context(audit_reason="EO residuals").write(
            {"state": "suspended"}
        )

    def confirmed_receipt(self):
        """A receipt of syringes ordered while the sterilizer was qualified,
        to be validated after its suspension, as the warehouse user."""
        order = self.order(self.sterilizer)
        order.button_confirm()
        self.suspend_sterilizer()
        receipt = order.picking_ids.with_user(self.users["warehouse"])
        receipt.move_ids.quantity = 100
        receipt.move_ids.picked = True
        return order, receipt

    def incoming(self, partner=None, product=None):
        """A receipt created by the warehouse user, without purchase order."""
        picking_type = self.env.ref("stock.picking_type_in")
        picking = (
            self.env["stock.picking"]
            .with_user(self.users["warehouse"])
            .create(
                {
                    "picking_type_id": picking_type.id,
                    "partner_id": partner.id if partner else False,
                    "location_id": self.env.ref("stock.stock_location_suppliers").id,
                    "location_dest_id": picking_type.default_location_dest_id.id,
                    "move_ids": [
                        Command.create(
                            {
                                "name": "receipt",
                                "product_id": (product or self.syringe).id,
                                "product_uom_qty": 10,
                                "quantity": 10,
                                "picked": True,
                                "location_id": self.env.ref(
                                    "stock.stock_location_suppliers"
                                ).id,
                                "location_dest_id": (
                                    picking_type.default_location_dest_id.id
                                ),
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        return picking

    # ------------------------------------------------------------------
    # purchase orders
    # ------------------------------------------------------------------
    def test_button_approve_refused(self):
        order = self.order()
        with self.raises(UserError, REFUSED):
            order.button_approve()
        self.assertEqual(order.state, "draft")
        self.assertFalse(order.picking_ids)

    def test_write_of_the_state_refused(self):
        order = self.order()
        for state in ("purchase", "done"):
            with self.raises(UserError, REFUSED):
                order.write({"state": state})
            self.assertEqual(order.state, "draft")
        with self.raises(UserError, REFUSED):
            self.env["purchase.order"].with_user(self.users["buyer"]).create(
                {
                    "partner_id": self.plating.id,
                    "state": "purchase",
                    "order_line": [
                        Command.create(
                            {"product_id": self.syringe.id, "product_qty": 1}
                        )
                    ],
                }
            )
        # an uncontrolled order is confirmed by a write as before
        blisters = self.order(product=self.blister)
        blisters.write({"state": "purchase"})
        self.assertEqual(blisters.state, "purchase")

    def test_two_step_approval(self):
        self.env.company.write(
            {"po_double_validation": "two_step", "po_double_validation_amount": 0}
        )
        order = self.order()
        order.button_confirm()
        self.assertEqual(order.state, "to approve", "the buyer only submits it")
        approver = order.with_user(self.purchase_manager)
        with self.raises(UserError, REFUSED):
            approver.button_approve()
        self.assertEqual(order.state, "to approve")
        with self.raises(UserError, REFUSED):
            approver.write({"state": "purchase"})
        # the approver holding the override role approves through the dialog
        self.grant_override(self.purchase_manager)
        action = approver.action_meddev_override_confirm()
        self.env[action["res_model"]].with_user(self.purchase_manager).with_context(
            **action["context"]
        ).create({"reason": "Sterilized before the disqualification"}).action_confirm()
        self.assertEqual(order.state, "purchase")
        self.assertTrue(order.picking_ids, "Odoo's approval went on")
        entries = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "=", order.id),
                ("operation", "=", "override"),
            ]
        )
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries.user_id, self.purchase_manager)

    def test_controlled_line_added_to_a_confirmed_order(self):
        order = self.order(product=self.blister)
        order.button_confirm()
        with self.raises(UserError, REFUSED):
            order.write(
                {
                    "order_line": [
                        Command.create(
                            {"product_id": self.syringe.id, "product_qty": 5}
                        )
                    ]
                }
            )
        with self.raises(UserError, REFUSED):
            order.order_line.write({"product_id": self.syringe.id})
        self.assertEqual(order.order_line.product_id, self.blister)
        # confirmed and given the controlled line in one write
        draft = self.order(product=self.blister)
        with self.raises(UserError, REFUSED):
            draft.write(
                {
                    "state": "purchase",
                    "order_line": [Command.create({"product_id": self.syringe.id})],
                }
            )
        self.assertEqual(draft.state, "draft")

    def test_override_of_a_direct_approval(self):
        """A direct call with the override reason goes ahead, recorded once."""
        self.grant_override(self.users["buyer"])
        order = self.order()
        order.with_context(meddev_supplier_override_reason="Urgent").button_approve()
        self.assertEqual(order.state, "purchase")
        self.assertEqual(
            self.env["meddev.audit.entry"].search_count(
                [
                    ("res_model", "=", "purchase.order"),
                    ("res_id", "=", order.id),
                    ("operation", "=", "override"),
                ]
            ),
            1,
        )

    def test_supplier_changed_after_confirmation(self):
        order = self.order(self.sterilizer)
        order.button_confirm()
        self.assertEqual(order.state, "purchase")
        with self.raises(UserError, REFUSED):
            order.write({"partner_id": self.plating.id})
        self.assertEqual(order.partner_id, self.sterilizer)

    # ------------------------------------------------------------------
    # receipts
    # ------------------------------------------------------------------
    def test_receipt_with_its_partner_cleared(self):
        """The receipt is checked against its purchase order's supplier, not
        the editable Receive From."""
        order, receipt = self.confirmed_receipt()
        receipt.partner_id = False
        with self.raises(UserError, REFUSED) as caught:
            receipt.button_validate()
        self.assertIn(self.sterilizer.name, str(caught.exception))
        self.assertNotEqual(receipt.state, "done")
        # another supplier as Receive From does not help either
        receipt.partner_id = self.coater
        with self.raises(UserError, self.sterilizer.name):
            receipt.button_validate()
        self.assertEqual(order.order_line.qty_received, 0)
        # whatever code makes the moves done
        with self.raises(UserError, REFUSED):
            receipt.move_ids._action_done()
        self.assertEqual(set(receipt.move_ids.mapped("state")), {"assigned"})

    def test_partial_receipt_through_the_backorder_dialog(self):
        """The backorder dialog (a public method of its own) reaches the
        moves' _action_done, which is checked."""
        _order, receipt = self.confirmed_receipt()
        self.sterilizer_eo.sudo().with_context(audit_reason="requalified").write(
            {"state": "qualified"}
        )
        receipt.move_ids.quantity = 40
        dialog = receipt.button_validate()
        self.assertEqual(dialog["res_model"], "stock.backorder.confirmation")
        # suspended again while the dialog is open, Receive From cleared
        self.suspend_sterilizer()
        receipt.partner_id = False
        wizard = Form(
            self.env[dialog["res_model"]]
            .with_user(self.users["warehouse"])
            .with_context(**dialog["context"])
        ).save()
        with self.raises(UserError, REFUSED):
            wizard.process()
        self.assertNotEqual(receipt.state, "done")

    def test_receipt_without_purchase_order(self):
        """Without purchase line, the receipt's partner is the supplier."""
        with self.raises(UserError, REFUSED):
            self.incoming(self.plating).button_validate()
        receipt = self.incoming(self.sterilizer)
        self.suspend_sterilizer()
        with self.raises(UserError, REFUSED):
            receipt.button_validate()

    def test_receipt_without_any_supplier(self):
        """A controlled product received from nobody is refused: nobody can
        be qualified for it. Uncontrolled products are received as before."""
        receipt = self.incoming()
        with self.raises(UserError, "No supplier is named"):
            receipt.button_validate()
        self.assertNotEqual(receipt.state, "done")
        blisters = self.incoming(product=self.blister)
        blisters.button_validate()
        self.assertEqual(blisters.state, "done")

    def test_return_is_not_a_receipt_from_a_supplier(self):
        """Goods returned by a customer come back unchecked, even from a
        customer who is not a supplier."""
        order = self.order(self.sterilizer)
        order.button_confirm()
        order.picking_ids.move_ids.quantity = 100
        order.picking_ids.button_validate()
        customer = self.env["res.partner"].create({"name": "Suzhou Hospital"})
        delivery = self.env["stock.picking"].create(
            {
                "picking_type_id": self.env.ref("stock.picking_type_out").id,
                "partner_id": customer.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "delivery",
                            "product_id": self.syringe.id,
                            "product_uom_qty": 10,
                            "location_id": self.stock.id,
                            "location_dest_id": self.env.ref(
                                "stock.stock_location_customers"
                            ).id,
                        }
                    )
                ],
            }
        )
        delivery.action_confirm()
        delivery.move_ids.quantity = 10
        delivery.button_validate()
        self.assertEqual(delivery.state, "done")
        self.suspend_sterilizer()
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.users["warehouse"])
            .with_context(active_id=delivery.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = 10
        returned = self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )
        self.assertEqual(returned.picking_type_code, "incoming")
        returned.move_ids.quantity = 10
        returned.with_user(self.users["warehouse"]).button_validate()
        self.assertEqual(returned.state, "done")

    def test_claimed_return_of_a_purchase_receipt_checked(self):
        """A warehouse user pointing the receipt's move at an earlier
        delivery (as if it were a return) does not escape the check: a move
        with a purchase line is a receipt from its order's supplier."""
        _order, receipt = self.confirmed_receipt()
        delivered = self.env["stock.move"].create(
            {
                "name": "delivery",
                "product_id": self.syringe.id,
                "product_uom_qty": 1,
                "location_id": self.stock.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
            }
        )
        receipt.move_ids.write({"origin_returned_move_id": delivered.id})
        with self.raises(UserError, REFUSED):
            receipt.button_validate()
        self.assertNotEqual(receipt.state, "done")

    def test_goods_back_from_a_supplier_checked(self):
        """Goods returned to the sterilizer (e.g. for re-sterilization) and
        coming back after its suspension are received from a supplier that
        is no longer approved: refused."""
        order = self.order(self.sterilizer)
        order.button_confirm()
        order.picking_ids.move_ids.quantity = 100
        order.picking_ids.button_validate()
        to_supplier = self._return(order.picking_ids, 20)
        to_supplier.move_ids.quantity = 20
        to_supplier.button_validate()
        self.assertEqual(to_supplier.state, "done")
        self.suspend_sterilizer()
        back = self._return(to_supplier, 20)
        self.assertEqual(back.picking_type_code, "incoming")
        back.move_ids.quantity = 20
        with self.raises(UserError, REFUSED):
            back.with_user(self.users["warehouse"]).button_validate()
        self.assertNotEqual(back.state, "done")

    def _return(self, picking, quantity):
        wizard = (
            self.env["stock.return.picking"]
            .with_user(self.users["warehouse"])
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = quantity
        return self.env["stock.picking"].browse(
            wizard.action_create_returns()["res_id"]
        )

    def test_override_through_the_moves(self):
        """The override role with its reason lets the receipt through every
        path, recorded once on the receipt."""
        self.grant_override(self.users["warehouse"])
        _order, receipt = self.confirmed_receipt()
        receipt.partner_id = False
        receipt.with_context(
            meddev_supplier_override_reason="Lot sterilized before the suspension"
        ).button_validate()
        self.assertEqual(receipt.state, "done")
        entries = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "stock.picking"),
                ("res_id", "=", receipt.id),
                ("operation", "=", "override"),
            ]
        )
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries.user_id, self.users["warehouse"])
        self.assertIn("Lot sterilized before the suspension", entries.reason)
