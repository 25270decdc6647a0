from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MeddevSupplierEvaluationTemplate(models.Model):
    """A checklist of scored criteria for evaluating suppliers of some scopes
    (or of every scope), with the scores that lead to approval.

    A new evaluation copies the lines of the template of its scope (else the
    template without scopes): the criteria an evaluation was made against stay
    as they were, whatever happens to the template later.
    """

    _name = "meddev.supplier.evaluation.template"
    _description = "Supplier Evaluation Checklist"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    scope_ids = fields.Many2many(
        "meddev.supplier.scope",
        string="Scopes",
        help="The scopes evaluated with this checklist. Empty: the checklist of "
        "every scope that has none of its own.",
    )
    qualified_threshold = fields.Float(
        string="Score to Qualify (%)",
        default=80.0,
        help="Weighted score from which the evaluation recommends qualifying.",
    )
    conditional_threshold = fields.Float(
        string="Score to Qualify Conditionally (%)",
        default=60.0,
        help="Weighted score from which the evaluation recommends a conditional "
        "qualification; below it, no approval.",
    )
    critical_min_score = fields.Integer(
        string="Minimum Score of Critical Criteria",
        default=3,
        help="A critical criterion scored below this (on 0-5) makes the supplier "
        "not approvable, whatever the total.",
    )
    line_ids = fields.One2many(
        "meddev.supplier.evaluation.template.line",
        "template_id",
        string="Criteria",
        copy=True,
    )
    notes = fields.Text()

    @api.constrains(
        "qualified_threshold", "conditional_threshold", "critical_min_score"
    )
    def _check_thresholds(self):
        for template in self:
            if not (
                0
                <= template.conditional_threshold
                <= template.qualified_threshold
                <= 100
            ):
                raise ValidationError(
                    self.env._(
                        "%(template)s: the scores must satisfy 0 ≤ conditional "
                        "≤ qualified ≤ 100 %%.",
                        template=template.name,
                    )
                )
            if not 0 <= template.critical_min_score <= 5:
                raise ValidationError(
                    self.env._(
                        "%(template)s: the minimum score of critical criteria "
                        "is between 0 and 5.",
                        template=template.name,
                    )
                )

    @api.model
    def _for_scopes(self, scopes):
        """{scope: template}: the active template naming the scope, else the
        first active one without scopes (empty when there is none)."""
        templates = self.search(
            ["|", ("scope_ids", "in", scopes.ids), ("scope_ids", "=", False)]
        )
        generic = templates.filtered(lambda t: not t.scope_ids)[:1]
        return {
            scope: templates.filtered(lambda t, s=scope: s in t.scope_ids)[:1]
            or generic
            for scope in scopes
        }
