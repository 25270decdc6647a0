from odoo import models


class PurchaseOrder(models.Model):
    _inherit = "purchase.order"

    def button_confirm(self):
        overridden = self._meddev_check_supplier_qualified()
        result = super().button_confirm()
        if isinstance(overridden, str):
            self.env["meddev.supplier.qualification"]._meddev_record_override(
                self, overridden
            )
        return result

    def _meddev_check_supplier_qualified(self):
        """Refuse to confirm an order of a controlled product from a supplier
        not approved for its scope (ISO 13485 §7.4)."""
        lines = [
            (
                self.env._("Confirming %(order)s", order=line.order_id.display_name),
                line.order_id.partner_id.commercial_partner_id,
                line.product_id,
            )
            for line in self.filtered(
                lambda order: order.state in ("draft", "sent")
            ).order_line
            if line.product_id and not line.display_type
        ]
        return self.env["meddev.supplier.qualification"]._meddev_check_qualified(
            lines, documents=self
        )

    def action_meddev_override_confirm(self):
        """Open the override dialog (Supplier Block Override role)."""
        return self.env["meddev.supplier.override.wizard"]._open_for(self)
