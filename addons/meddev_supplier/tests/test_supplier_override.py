from datetime import timedelta

from freezegun import freeze_time

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged

from .common import MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestSupplierOverride(MeddevSupplierCase):
    """The block on unqualified suppliers is overridden only by a holder of the
    Supplier Block Override role, given as a temporary role, with a reason,
    each override an audit entry of the document."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.override_group = cls.env.ref(
            "meddev_supplier.group_meddev_supplier_override"
        )
        cls.syringe = cls.env["product.product"].create(
            {
                "name": "Single-use sterile syringe 5 ml",
                "type": "consu",
                "meddev_qualification_scope_id": cls.scope_eo.id,
            }
        )
        cls.users["buyer"].groups_id = [
            Command.link(cls.env.ref("purchase.group_purchase_user").id),
            Command.link(cls.env.ref("stock.group_stock_user").id),
        ]

    def order(self):
        return (
            self.env["purchase.order"]
            .with_user(self.users["buyer"])
            .create(
                {
                    "partner_id": self.sterilizer.id,
                    "order_line": [
                        Command.create(
                            {
                                "product_id": self.syringe.id,
                                "product_qty": 5000,
                                "price_unit": 0.2,
                            }
                        )
                    ],
                }
            )
        )

    def grant_override(self):
        """The buyer gets the override role for a day, the real way."""
        return super().grant_override(self.users["buyer"])

    def receipt_after_suspension(self, quantity):
        """The buyer holds the override role; an order confirmed while the
        sterilizer was qualified, whose receipt of ``quantity`` is ready after
        the sterilizer was suspended."""
        self.grant_override()
        self.qualified(self.sterilizer, self.scope_eo)
        order = self.order()
        order.button_confirm()
        self.Qualification.search(
            [("partner_id", "=", self.sterilizer.id)]
        ).sudo().with_context(audit_reason="test").write({"state": "suspended"})
        receipt = order.picking_ids
        receipt.move_ids.quantity = quantity
        receipt.move_ids.picked = True
        return order, receipt

    def test_without_the_role_no_override(self):
        order = self.order()
        with self.raises(UserError, "not an approved supplier"):
            order.with_context(
                meddev_supplier_override_reason="urgent"
            ).button_confirm()
        self.assertEqual(order.state, "draft")
        with self.assertRaises(AccessError):
            self.env["meddev.supplier.override.wizard"].with_user(
                self.users["buyer"]
            ).create(
                {"res_model": "purchase.order", "res_ids": order.ids, "reason": "x"}
            )

    def test_override_with_a_temporary_role_and_a_reason(self):
        grant = self.grant_override()
        order = self.order()
        # the role alone is not enough: the refusal says how to override
        with self.raises(UserError, "Override button"):
            order.button_confirm()
        action = order.action_meddev_override_confirm()
        wizard = (
            self.env[action["res_model"]]
            .with_user(self.users["buyer"])
            .with_context(**action["context"])
            .create({"reason": "Requalification audit passed on site"})
        )
        wizard.action_confirm()
        self.assertEqual(order.state, "purchase")
        entry = self.env["meddev.audit.entry"].search(
            [
                ("res_model", "=", "purchase.order"),
                ("res_id", "=", order.id),
                ("operation", "=", "override"),
            ]
        )
        self.assertEqual(len(entry), 1)
        self.assertEqual(entry.user_id, self.users["buyer"])
        self.assertIn("Requalification audit passed on site", entry.reason)
        self.assertIn(self.sterilizer.name, entry.reason)
        # when the temporary role ends, so does the override
        with freeze_time(grant.date_end + timedelta(minutes=1)):
            self.env["meddev.role.grant"]._cron_apply()
        self.assertEqual(grant.state, "expired")
        later = self.order()
        with self.raises(UserError, "not an approved supplier"):
            later.with_context(meddev_supplier_override_reason="again").button_confirm()
        self.assertEqual(later.state, "draft")

    def test_override_of_a_receipt(self):
        _order, receipt = self.receipt_after_suspension(5000)
        with self.raises(UserError, "not an approved supplier"):
            receipt.with_user(self.users["buyer"]).button_validate()
        receipt.with_context(
            meddev_supplier_override_reason="Lot already sterilized before suspension"
        ).with_user(self.users["buyer"]).button_validate()
        self.assertEqual(receipt.state, "done")
        self.assertTrue(
            self.env["meddev.audit.entry"].search_count(
                [
                    ("res_model", "=", "stock.picking"),
                    ("res_id", "=", receipt.id),
                    ("operation", "=", "override"),
                ]
            )
        )

    def test_override_of_a_partial_receipt_through_the_backorder_dialog(self):
        """The override's reason goes on through Odoo's backorder dialog,
        as the web client passes the dialog's context back."""
        order, receipt = self.receipt_after_suspension(3000)
        buyer = self.users["buyer"]
        action = receipt.with_user(buyer).action_meddev_override_validate()
        wizard = (
            self.env[action["res_model"]]
            .with_user(buyer)
            .with_context(**action["context"])
            .create({"reason": "Half the lot sterilized before the suspension"})
        )
        dialog = wizard.action_confirm()
        self.assertEqual(dialog["res_model"], "stock.backorder.confirmation")
        self.assertNotEqual(receipt.state, "done")
        override_entries = [
            ("res_model", "=", "stock.picking"),
            ("res_id", "=", receipt.id),
            ("operation", "=", "override"),
        ]
        # nothing overridden yet: the dialog may still be cancelled
        self.assertFalse(self.env["meddev.audit.entry"].search(override_entries))
        backorder_wizard = Form(
            self.env[dialog["res_model"]]
            .with_user(buyer)
            .with_context(**dialog["context"])
        ).save()
        backorder_wizard.process()
        self.assertEqual(receipt.state, "done")
        self.assertEqual(receipt.move_ids.quantity, 3000)
        backorder = order.picking_ids - receipt
        self.assertEqual(backorder.move_ids.product_uom_qty, 2000)
        entries = self.env["meddev.audit.entry"].search(override_entries)
        self.assertEqual(len(entries), 1, "one override, once validated")
        self.assertIn("Half the lot sterilized", entries.reason)
        # the backorder is not overridden with it: refused as long as the
        # supplier is suspended
        backorder.move_ids.quantity = 2000
        backorder.move_ids.picked = True
        with self.raises(UserError, "not an approved supplier"):
            backorder.with_user(buyer).button_validate()
