from odoo import fields, models


class MeddevSupplierEvaluationCriterionMixin(models.AbstractModel):
    """A criterion of a supplier evaluation: on the checklist, and as copied
    into each evaluation (in every language of the checklist)."""

    _name = "meddev.supplier.evaluation.criterion.mixin"
    _description = "Supplier Evaluation Criterion"

    sequence = fields.Integer(default=10)
    section = fields.Char(
        translate=True, help="The QMS element, e.g. Process Validation."
    )
    criterion = fields.Text(required=True, translate=True)
    guidance = fields.Text(
        translate=True, help="What to look at and what evidence to record."
    )
    weight = fields.Float(default=1.0)
    critical = fields.Boolean(
        help="Below the checklist's minimum score, the supplier cannot be "
        "approved; it cannot be answered Not Applicable."
    )

    _sql_constraints = [
        ("weight_positive", "CHECK (weight > 0)", "A criterion's weight is positive."),
    ]
