from odoo import fields, models


class MeddevSupplierEvaluationTemplateLine(models.Model):
    """One criterion of a supplier evaluation checklist."""

    _name = "meddev.supplier.evaluation.template.line"
    _description = "Supplier Evaluation Checklist Criterion"
    _inherit = ["meddev.audit.mixin"]
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "meddev.supplier.evaluation.template",
        required=True,
        index=True,
        ondelete="cascade",
    )
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
