from odoo import api, fields, models
from odoo.tools import float_compare

HOLD_STATES = [("held", "Held"), ("released", "Released")]


class MeddevNonconformanceHold(models.Model):
    """A lot held by an exception (containment, 隔离): the lot's quantity on
    hand is moved into quarantine at once, and no quantity of it leaves
    quarantine but through a signed disposition of the exception (checked
    in ``stock.move._action_done``, every way out). What is received of the
    lot later (an outsourced lot coming back) goes into quarantine and is
    held too: the held quantity is the lot's in quarantine, with what its
    done dispositions took out. Released when every held quantity is
    dispositioned and done, or with its exception's cancellation."""

    _name = "meddev.nonconformance.hold"
    _description = "Exception Hold"
    _inherit = ["meddev.audit.mixin"]
    _order = "id"
    _check_company_auto = True

    nonconformance_id = fields.Many2one(
        "meddev.nonconformance",
        string="Exception",
        required=True,
        index=True,
        ondelete="restrict",
        readonly=True,
    )
    company_id = fields.Many2one(
        related="nonconformance_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    lot_id = fields.Many2one("stock.lot", required=True, readonly=True, index=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(
        string="Quantity Held",
        digits="Product Unit of Measure",
        compute="_compute_quantities",
        help="The lot's quantity in quarantine now, with what its done "
        "dispositions took out of it: what the dispositions add up to.",
    )
    disposition_ids = fields.One2many(
        "meddev.nonconformance.disposition", "hold_id", string="Dispositions"
    )
    qty_pending = fields.Float(
        string="Quantity to Disposition",
        digits="Product Unit of Measure",
        compute="_compute_quantities",
        help="Held and not yet given a disposition (a done rework comes back "
        "here for its next decision).",
    )
    qty_released = fields.Float(
        string="Quantity Dispositioned",
        digits="Product Unit of Measure",
        compute="_compute_quantities",
    )
    state = fields.Selection(
        HOLD_STATES, default="held", required=True, readonly=True, index=True
    )
    released_on = fields.Datetime(readonly=True)

    @api.depends(
        "lot_id",
        "state",
        "disposition_ids.quantity",
        "disposition_ids.state",
        "disposition_ids.disposition",
    )
    def _compute_quantities(self):
        in_quarantine = self._meddev_quarantine_quantities()
        for hold in self:
            live = hold.disposition_ids.filtered(lambda d: d.state != "cancel")
            # a finished rework gives its quantity back for the next decision
            reworked = live.filtered(
                lambda d: d.disposition == "rework" and d.state == "done"
            )
            done = live.filtered(lambda d: d.state == "done") - reworked
            hold.qty_released = sum(done.mapped("quantity"))
            held = hold.state == "held"
            hold.quantity = hold.qty_released + (
                in_quarantine.get(hold.lot_id.id, 0.0) if held else 0.0
            )
            taken = sum((live - reworked).mapped("quantity"))
            hold.qty_pending = hold.quantity - taken if held else 0.0

    def _meddev_quarantine_quantities(self):
        """{lot id: quantity in quarantine locations} of these holds' lots."""
        lots = self.lot_id
        if not lots:
            return {}
        # the held quantity is the stock's, whatever the reader may read
        groups = (
            self.env["stock.quant"]
            .sudo()
            ._read_group(
                [
                    ("lot_id", "in", lots.ids),
                    ("location_id.usage", "=", "internal"),
                    ("location_id.meddev_quarantine", "=", True),
                ],
                ["lot_id"],
                ["quantity:sum"],
            )
        )
        return {lot.id: quantity for lot, quantity in groups}

    def _meddev_release_if_done(self):
        """Release the holds whose whole quantity is dispositioned and done."""
        finished = self.filtered(
            lambda hold: hold.state == "held"
            and float_compare(
                hold.qty_pending, 0, precision_rounding=hold.uom_id.rounding
            )
            <= 0
            and all(d.state in ("done", "cancel") for d in hold.disposition_ids)
        )
        finished._meddev_release()

    def _meddev_release(self):
        # the server releases the holds when their dispositions are done or
        # their exception is cancelled, whoever's step it was
        self.sudo().write({"state": "released", "released_on": fields.Datetime.now()})
