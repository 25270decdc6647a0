from odoo import api, fields, models
from odoo.tools import float_compare

HOLD_STATES = [("held", "Held"), ("released", "Released")]


class MeddevNonconformanceHold(models.Model):
    """A lot held by an exception (containment, 隔离): the lot's quantity on
    hand is moved into quarantine at once, and no quantity of it leaves
    quarantine but through a signed disposition of the exception (checked
    in ``stock.move._action_done``, every way out). Quantities of the lot
    received later (an outsourced lot coming back) join the hold. Released
    when every held quantity is dispositioned, or with its exception's
    cancellation."""

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
        related="nonconformance_id.company_id", store=True, index=True
    )
    product_id = fields.Many2one("product.product", required=True, readonly=True)
    lot_id = fields.Many2one("stock.lot", required=True, readonly=True, index=True)
    uom_id = fields.Many2one(related="product_id.uom_id", string="Unit")
    quantity = fields.Float(
        string="Quantity Held",
        digits="Product Unit of Measure",
        readonly=True,
        help="The lot's quantity in stock when it was contained, with what "
        "was received of it since.",
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
        "quantity",
        "disposition_ids.quantity",
        "disposition_ids.state",
        "disposition_ids.disposition",
    )
    def _compute_quantities(self):
        for hold in self:
            live = hold.disposition_ids.filtered(lambda d: d.state != "cancel")
            # a finished rework gives its quantity back for the next decision
            reworked = live.filtered(
                lambda d: d.disposition == "rework" and d.state == "done"
            )
            taken = sum((live - reworked).mapped("quantity"))
            done = live.filtered(lambda d: d.state == "done") - reworked
            hold.qty_pending = hold.quantity - taken
            hold.qty_released = sum(done.mapped("quantity"))

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
