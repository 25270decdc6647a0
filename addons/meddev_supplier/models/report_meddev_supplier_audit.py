from odoo import api, models


class ReportMeddevSupplierAudit(models.AbstractModel):
    """The values of the supplier audit report: the audits, once the reader's
    right to read them is checked (a clear access error, not a failed
    rendering)."""

    _name = "report.meddev_supplier.report_meddev_supplier_audit"
    _description = "Supplier Audit Report"

    @api.model
    def _get_report_values(self, docids, data=None):
        audits = self.env["meddev.supplier.audit"].browse(docids)
        audits.check_access("read")
        return {
            "doc_ids": audits.ids,
            "doc_model": audits._name,
            "docs": audits,
            "data": data,
        }
