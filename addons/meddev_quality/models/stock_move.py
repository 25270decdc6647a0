from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError


class StockMove(models.Model):
    """Receipts of products with a sampling plan go to quarantine; their lots
    leave it only once their inspection is accepted and signed (checked in
    ``_action_done`` with the outsourcing release gate, every way out)."""

    _inherit = "stock.move"

    meddev_disposition_id = fields.Many2one(
        "meddev.nonconformance.disposition",
        string="Exception Disposition",
        readonly=True,
        index="btree_not_null",
        copy=False,
        help="The approved disposition this move carries out: the only way a "
        "held lot leaves quarantine.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su and any(v.get("meddev_disposition_id") for v in vals_list):
            self._meddev_refuse_disposition_link()
        return super().create(vals_list)

    def write(self, vals):
        if "meddev_disposition_id" in vals and not self.env.su:
            self._meddev_refuse_disposition_link()
        return super().write(vals)

    def _meddev_refuse_disposition_link(self):
        raise UserError(
            self.env._(
                "A stock move carries out an exception's disposition only when "
                "the server makes it from the signed disposition."
            )
        )

    def _action_done(self, cancel_backorder=False):
        self._meddev_check_nonconformance_hold()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        moves._meddev_after_done_holds()
        return moves

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

    # ------------------------------------------------------------------
    # the holds of exceptions (containment)
    # ------------------------------------------------------------------
    def _meddev_active_holds(self, lots):
        # the gate holds whatever exceptions the mover may read
        return (
            self.env["meddev.nonconformance.hold"]
            .sudo()
            .search([("state", "=", "held"), ("lot_id", "in", lots.ids)])
        )

    def _meddev_check_nonconformance_hold(self):
        lines = self.move_line_ids.filtered(lambda line: line.quantity and line.lot_id)
        if not lines:
            return
        holds = self._meddev_active_holds(lines.lot_id)
        if not holds:
            return
        problems = []
        for line in lines.filtered(lambda line: line.lot_id in holds.lot_id):
            problem = line.move_id._meddev_hold_problem(
                line, holds.filtered(lambda h, lot=line.lot_id: h.lot_id == lot)
            )
            if problem:
                problems.append(problem)
        if problems:
            raise UserError("\n\n".join(dict.fromkeys(problems)))

    def _meddev_hold_problem(self, line, holds):
        """Why ``line`` may not move its held lot, or None: a held lot moves
        into quarantine, or out of it by an approved disposition of its
        exception, to where that disposition sends it."""
        source, destination = line.location_id, line.location_dest_id
        if destination.meddev_quarantine:
            return None
        disposition = self.meddev_disposition_id
        if source.meddev_quarantine:
            if (
                disposition.state == "approved"
                and disposition.hold_id in holds
                and disposition._meddev_expected_destination(destination)
            ):
                return None
            return self._meddev_hold_message(holds, line)
        if (
            source.usage in ("supplier", "customer", "transit")
            and destination.usage == "internal"
            and not destination.is_subcontracting_location
        ):
            # what comes in of a held lot joins the hold in quarantine
            return self._meddev_hold_message(holds, line)
        return None

    def _meddev_hold_message(self, holds, line):
        return self.env._(
            "%(product)s %(lot)s is held by the exception %(exceptions)s: it "
            "stays in quarantine, and leaves it only through the signed "
            "disposition of its quantity.",
            product=line.product_id.display_name,
            lot=line.lot_id.name,
            exceptions=", ".join(holds.nonconformance_id.mapped("name")),
        )

    def _meddev_after_done_holds(self):
        """A disposition's move done may finish it; the lot an outsourcing
        job returns joins the job's open exceptions (held at once)."""
        # the server records the hold's outcome, whoever validated the move
        done = self.sudo().filtered(lambda move: move.state == "done")
        done.meddev_disposition_id._meddev_mark_done_if_finished()
        # only an outsourced lot's return, which goes to quarantine, is
        # looked up (not every move done)
        returned = done.filtered(lambda move: move.location_dest_id.meddev_quarantine)
        if not returned:
            return
        jobs = (
            self.env["meddev.outsourcing.job"]
            .sudo()
            .search([("receipt_move_id", "in", returned.ids)])
        )
        if jobs:
            jobs._meddev_exceptions_take_lot()
