from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError


class StockMove(models.Model):
    """Receipts of products with a sampling plan go to quarantine; their lots
    leave it only once their inspection is accepted and signed (checked in
    ``_action_done`` with the outsourcing release gate, every way out)."""

    _inherit = "stock.move"

    def _action_confirm(self, merge=True, merge_into=False):
        moves = super()._action_confirm(merge=merge, merge_into=merge_into)
        moves._meddev_route_inspected_to_quarantine()
        return moves

    def _meddev_route_inspected_to_quarantine(self):
        incoming = self.filtered(
            lambda m: m.picking_code == "incoming"
            and m.picking_id.partner_id
            and not m.location_dest_id.meddev_quarantine
            and m.state not in ("done", "cancel")
        )
        if not incoming:
            return
        plans = self.env["meddev.sampling.plan"]._meddev_find(
            incoming.product_id,
            incoming.picking_id.partner_id.commercial_partner_id,
            incoming.company_id[:1],
        )
        planned = incoming.filtered(
            lambda m: (
                m.product_id.id,
                m.picking_id.partner_id.commercial_partner_id.id,
            )
            in plans
        )
        # the quarantine is set up by the server, whoever confirms the receipt
        planned.sudo()._meddev_to_quarantine()

    def _meddev_to_quarantine(self):
        by_destination = defaultdict(lambda: self.browse())
        for move in self:
            warehouse = move.warehouse_id or move.picking_type_id.warehouse_id
            if not warehouse:
                continue
            if (
                warehouse.reception_steps != "one_step"
                and move.location_dest_id == warehouse.wh_input_stock_loc_id
            ):
                move.location_dest_id.meddev_quarantine = True
                continue
            by_destination[warehouse._meddev_quarantine_location()] |= move
        for location, moves in by_destination.items():
            moves.write({"location_dest_id": location.id})
            moves.move_line_ids.write({"location_dest_id": location.id})

    def _meddev_quantities_by_lot(self):
        """[(lot, quantity in the product's unit)] of this done move."""
        self.ensure_one()
        quantities = defaultdict(float)
        for line in self.move_line_ids:
            quantities[line.lot_id] += line.product_uom_id._compute_quantity(
                line.quantity, self.product_id.uom_id
            )
        return [(lot, qty) for lot, qty in quantities.items() if qty > 0]

    def _meddev_check_quarantine_release(self):
        result = super()._meddev_check_quarantine_release()
        self._meddev_check_inspection_hold()
        return result

    def _meddev_inspection_hold_lines(self):
        """The move lines a held lot cannot go through: a lot with an open or
        rejected inspection goes nowhere but into quarantine or back to its
        supplier, wherever it is (a receipt redirected out of quarantine
        does not free it); goods without lot are held in the quarantine
        location they were received into."""
        return self.move_line_ids.filtered(
            lambda line: line.quantity
            and not line.location_dest_id.meddev_quarantine
            and line.location_dest_id.usage != "supplier"
            and (line.lot_id or line.location_id.meddev_quarantine)
        )

    def _meddev_check_inspection_hold(self):
        lines = self._meddev_inspection_hold_lines()
        if not lines:
            return
        # the gate holds whatever inspections the mover may read
        inspections = (
            self.env["qc.inspection"]
            .sudo()
            .search(
                [
                    ("meddev_holds", "=", True),
                    "|",
                    ("lot_id", "in", lines.lot_id.ids),
                    "&",
                    ("lot_id", "=", False),
                    ("product_id", "in", lines.product_id.ids),
                ]
            )
        )
        held = inspections.filtered(
            lambda i: any(i._meddev_holds_line(line) for line in lines)
        )
        if held:
            raise UserError(
                "\n\n".join(inspection._meddev_held_message() for inspection in held)
            )
