from odoo import api, models

from .meddev_supplier_qualification import DECISIONS


class ReportMeddevSupplierAsl(models.AbstractModel):
    """The values of the approved supplier list PDF, read access checked:
    with each qualification, the signature of the decision in force."""

    _name = "report.meddev_supplier.report_meddev_supplier_asl"
    _inherit = ["meddev.report.mixin"]
    _description = "Approved Supplier List Report"
    _meddev_report_model = "meddev.supplier.qualification"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values["decisions"] = self._decision_signatures(values["docs"])
        return values

    @api.model
    def _decision_signatures(self, qualifications):
        """{qualification id: the signature of its last decision (approval,
        conditional approval, suspension, disqualification)}."""
        # who signed the decision is part of the list: the reader, who may
        # read the qualifications, reads their decision's signer and time
        # whatever they may read of the signatures themselves
        signatures = (
            self.env["meddev.signature"]
            .sudo()
            .search(
                [
                    ("res_model", "=", qualifications._name),
                    ("res_id", "in", qualifications.ids),
                    ("action", "in", list(DECISIONS)),
                ],
                order="signed_at desc, id desc",
            )
        )
        decisions = {}
        for signature in signatures:
            decisions.setdefault(signature.res_id, signature)
        return decisions
