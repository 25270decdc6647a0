from odoo import models


class StockQuant(models.Model):
    _inherit = "stock.quant"

    def _meddev_move_to_quarantine(self):
        """Move these quants' quantities outside quarantine into their
        warehouse's quarantine at once (containment of an exception)."""
        outside = self.filtered(
            lambda quant: not quant.location_id.meddev_quarantine
            and quant.location_id.warehouse_id
            and quant.quantity > 0
        )
        moves = self.env["stock.move"]
        for quant in outside:
            warehouse = quant.location_id.warehouse_id
            moves |= moves.create(quant._meddev_containment_move(warehouse))
        if moves:
            moves._action_confirm()
            moves.picked = True
            moves._action_done()

    def _meddev_containment_move(self, warehouse):
        self.ensure_one()
        destination = warehouse._meddev_quarantine_location()
        return {
            "name": self.env._("Containment of %(lot)s", lot=self.lot_id.name),
            "product_id": self.product_id.id,
            "product_uom": self.product_id.uom_id.id,
            "product_uom_qty": self.quantity,
            "location_id": self.location_id.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "move_line_ids": [
                (
                    0,
                    0,
                    {
                        "product_id": self.product_id.id,
                        "product_uom_id": self.product_id.uom_id.id,
                        "lot_id": self.lot_id.id,
                        "quantity": self.quantity,
                        "location_id": self.location_id.id,
                        "location_dest_id": destination.id,
                        "company_id": self.company_id.id,
                    },
                )
            ],
        }
