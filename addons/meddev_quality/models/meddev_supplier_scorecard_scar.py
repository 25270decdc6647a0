from collections import defaultdict

from odoo import api, fields, models

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
    """The SCARs due in the period are counted beside the quality figures:
    how many, answered, answered on time (by the due date) and accepted. They
    do not change the quality % or the score (the rules of the scorecard
    stay the receipts' and the inspections'); QA reads them, and a SCAR's
    form starts a for-cause evaluation."""

    _inherit = "meddev.supplier.scorecard"

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
        return super()._metric_fields() + SCAR_METRIC_FIELDS

    @api.model
    def _empty_metrics(self):
        values = super()._empty_metrics()
        values.update(dict.fromkeys(SCAR_METRIC_FIELDS, 0))
        return values

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

    def _quality_results(self, measures):
        results = super()._quality_results(measures)
        if not measures:
            return results
        scorecards = self.browse([scorecard.id for scorecard in measures])
        period_scars = scorecards._meddev_period_scars()
        for scorecard in measures:
            quality, values = results[scorecard]
            results[scorecard] = (
                quality,
                {**values, **self._meddev_scar_figures(period_scars[scorecard])},
            )
        return results

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
