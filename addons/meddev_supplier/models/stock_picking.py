from odoo import models


class StockPicking(models.Model):
    """Validating a receipt refuses an unqualified supplier at once, before
    Odoo's backorder dialog; the check that nothing skips is made when the
    moves are done (``stock.move._action_done``), which records an
    override."""

    _inherit = "stock.picking"

    def button_validate(self):
        self.move_ids._meddev_supplier_receipts()._meddev_check_supplier_qualified()
        return super().button_validate()

    def action_meddev_override_validate(self):
        """Open the override dialog (Supplier Block Override role)."""
        return self.env["meddev.supplier.override.wizard"]._open_for(self)
