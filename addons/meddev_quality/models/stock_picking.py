from odoo import models


class StockPicking(models.Model):
    """Validating a receipt from a supplier (a purchase or an outsourcing
    return) makes one inspection per lot where a sampling plan applies."""

    _inherit = "stock.picking"

    def _action_done(self):
        result = super()._action_done()
        incoming = self.filtered(
            lambda p: p.picking_type_code == "incoming" and p.partner_id
        )
        if incoming:
            self.env["qc.inspection"]._meddev_create_for_moves(incoming.move_ids)
        return result
