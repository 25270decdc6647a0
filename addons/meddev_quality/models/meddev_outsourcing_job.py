from odoo import fields, models


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

    # ------------------------------------------------------------------
    # exceptions
    # ------------------------------------------------------------------
    def _meddev_on_deviation(self):
        """A process record out of limits opens the job's exception."""
        result = super()._meddev_on_deviation()
        self.filtered("deviating")._meddev_open_exceptions(
            "process_record", "meddev_quality.nonconformance_type_process_deviation"
        )
        return result

    def _meddev_on_rejected(self):
        """A rejected lot (not already the subject of its inspection's
        exception) opens the job's exception."""
        result = super()._meddev_on_rejected()
        self._meddev_open_exceptions(
            "job", "meddev_quality.nonconformance_type_material_lot"
        )
        return result

    def _meddev_open_exceptions(self, source, type_xmlid):
        # the exceptions open for the jobs, whatever the signer may read
        Exception_ = self.env["meddev.nonconformance"].sudo()
        open_ = Exception_.search(
            [("job_id", "in", self.ids), ("state", "in", ("new", "open"))]
        )
        jobs = self - open_.job_id
        if jobs:
            type_ = self.env.ref(type_xmlid)
            Exception_.create(
                [job._meddev_exception_values(source, type_) for job in jobs]
            )

    def _meddev_exceptions_take_lot(self):
        """The returned lot joins the open exceptions of its job (a process
        record out of limits is submitted before the goods come back)."""
        # the server contains the lot for whoever validated the receipt
        exceptions = (
            self.env["meddev.nonconformance"]
            .sudo()
            .search([("job_id", "in", self.ids), ("state", "in", ("new", "open"))])
        )
        for exception in exceptions:
            lots = exception.job_id.receipt_move_id.move_line_ids.lot_id
            if lots - exception.lot_ids:
                exception.lot_ids |= lots

    def _meddev_exception_values(self, source, type_):
        self.ensure_one()
        deviating = self.record_ids.filtered(lambda r: r.has_value and not r.in_limits)
        return {
            "type_id": type_.id,
            "source": source,
            "company_id": self.company_id.id,
            "description": self.deviation_summary
            or self.env._("The lot of %(job)s was rejected.", job=self.name),
            "location": self.env._(
                "%(process)s at %(supplier)s",
                process=self.scope_id.name,
                supplier=self.partner_id.name,
            ),
            "how_detected": self.env._("Outsourcing job %(job)s", job=self.name),
            "product_id": self.product_id.id,
            "lot_ids": [fields.Command.set(self.lot_id.ids)],
            "quantity": self.qty_returned or self.product_qty,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "job_id": self.id,
            "parameter": ", ".join(deviating.mapped("name")) or False,
        }

    def _holds(self, line):
        # a rejected job's lot leaves quarantine by its exception's signed
        # dispositions (checked by the exception's hold)
        if self.state == "rejected" and line.move_id.meddev_disposition_id:
            return False
        return super()._holds(line)
