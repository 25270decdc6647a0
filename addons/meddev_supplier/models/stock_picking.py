from odoo import models


class StockPicking(models.Model):
    _inherit = "stock.picking"

    def button_validate(self):
        overridden = self._meddev_check_supplier_qualified()
        result = super().button_validate()
        if isinstance(overridden, str):
            # recorded on the receipts validated now, not when Odoo's
            # backorder dialog opens (it calls back here once confirmed)
            self.env["meddev.supplier.qualification"]._meddev_record_override(
                self.filtered(lambda picking: picking.state == "done"), overridden
            )
        return result

    def _meddev_check_supplier_qualified(self):
        """Refuse to receive a controlled product from a supplier not approved
        for its scope (ISO 13485 §7.4). Returns are not receipts from a
        supplier: moves returning an earlier move are not checked."""
        receipts = self.filtered(
            lambda picking: picking.picking_type_code == "incoming"
            and picking.partner_id
            and picking.state not in ("done", "cancel")
        )
        lines = [
            (
                self.env._(
                    "Receiving %(picking)s", picking=move.picking_id.display_name
                ),
                move.picking_id.partner_id.commercial_partner_id,
                move.product_id,
            )
            for move in receipts.move_ids
            if move.state not in ("done", "cancel") and not move.origin_returned_move_id
        ]
        return self.env["meddev.supplier.qualification"]._meddev_check_qualified(
            lines, documents=self
        )

    def action_meddev_override_validate(self):
        """Open the override dialog (Supplier Block Override role)."""
        return self.env["meddev.supplier.override.wizard"]._open_for(self)
