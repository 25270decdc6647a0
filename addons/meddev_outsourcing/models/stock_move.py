from odoo import models
from odoo.exceptions import UserError

from .meddev_outsourcing_job import HELD_STATES


class StockMove(models.Model):
    """The release gate (放行): goods an outsourcing supplier returned stay in
    quarantine until their job is released. Checked in ``_action_done``, which
    every way out goes through (transfers, consumption by a manufacturing or
    subcontract order, deliveries, scrap, inventory adjustments, returns).
    The receipt bringing them in is not held: Odoo completes the subcontract
    order as it designs."""

    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        self._meddev_check_quarantine_release()
        return super()._action_done(cancel_backorder=cancel_backorder)

    def _meddev_quarantine_lines(self):
        """The move lines taking goods out of a quarantine location."""
        return self.move_line_ids.filtered(
            lambda line: line.location_id.meddev_quarantine
            and not line.location_dest_id.meddev_quarantine
            and line.quantity
        )

    def _meddev_check_quarantine_release(self):
        lines = self._meddev_quarantine_lines()
        if not lines:
            return
        # the gate holds whatever jobs the mover may read
        jobs = (
            self.env["meddev.outsourcing.job"]
            .sudo()
            .search(
                [
                    ("state", "in", HELD_STATES),
                    ("date_returned", "!=", False),
                    "|",
                    ("lot_id", "in", lines.lot_id.ids),
                    "&",
                    ("lot_id", "=", False),
                    ("product_id", "in", lines.product_id.ids),
                ]
            )
        )
        held = [job for job in jobs if any(job._holds(line) for line in lines)]
        if held:
            raise UserError("\n\n".join(job._meddev_held_message() for job in held))
