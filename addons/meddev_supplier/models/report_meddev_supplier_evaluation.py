from odoo import models


class ReportMeddevSupplierEvaluation(models.AbstractModel):
    """The values of the supplier evaluation record, read access checked."""

    _name = "report.meddev_supplier.report_meddev_supplier_evaluation"
    _inherit = ["meddev.report.mixin"]
    _description = "Supplier Evaluation Record"
    _meddev_report_model = "meddev.supplier.evaluation"
