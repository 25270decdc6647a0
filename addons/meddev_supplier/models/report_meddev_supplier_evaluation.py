from odoo import api, models


class ReportMeddevSupplierEvaluation(models.AbstractModel):
    """The values of the supplier evaluation record: the evaluations, once
    the reader's right to read them is checked (a clear access error, not a
    failed rendering)."""

    _name = "report.meddev_supplier.report_meddev_supplier_evaluation"
    _description = "Supplier Evaluation Record"

    @api.model
    def _get_report_values(self, docids, data=None):
        evaluations = self.env["meddev.supplier.evaluation"].browse(docids)
        evaluations.check_access("read")
        return {
            "doc_ids": evaluations.ids,
            "doc_model": evaluations._name,
            "docs": evaluations,
            "data": data,
        }
