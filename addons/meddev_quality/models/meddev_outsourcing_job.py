from odoo import models


class MeddevOutsourcingJob(models.Model):
    """A job whose product has a sampling plan is released only once the
    inspection of its returned lot is accepted and signed."""

    _inherit = "meddev.outsourcing.job"

    def _meddev_release_hook_problems(self):
        problems = super()._meddev_release_hook_problems()
        # the inspections decide, whatever the releaser may read
        inspections = (
            self.env["qc.inspection"].sudo().search([("meddev_job_id", "=", self.id)])
        )
        if not inspections:
            if self._meddev_inspection_expected():
                problems.append(self.env._("the returned lot has no inspection yet"))
            return problems
        problem = inspections._meddev_problem_for_job()
        if problem:
            problems.append(problem)
        return problems

    def _meddev_inspection_expected(self):
        self.ensure_one()
        plans = self.env["meddev.sampling.plan"]._meddev_find(
            self.product_id, self.partner_id.commercial_partner_id, self.company_id
        )
        return bool(plans)
