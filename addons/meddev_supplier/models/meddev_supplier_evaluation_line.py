from odoo import api, fields, models
from odoo.exceptions import UserError

# the answer scale of every criterion; "na": not applicable (left out)
SCORES = [
    ("0", "0 - Not in place"),
    ("1", "1 - Major gaps"),
    ("2", "2 - Partly in place"),
    ("3", "3 - In place, minor gaps"),
    ("4", "4 - In place and effective"),
    ("5", "5 - Fully effective"),
    ("na", "Not Applicable"),
]
MAX_SCORE = 5
# answers that need the evidence (or the reason) written down
EVIDENCE_REQUIRED = ("0", "1", "2", "na")


class MeddevSupplierEvaluationLine(models.Model):
    """A criterion of an evaluation and its scored answer. Answered while the
    evaluation is in progress; fixed once it is completed."""

    _name = "meddev.supplier.evaluation.line"
    _description = "Supplier Evaluation Answer"
    _inherit = ["meddev.supplier.evaluation.criterion.mixin", "meddev.audit.mixin"]
    _order = "evaluation_id, sequence, id"

    evaluation_id = fields.Many2one(
        "meddev.supplier.evaluation",
        required=True,
        index=True,
        # cascade kept: an evaluation is never deleted (_unlink_never), so its
        # answers go only with the module's tables
        ondelete="cascade",
    )
    template_line_id = fields.Many2one(
        "meddev.supplier.evaluation.template.line",
        string="Checklist Criterion",
        readonly=True,
        ondelete="set null",
    )
    score = fields.Selection(SCORES, string="Answer")
    evidence = fields.Text(
        help="What was seen (documents, records, samples). Required for scores "
        "of 2 or less and for Not Applicable."
    )
    below_critical_minimum = fields.Boolean(
        compute="_compute_below_critical_minimum",
        help="A critical criterion scored below the checklist's minimum.",
    )

    @api.depends("score", "critical", "evaluation_id.critical_min_score")
    def _compute_below_critical_minimum(self):
        for line in self:
            line.below_critical_minimum = bool(
                line.critical
                and line.score not in (False, "na")
                and int(line.score) < line.evaluation_id.critical_min_score
            )

    @api.constrains("score", "critical")
    def _check_critical_applicable(self):
        for line in self:
            if line.critical and line.score == "na":
                raise UserError(
                    self.env._(
                        "The critical criterion %(criterion)s cannot be answered "
                        "Not Applicable.",
                        criterion=line.criterion,
                    )
                )

    def _check_editable(self):
        """Answers change while their evaluation is in progress only."""
        if self.env.su:
            return
        fixed = self.evaluation_id.filtered(lambda e: e.state != "in_progress")
        if fixed:
            raise UserError(
                self.env._(
                    "The answers of %(evaluations)s are fixed: it is no longer in "
                    "progress (reopen it to change them).",
                    evaluations=", ".join(fixed.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        lines._check_editable()
        return lines

    def write(self, vals):
        self._check_editable()
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_in_progress_only(self):
        self._check_editable()
