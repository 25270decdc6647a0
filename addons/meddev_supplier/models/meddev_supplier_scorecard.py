from collections import defaultdict
from datetime import datetime, time, timedelta

import pytz
from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .meddev_supplier_qualification import APPROVED_STATES

# system parameters and their defaults
PARAM_PREFIX = "meddev_supplier.scorecard_"
DEFAULT_PARAMS = {
    "weight_quality": 0.6,
    "weight_delivery": 0.4,
    "min_quality": 98.0,
    "min_delivery": 90.0,
}
# the figures: written by the computation (the server), by nobody else
METRIC_FIELDS = (
    "received_qty",
    "returned_qty",
    "accepted_qty",
    "quality_pct",
    "receipts_count",
    "on_time_count",
    "delivery_pct",
    "score",
    "below_threshold",
    "computed_at",
)
# a change of these makes the figures stale
SUBJECT_FIELDS = ("partner_id", "date_from", "date_to")


def _done_qty(move):
    """A move's done quantity in its product's unit of measure."""
    return move.product_uom._compute_quantity(
        move.quantity, move.product_id.uom_id, rounding_method="HALF-UP"
    )


class MeddevSupplierScorecard(models.Model):
    """A supplier's performance over a period (ISO 13485 §7.4.1: monitoring
    and re-evaluation of suppliers), computed from the stock moves when a user
    presses *Compute* and, for the previous month, by a monthly scheduled action
    for every supplier with receipts.

    - **Receipts** are the done pickings from the supplier (picking partner's
      commercial partner) whose date done falls in the period, with their done
      moves coming from a supplier location; returns are not receipts.
    - **Quality**: Odoo Community has no quality inspection here, so a
      *rejected* quantity is a quantity of those receipt moves that was sent
      back to the supplier: done moves whose ``origin_returned_move_id`` is one
      of the period's receipt moves and whose destination is a supplier
      location, whenever the return was done. Accepted = received − returned;
      quality % = accepted / received. Quantities are summed in each product's
      unit of measure. Where a module records inspection results (the
      inspections of meddev_quality), it counts them instead for the
      suppliers that have some in the period, through ``_quality_results``.
    - **Delivery**: a receipt is on time when it was done at the latest at the
      end of its scheduled day (in the user's time zone); delivery % = on-time
      receipts / receipts.
    - **Score** = quality % and delivery % weighted by the system parameters
      ``meddev_supplier.scorecard_weight_quality`` (0.6) and
      ``meddev_supplier.scorecard_weight_delivery`` (0.4).

    A scorecard with receipts below ``meddev_supplier.scorecard_min_quality``
    (98.0) or ``meddev_supplier.scorecard_min_delivery`` (90.0) gives each QA
    manager a to-do *For-cause evaluation required* on every qualified or
    conditional qualification of the supplier without an open evaluation,
    once per scorecard (when it falls below). The evaluation is proposed, not
    started: a number alone decides nothing; a QA engineer or manager starts
    it with the qualification's *Start For-Cause Evaluation* button, through
    the stage permission matrix (action *Start Evaluation*, logged). The
    supplier stays approved while re-evaluated.
    """

    _name = "meddev.supplier.scorecard"
    _description = "Supplier Scorecard"
    _inherit = ["meddev.supplier.record.mixin", "meddev.audit.mixin"]
    _order = "date_from desc, partner_id, id"

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    date_from = fields.Date(
        string="From", required=True, default=lambda self: self._previous_month()[0]
    )
    date_to = fields.Date(
        string="To", required=True, default=lambda self: self._previous_month()[1]
    )
    received_qty = fields.Float(
        string="Received Quantity", digits="Product Unit of Measure", readonly=True
    )
    returned_qty = fields.Float(
        string="Returned Quantity",
        digits="Product Unit of Measure",
        readonly=True,
        help="Quantity of the period's receipts returned to the supplier "
        "(counted as rejected).",
    )
    accepted_qty = fields.Float(
        string="Accepted Quantity", digits="Product Unit of Measure", readonly=True
    )
    quality_pct = fields.Float(string="Quality (%)", digits=(5, 2), readonly=True)
    receipts_count = fields.Integer(string="Receipts", readonly=True)
    on_time_count = fields.Integer(string="On-Time Receipts", readonly=True)
    delivery_pct = fields.Float(string="Delivery (%)", digits=(5, 2), readonly=True)
    score = fields.Float(digits=(5, 2), readonly=True, aggregator="avg")
    below_threshold = fields.Boolean(
        readonly=True,
        help="Quality or delivery below its minimum (system parameters "
        "meddev_supplier.scorecard_min_quality and _min_delivery): the QA "
        "managers were asked for a for-cause evaluation.",
    )
    computed_at = fields.Datetime(readonly=True, copy=False)

    _sql_constraints = [
        (
            "partner_period_unique",
            "UNIQUE (partner_id, date_from, date_to)",
            "A supplier has one scorecard per period.",
        ),
    ]

    @api.depends("partner_id.name", "date_from", "date_to")
    def _compute_name(self):
        for scorecard in self:
            scorecard.name = "{} {} - {}".format(
                scorecard.partner_id.name or "",
                scorecard.date_from or "",
                scorecard.date_to or "",
            ).strip()

    @api.constrains("date_from", "date_to")
    def _check_period(self):
        for scorecard in self:
            if scorecard.date_to < scorecard.date_from:
                raise ValidationError(
                    self.env._(
                        "The scorecard %(name)s ends before it starts.",
                        name=scorecard.name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _metric_fields(self):
        """The figures the computation writes, by nobody else (a module adding
        figures extends it)."""
        return METRIC_FIELDS

    def _check_metric_vals(self, vals):
        metric_fields = self._metric_fields()
        if not self.env.su and any(name in vals for name in metric_fields):
            raise UserError(
                self.env._(
                    "The scorecard figures are computed by the server from the "
                    "receipts: press Compute."
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            self._check_metric_vals(vals)
        return super().create(vals_list)

    def write(self, vals):
        self._check_metric_vals(vals)
        if any(name in vals for name in SUBJECT_FIELDS):
            computed = self.filtered("computed_at")
            result = super().write(vals)
            if computed:
                # the figures no longer describe the supplier and period: the
                # server clears them
                computed.sudo().write(self._empty_metrics())
            return result
        return super().write(vals)

    @api.model
    def _empty_metrics(self):
        return {
            "received_qty": 0.0,
            "returned_qty": 0.0,
            "accepted_qty": 0.0,
            "quality_pct": 0.0,
            "receipts_count": 0,
            "on_time_count": 0,
            "delivery_pct": 0.0,
            "score": 0.0,
            "below_threshold": False,
            "computed_at": False,
        }

    # ------------------------------------------------------------------
    # the computation
    # ------------------------------------------------------------------
    @api.model
    def _scorecard_params(self):
        # system parameters are readable by administrators only
        params = self.env["ir.config_parameter"].sudo()
        result = {}
        for key, default in DEFAULT_PARAMS.items():
            try:
                result[key] = float(params.get_param(PARAM_PREFIX + key) or default)
            except ValueError:
                result[key] = default
        return result

    def _tz(self):
        return pytz.timezone(self.env.context.get("tz") or self.env.user.tz or "UTC")

    def _utc_bounds(self, date_from, date_to):
        """The period as naive UTC datetimes [start, end) of the local days."""
        tz = self._tz()
        start = tz.localize(datetime.combine(date_from, time.min))
        end = tz.localize(datetime.combine(date_to + timedelta(days=1), time.min))
        return (
            start.astimezone(pytz.utc).replace(tzinfo=None),
            end.astimezone(pytz.utc).replace(tzinfo=None),
        )

    def _local_date(self, value):
        return pytz.utc.localize(value).astimezone(self._tz()).date()

    def _is_on_time(self, picking):
        """Done at the latest at the end of its scheduled day (local time)."""
        return bool(picking.scheduled_date) and self._local_date(
            picking.date_done
        ) <= self._local_date(picking.scheduled_date)

    def _measure(self):
        """{scorecard: figures} from the stock moves, with one search of the
        receipts and one of the returns for all the scorecards."""
        if not self:
            return {}
        bounds = {
            scorecard: self._utc_bounds(scorecard.date_from, scorecard.date_to)
            for scorecard in self
        }
        # the scorecard reads every receipt from the supplier, whatever stock
        # documents the QA user may read
        Picking = self.env["stock.picking"].sudo()
        pickings = Picking.search(
            [
                ("state", "=", "done"),
                ("picking_type_code", "=", "incoming"),
                ("partner_id.commercial_partner_id", "in", self.partner_id.ids),
                ("date_done", ">=", min(b[0] for b in bounds.values())),
                ("date_done", "<", max(b[1] for b in bounds.values())),
            ]
        )
        receipt_moves = pickings.move_ids.filtered(
            lambda move: move.state == "done"
            and move.location_id.usage == "supplier"
            and move.location_dest_id.usage != "supplier"
            and not move.origin_returned_move_id
        )
        # ... and every return of those receipts to the supplier
        returns = (
            self.env["stock.move"]
            .sudo()
            .search(
                [
                    ("state", "=", "done"),
                    ("origin_returned_move_id", "in", receipt_moves.ids),
                    ("location_dest_id.usage", "=", "supplier"),
                ]
            )
        )
        returned_by_move = defaultdict(float)
        for move in returns:
            returned_by_move[move.origin_returned_move_id.id] += _done_qty(move)
        by_partner = defaultdict(list)
        for move in receipt_moves:
            partner = move.picking_id.partner_id.commercial_partner_id
            by_partner[partner.id].append(move)
        results = {}
        for scorecard in self:
            start, end = bounds[scorecard]
            moves = receipt_moves.browse(
                [
                    move.id
                    for move in by_partner[scorecard.partner_id.id]
                    if start <= move.picking_id.date_done < end
                ]
            )
            period_pickings = moves.picking_id
            received = sum(_done_qty(move) for move in moves)
            returned = sum(returned_by_move[move.id] for move in moves)
            on_time = len(period_pickings.filtered(self._is_on_time))
            results[scorecard] = {
                "received": received,
                "returned": returned,
                "receipts": len(period_pickings),
                "on_time": on_time,
            }
        return results

    def _compute_figures(self):
        """Compute and store the figures, then propose for-cause evaluations
        of the suppliers that fell below a threshold."""
        params = self._scorecard_params()
        weights = params["weight_quality"] + params["weight_delivery"]
        now = fields.Datetime.now()
        below = self.browse()
        measures = self._measure()
        qualities = self._quality_results(measures)
        for scorecard, measure in measures.items():
            received, returned = measure["received"], measure["returned"]
            receipts = measure["receipts"]
            quality, quality_values = qualities[scorecard]
            delivery = measure["on_time"] / receipts * 100.0 if receipts else 0.0
            weighted = (
                params["weight_quality"] * quality
                + params["weight_delivery"] * delivery
            )
            score = weighted / weights if weights else 0.0
            # proposed once per scorecard, when it falls below a threshold
            was_below = scorecard.below_threshold
            is_below = bool(receipts) and (
                quality < params["min_quality"] or delivery < params["min_delivery"]
            )
            # the figures are written by the server only (see write())
            scorecard.sudo().write(
                {
                    "received_qty": received,
                    "returned_qty": returned,
                    "accepted_qty": received - returned,
                    "quality_pct": round(quality, 2),
                    "receipts_count": receipts,
                    "on_time_count": measure["on_time"],
                    "delivery_pct": round(delivery, 2),
                    "score": round(score, 2),
                    "below_threshold": is_below,
                    "computed_at": now,
                    **quality_values,
                }
            )
            if is_below and not was_below:
                below |= scorecard
        below._request_for_cause_evaluation(params)
        return True

    def _quality_results(self, measures):
        """{scorecard: (quality %, {field: value} written with the figures)}
        of the measured scorecards (``measures`` from ``_measure``).

        Hook: here the quantity received and not returned to the supplier;
        a module with inspection results (meddev_quality) counts them instead
        where the supplier has some in the period, and stores its figures
        (declared in ``_metric_fields`` and ``_empty_metrics``)."""
        return {
            scorecard: (
                (measure["received"] - measure["returned"])
                / measure["received"]
                * 100.0
                if measure["received"]
                else 0.0,
                {},
            )
            for scorecard, measure in measures.items()
        }

    def action_compute(self):
        """Compute the figures from the receipts (QA engineers and above)."""
        self.check_access("write")
        self._compute_figures()
        return True

    def _request_for_cause_evaluation(self, params):
        """Propose a for-cause evaluation of the supplier's qualified and
        conditional qualifications that have none open: each QA manager gets
        a to-do on each of them. Nothing is started here: a QA engineer or
        manager starts it with *Start For-Cause Evaluation*, which the stage
        permission matrix checks (and logs) like any start."""
        if not self:
            return
        # the server reads the approved supplier list and assigns the to-dos
        # the procedure requires, whoever pressed Compute (or the monthly
        # scheduled action): nothing is started or approved
        qualifications = (
            self.env["meddev.supplier.qualification"]
            .sudo()
            .search(
                [
                    ("meddev_supplier_id", "in", self.partner_id.ids),
                    ("state", "in", APPROVED_STATES),
                    ("current_evaluation_id", "=", False),
                ]
            )
        )
        notes = {
            qualification.id: self._for_cause_note(scorecard, params)
            for scorecard in self
            for qualification in qualifications.filtered(
                lambda q, s=scorecard: q.meddev_supplier_id == s.partner_id
            )
        }
        managers = self.env.ref("meddev_base.group_meddev_qa_manager").users.filtered(
            lambda user: user.active and not user.share
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(qualifications._name)
        today = fields.Date.context_today(self)
        summary = self.env._("For-cause evaluation required")
        # the server assigns the to-dos to the QA managers
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": qualification_id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager.id,
                    "summary": summary,
                    "note": note,
                    "date_deadline": today,
                }
                for qualification_id, note in notes.items()
                for manager in managers
            ]
        )

    @api.model
    def _for_cause_note(self, scorecard, params):
        return self.env._(
            "Scorecard %(scorecard)s: quality %(quality).2f %% (minimum "
            "%(min_quality).2f %%: %(returned)s returned of %(received)s "
            "received), delivery %(delivery).2f %% (minimum %(min_delivery).2f "
            "%%: %(on_time)s of %(receipts)s receipts on time), score "
            "%(score).2f. Perform the for-cause evaluation of the supplier "
            "(ISO 13485 §7.4.1).",
            scorecard=scorecard.name,
            quality=scorecard.quality_pct,
            min_quality=params["min_quality"],
            returned=scorecard.returned_qty,
            received=scorecard.received_qty,
            delivery=scorecard.delivery_pct,
            min_delivery=params["min_delivery"],
            on_time=scorecard.on_time_count,
            receipts=scorecard.receipts_count,
            score=scorecard.score,
        )

    # ------------------------------------------------------------------
    # monthly scheduled action
    # ------------------------------------------------------------------
    @api.model
    def _cron_compute_previous_month(self, today=None):
        """Create and compute the previous month's scorecard of every supplier
        with receipts in that month."""
        date_from, date_to = self._previous_month(today)
        start, end = self._utc_bounds(date_from, date_to)
        # the scheduled action scores every supplier, whoever runs it
        groups = (
            self.env["stock.picking"]
            .sudo()
            ._read_group(
                [
                    ("state", "=", "done"),
                    ("picking_type_code", "=", "incoming"),
                    ("location_id.usage", "=", "supplier"),
                    ("partner_id", "!=", False),
                    ("date_done", ">=", start),
                    ("date_done", "<", end),
                ],
                groupby=["partner_id"],
            )
        )
        partners = self.env["res.partner"].union(
            *(partner.commercial_partner_id for (partner,) in groups)
        )
        if not partners:
            return self.browse()
        # the scheduled action creates the scorecards (see above)
        Scorecard = self.sudo()
        existing = Scorecard.search(
            [
                ("partner_id", "in", partners.ids),
                ("date_from", "=", date_from),
                ("date_to", "=", date_to),
            ]
        )
        missing = partners - existing.partner_id
        scorecards = existing | Scorecard.create(
            [
                {"partner_id": partner.id, "date_from": date_from, "date_to": date_to}
                for partner in missing
            ]
        )
        scorecards._compute_figures()
        return scorecards

    @api.model
    def _previous_month(self, today=None):
        today = today or fields.Date.context_today(self)
        start = today.replace(day=1) - relativedelta(months=1)
        return start, today.replace(day=1) - timedelta(days=1)
