from odoo import fields, models


class MeddevSupplierEvaluationTemplateLine(models.Model):
    """One criterion of a supplier evaluation checklist."""

    _name = "meddev.supplier.evaluation.template.line"
    _description = "Supplier Evaluation Checklist Criterion"
    _inherit = ["meddev.supplier.evaluation.criterion.mixin", "meddev.audit.mixin"]
    _order = "template_id, sequence, id"

    template_id = fields.Many2one(
        "meddev.supplier.evaluation.template",
        required=True,
        index=True,
        # cascade kept: the criteria are part of the checklist; a checklist an
        # evaluation used is not deleted (evaluation.template_id restrict), and
        # the evaluation holds its own copy of the criteria
        ondelete="cascade",
    )
