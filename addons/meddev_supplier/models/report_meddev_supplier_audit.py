from odoo import models


class ReportMeddevSupplierAudit(models.AbstractModel):
    """The values of the supplier audit report, read access checked."""

    _name = "report.meddev_supplier.report_meddev_supplier_audit"
    _inherit = ["meddev.report.mixin"]
    _description = "Supplier Audit Report"
    _meddev_report_model = "meddev.supplier.audit"
