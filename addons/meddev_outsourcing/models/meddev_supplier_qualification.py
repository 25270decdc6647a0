from odoo import api, models


class MeddevSupplierQualification(models.Model):
    """The risk class of the supplier's jobs not yet released to it follows
    its qualification: a supplier raised to class A needs the approval tiers
    for its next release."""

    _inherit = "meddev.supplier.qualification"

    @api.model_create_multi
    def create(self, vals_list):
        qualifications = super().create(vals_list)
        qualifications._meddev_recompute_draft_jobs()
        return qualifications

    def write(self, vals):
        result = super().write(vals)
        if "risk_class" in vals:
            self._meddev_recompute_draft_jobs()
        return result

    def _meddev_recompute_draft_jobs(self):
        # the jobs are found whatever the QA user may read: their class follows
        jobs = (
            self.env["meddev.outsourcing.job"]
            .sudo()
            .search(
                [
                    ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                    ("scope_id", "in", self.scope_id.ids),
                    ("state", "=", "draft"),
                ]
            )
        )
        if jobs:
            self.env.add_to_compute(jobs._fields["risk_class"], jobs)
