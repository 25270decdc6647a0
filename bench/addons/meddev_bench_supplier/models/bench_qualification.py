"""What Odoo alone would give for the supplier qualification: the same stored
fields, the same mail tracking and the same stored computes, on mail.thread,
without the meddev audit trail, signatures or stage permissions.

bench/bench_qualification.py creates and writes both models the same way.
"""

from dateutil.relativedelta import relativedelta

from odoo import api, fields, models


class MeddevBenchQualification(models.Model):
    _name = "meddev.bench.qualification"
    _inherit = ["mail.thread", "mail.activity.mixin"]
    _description = "Bench: qualification twin on Odoo alone"

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    partner_id = fields.Many2one("res.partner", required=True, index=True)
    scope_id = fields.Many2one(
        "meddev.supplier.scope", required=True, index=True, tracking=True
    )
    risk_class = fields.Selection(
        [("A", "A"), ("B", "B"), ("C", "C")], required=True, tracking=True
    )
    state = fields.Selection(
        [
            ("candidate", "Candidate"),
            ("under_evaluation", "Under Evaluation"),
            ("qualified", "Qualified"),
        ],
        default="candidate",
        required=True,
        tracking=True,
        index=True,
    )
    evaluation_type = fields.Selection(
        [("initial", "Initial"), ("periodic", "Periodic")],
        default="initial",
        required=True,
        tracking=True,
    )
    last_evaluation_date = fields.Date(tracking=True)
    next_evaluation_date = fields.Date(
        compute="_compute_next_evaluation_date", store=True, precompute=True
    )
    notes = fields.Text()

    @api.depends("partner_id.name", "scope_id.code")
    def _compute_name(self):
        for record in self:
            record.name = " / ".join(
                part for part in (record.partner_id.name, record.scope_id.code) if part
            )

    @api.depends("last_evaluation_date", "risk_class")
    def _compute_next_evaluation_date(self):
        months = {"A": 12, "B": 24, "C": 36}
        for record in self:
            last = record.last_evaluation_date
            record.next_evaluation_date = (
                last + relativedelta(months=months[record.risk_class])
                if last and record.risk_class
                else False
            )
