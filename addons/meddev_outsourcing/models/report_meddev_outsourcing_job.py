from odoo import api, models


def _traveler_labels(env):
    """{key: label} of the job traveler's headings and labels, in English
    (``env`` in English)."""
    return {
        "title": env._("Outsourcing Job Traveler"),
        "reference": env._("Job Reference"),
        "status": env._("Status"),
        "supplier": env._("Supplier"),
        "process": env._("Process"),
        "product": env._("Product"),
        "quantity": env._("Quantity"),
        "purchase": env._("Purchase Order"),
        "production": env._("Subcontract Order"),
        "lots_sent": env._("Lots Sent"),
        "lot_returned": env._("Lot Returned"),
        "qty_returned": env._("Quantity Returned"),
        "spec": env._("Process Specification"),
        "version": env._("Version"),
        "effective_date": env._("Effective Date"),
        "parameters": env._("Parameters and Process Record"),
        "step": env._("Step"),
        "parameter": env._("Parameter"),
        "limits": env._("Limits"),
        "value": env._("Recorded Value"),
        "result": env._("Result"),
        "in_limits": env._("In limits"),
        "out_of_limits": env._("OUT OF LIMITS"),
        "not_recorded": env._("Not recorded"),
        "record_submitted": env._("Process record submitted by"),
        "deviating": env._("The process record is out of the specification's limits."),
        "documents": env._("Required Records"),
        "record": env._("Record"),
        "kind": env._("Kind"),
        "required": env._("Required"),
        "attached": env._("Attached"),
        "yes": env._("Yes"),
        "no": env._("No"),
        "first_article": env._("First Article"),
        "fa_reason": env._("Reason"),
        "fa_decision": env._("Decision"),
        "fa_new_spec_version": env._("New specification version"),
        "fa_new_supplier": env._("New supplier for the process"),
        "fa_change_notice": env._("Supplier change notice"),
        "fa_manual": env._("Decided by QA"),
        "fa_pending": env._("Pending"),
        "fa_accepted": env._("Accepted"),
        "fa_rejected": env._("Rejected"),
        "dates": env._("Dates"),
        "date_planned_return": env._("Planned Return"),
        "date_sent": env._("Released to Supplier"),
        "date_acknowledged": env._("Acknowledged"),
        "date_returned": env._("Returned"),
        "date_released": env._("Released"),
        "state_draft": env._("Draft"),
        "state_sent": env._("Released to Supplier"),
        "state_acknowledged": env._("Acknowledged"),
        "state_in_process": env._("In Process"),
        "state_returned": env._("Returned"),
        "state_released": env._("Released"),
        "state_rejected": env._("Rejected"),
        "state_closed": env._("Closed"),
        "state_cancel": env._("Cancelled"),
        "e_signatures": env._("Electronic Signatures"),
        "meaning": env._("Meaning"),
        "signer": env._("Signed by"),
        "local_time": env._("Local Time"),
        "utc_time": env._("Date and Time (UTC)"),
        "comment": env._("Comment"),
        "meaning_authored": env._("Authored"),
        "meaning_reviewed": env._("Reviewed"),
        "meaning_approved": env._("Approved"),
        "meaning_released": env._("Released"),
        "meaning_rejected": env._("Rejected"),
        "meaning_revoked": env._("Revoked"),
    }


class ReportMeddevOutsourcingJob(models.AbstractModel):
    """The values of the outsourcing job traveler (流转单), read access
    checked: its bilingual labels and the process record against the
    specification's limits."""

    _name = "report.meddev_outsourcing.report_meddev_outsourcing_job"
    _inherit = ["meddev.report.mixin"]
    _description = "Outsourcing Job Traveler"
    _meddev_report_model = "meddev.outsourcing.job"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values.update(
            labels=self._traveler_labels(),
            parameter_rows=self._parameter_rows,
            document_rows=self._document_rows,
        )
        return values

    @api.model
    def _traveler_labels(self):
        return self._meddev_bilingual_labels(_traveler_labels)

    @api.model
    def _parameter_rows(self, job):
        """[(parameter, record value or '', result key)] of the job's
        specification, the result key one of in_limits, out_of_limits,
        not_recorded."""
        by_parameter = {record.parameter_id: record for record in job.record_ids}
        rows = []
        for parameter in job.spec_id.parameter_ids.sorted(lambda p: (p.sequence, p.id)):
            record = by_parameter.get(parameter)
            if not record or not record.has_value:
                rows.append((parameter, "", "not_recorded"))
                continue
            result = "in_limits" if record.in_limits else "out_of_limits"
            rows.append((parameter, record.value_display, result))
        return rows

    @api.model
    def _document_rows(self, job):
        """[(required record of the specification, attached)]."""
        attached = set(job.document_ids.filtered("attachment_id").mapped("code"))
        return [
            (document, document.code in attached)
            for document in job.spec_id.document_ids.sorted(
                lambda d: (d.sequence, d.id)
            )
        ]
