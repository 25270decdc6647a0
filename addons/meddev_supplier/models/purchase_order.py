from odoo import models

# the states of a confirmed order: reaching one is checked against the ASL
CONFIRMED_STATES = ("purchase", "done")


class PurchaseOrder(models.Model):
    """The approved supplier list is checked where an order becomes
    confirmed: ``write`` of ``state`` into purchase or done, which
    ``button_confirm``, ``button_approve`` (also the second step of Odoo's
    two-step approval), a direct write and other modules' code all go
    through. Changing the supplier of a confirmed order is checked too, and
    lines added to a confirmed order (``purchase.order.line``): also those of
    an order created confirmed."""

    _inherit = "purchase.order"

    def write(self, vals):
        checked = self._meddev_orders_to_check(vals)
        overridden = checked._meddev_check_supplier_qualified(
            partner=self.env["res.partner"].browse(vals.get("partner_id"))
        )
        result = super().write(vals)
        checked._meddev_record_supplier_override(overridden)
        return result

    def _meddev_orders_to_check(self, vals):
        """The orders this write confirms, or whose supplier it changes once
        confirmed."""
        if vals.get("state") in CONFIRMED_STATES:
            return self.filtered(lambda order: order.state not in CONFIRMED_STATES)
        if "partner_id" in vals:
            return self.filtered(lambda order: order.state in CONFIRMED_STATES)
        return self.browse()

    def _meddev_check_supplier_qualified(self, partner=None):
        """Refuse an order of a controlled product from a supplier not
        approved for its scope (ISO 13485 §7.4): each line of the orders,
        from ``partner`` when given (the new supplier), else from the order's
        supplier."""
        items = [
            (
                self.env._("Confirming %(order)s", order=line.order_id.display_name),
                (partner or line.order_id.partner_id).commercial_partner_id,
                line.product_id,
            )
            for line in self.order_line
            if line.product_id and not line.display_type
        ]
        return self.env["meddev.supplier.qualification"]._meddev_check_qualified(
            items, documents=self
        )

    def _meddev_record_supplier_override(self, overridden):
        """Record the override on the orders that went ahead past the block."""
        if isinstance(overridden, str):
            self.env["meddev.supplier.qualification"]._meddev_record_override(
                self, overridden
            )

    def _meddev_confirm_with_override(self):
        """What the override dialog does: confirm the draft orders, approve
        those waiting for approval (the reason is in the context)."""
        waiting = self.filtered(lambda order: order.state == "to approve")
        (self - waiting).button_confirm()
        waiting.button_approve()
        return True

    def action_meddev_override_confirm(self):
        """Open the override dialog (Supplier Block Override role)."""
        return self.env["meddev.supplier.override.wizard"]._open_for(self)
