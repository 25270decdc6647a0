from collections import defaultdict

from odoo import api, fields, models

INSPECTION_METRIC_FIELDS = (
    "quality_basis",
    "inspected_lots",
    "accepted_lots",
    "rejected_lots",
    "lot_acceptance_pct",
    "sampled_units",
    "defective_units",
    "defect_rate_pct",
)
SCAR_METRIC_FIELDS = (
    "scar_count",
    "scar_answered_count",
    "scar_on_time_count",
    "scar_accepted_count",
    "scar_on_time_pct",
)
# the requests a scorecard counts: issued to the supplier, not cancelled
COUNTED_STATES = ("issued", "answered", "accepted")


class MeddevSupplierScorecard(models.Model):
    """The quality of a supplier that has lot inspections in the period counts
    them: the period's lots are those of its receipts done in the period
    (the inspection's receipt, else the inspection's date); of their original
    inspections (not the re-inspections, as the switching rules count them)
    decided accepted or rejected, the lot acceptance rate (accepted / decided)
    and the defect rate (defective units found / units sampled). Quality % is
    the mean of the lot acceptance rate and 100 − the defect rate. Without
    inspections in the period, the quality stays the quantity received and
    not returned.

    The SCARs due in the period are counted beside the quality figures: how
    many, answered, answered on time (by the due date) and accepted. They do
    not change the quality % or the score; QA reads them, and a SCAR's form
    starts a for-cause evaluation."""

    _inherit = "meddev.supplier.scorecard"

    quality_basis = fields.Selection(
        [("returns", "Receipts and Returns"), ("inspections", "Lot Inspections")],
        string="Quality Counted From",
        readonly=True,
        help="Lot inspections where the supplier has inspections decided in "
        "the period; otherwise the quantity received and not returned.",
    )
    inspected_lots = fields.Integer(
        string="Lots Inspected",
        readonly=True,
        help="Original inspections (not re-inspections) of the period's lots "
        "decided accepted or rejected.",
    )
    accepted_lots = fields.Integer(string="Lots Accepted", readonly=True)
    rejected_lots = fields.Integer(string="Lots Rejected", readonly=True)
    lot_acceptance_pct = fields.Float(
        string="Lot Acceptance (%)", digits=(5, 2), readonly=True
    )
    sampled_units = fields.Integer(string="Units Sampled", readonly=True)
    defective_units = fields.Integer(
        readonly=True,
        help="Defectives found in the samples of those inspections, every "
        "defect class.",
    )
    defect_rate_pct = fields.Float(
        string="Defect Rate (%)", digits=(5, 2), readonly=True
    )

    scar_count = fields.Integer(
        string="SCARs Due",
        readonly=True,
        help="SCARs issued to the supplier whose response was due in the period.",
    )
    scar_answered_count = fields.Integer(string="SCARs Answered", readonly=True)
    scar_on_time_count = fields.Integer(string="SCARs Answered on Time", readonly=True)
    scar_accepted_count = fields.Integer(string="SCARs Accepted", readonly=True)
    scar_on_time_pct = fields.Float(
        string="SCAR On-Time (%)", digits=(5, 2), readonly=True
    )

    @api.model
    def _metric_fields(self):
        return super()._metric_fields() + INSPECTION_METRIC_FIELDS + SCAR_METRIC_FIELDS

    @api.model
    def _empty_metrics(self):
        values = super()._empty_metrics()
        values.update(dict.fromkeys(INSPECTION_METRIC_FIELDS, 0))
        values.update(dict.fromkeys(SCAR_METRIC_FIELDS, 0))
        values["quality_basis"] = False
        return values

    def _meddev_inspection_domain(self):
        """The original inspections of this scorecard's supplier decided
        accepted or rejected, of any period (narrowed by
        ``_meddev_period_inspections``)."""
        return [
            ("meddev_plan_id", "!=", False),
            ("meddev_parent_id", "=", False),
            ("meddev_state", "in", ("accepted", "rejected")),
            ("meddev_partner_id", "in", self.partner_id.ids),
        ]

    def _meddev_period_inspections(self):
        """{scorecard: inspections} of each scorecard's supplier and period,
        with one search for all the scorecards."""
        bounds = {
            scorecard: self._utc_bounds(scorecard.date_from, scorecard.date_to)
            for scorecard in self
        }
        start = min(b[0] for b in bounds.values())
        end = max(b[1] for b in bounds.values())
        # the scorecard reads every inspection of the supplier, whatever
        # inspections or receipts the QA user may read (like the receipts)
        inspections = (
            self.env["qc.inspection"]
            .sudo()
            .search(
                [
                    *self._meddev_inspection_domain(),
                    "|",
                    "&",
                    ("picking_id.date_done", ">=", start),
                    ("picking_id.date_done", "<", end),
                    "&",
                    "&",
                    ("picking_id", "=", False),
                    ("date", ">=", start),
                    ("date", "<", end),
                ]
            )
        )
        by_partner = defaultdict(list)
        for inspection in inspections:
            by_partner[inspection.meddev_partner_id.id].append(inspection)
        result = {}
        for scorecard in self:
            start, end = bounds[scorecard]
            result[scorecard] = inspections.browse(
                [
                    inspection.id
                    for inspection in by_partner[scorecard.partner_id.id]
                    if start
                    <= (inspection.picking_id.date_done or inspection.date)
                    < end
                ]
            )
        return result

    def _quality_results(self, measures):
        results = super()._quality_results(measures)
        if not measures:
            return results
        scorecards = self.browse([scorecard.id for scorecard in measures])
        period_inspections = scorecards._meddev_period_inspections()
        period_scars = scorecards._meddev_period_scars()
        for scorecard in measures:
            inspections = period_inspections.get(scorecard)
            quality, values = results[scorecard]
            values = {**values, **self._meddev_scar_figures(period_scars[scorecard])}
            if not inspections:
                results[scorecard] = (quality, {**values, "quality_basis": "returns"})
                continue
            figures = self._meddev_inspection_figures(inspections)
            results[scorecard] = (
                (figures["lot_acceptance_pct"] + 100.0 - figures["defect_rate_pct"])
                / 2.0,
                {
                    **values,
                    **figures,
                    "lot_acceptance_pct": round(figures["lot_acceptance_pct"], 2),
                    "defect_rate_pct": round(figures["defect_rate_pct"], 2),
                    "quality_basis": "inspections",
                },
            )
        return results

    def _meddev_period_scars(self):
        """{scorecard: SCARs due in its period}, with one search."""
        # the scorecard counts every SCAR of the supplier, whatever the user
        # computing it may read
        scars = (
            self.env["meddev.scar"]
            .sudo()
            .search(
                [
                    ("meddev_supplier_id", "in", self.partner_id.ids),
                    ("state", "in", COUNTED_STATES),
                    ("date_due", ">=", min(self.mapped("date_from"))),
                    ("date_due", "<=", max(self.mapped("date_to"))),
                ]
            )
        )
        by_partner = defaultdict(list)
        for scar in scars:
            by_partner[scar.meddev_supplier_id.id].append(scar)
        return {
            scorecard: [
                scar
                for scar in by_partner[scorecard.partner_id.id]
                if scorecard.date_from <= scar.date_due <= scorecard.date_to
            ]
            for scorecard in self
        }

    @api.model
    def _meddev_scar_figures(self, scars):
        answered = [scar for scar in scars if scar.date_answered]
        on_time = [scar for scar in answered if scar.on_time]
        return {
            "scar_count": len(scars),
            "scar_answered_count": len(answered),
            "scar_on_time_count": len(on_time),
            "scar_accepted_count": len(
                [scar for scar in scars if scar.state == "accepted"]
            ),
            "scar_on_time_pct": round(len(on_time) / len(scars) * 100.0, 2)
            if scars
            else 0.0,
        }

    def _meddev_inspection_figures(self, inspections):
        """The lot and sample figures of decided original ``inspections``."""
        accepted = len(inspections.filtered(lambda i: i.meddev_state == "accepted"))
        sampled = sum(inspections.mapped("sample_size"))
        defective = sum(
            inspection.defects_critical
            + inspection.defects_major
            + inspection.defects_minor
            for inspection in inspections
        )
        return {
            "inspected_lots": len(inspections),
            "accepted_lots": accepted,
            "rejected_lots": len(inspections) - accepted,
            "lot_acceptance_pct": accepted / len(inspections) * 100.0,
            "sampled_units": sampled,
            "defective_units": defective,
            "defect_rate_pct": min(defective / sampled * 100.0, 100.0)
            if sampled
            else 0.0,
        }

    def _for_cause_note(self, scorecard, params):
        note = super()._for_cause_note(scorecard, params)
        if scorecard.quality_basis != "inspections":
            return note
        return "{} {}".format(
            note,
            self.env._(
                "The quality counts the lot inspections: %(accepted)s of "
                "%(lots)s lots accepted (%(acceptance).2f %%), %(defective)s "
                "defective of %(sampled)s units sampled (%(defect_rate).2f %%).",
                accepted=scorecard.accepted_lots,
                lots=scorecard.inspected_lots,
                acceptance=scorecard.lot_acceptance_pct,
                defective=scorecard.defective_units,
                sampled=scorecard.sampled_units,
                defect_rate=scorecard.defect_rate_pct,
            ),
        )

    def action_view_inspections(self):
        """The inspections the quality of this scorecard counts."""
        self.ensure_one()
        inspections = self._meddev_period_inspections()[self]
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_quality.meddev_inspection_action"
        )
        action.update(
            {
                "domain": [("id", "in", inspections.ids)],
                "context": {},
                "name": self.env._("Inspections of %(scorecard)s", scorecard=self.name),
            }
        )
        return action
