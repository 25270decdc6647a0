from odoo import api, models


def _record_labels(env):
    """{key: label} of the exception record's headings and labels, in English
    (``env`` in English)."""
    return {
        "title": env._("Exception Record"),
        "number": env._("Exception No."),
        "status": env._("Status"),
        "type": env._("Type"),
        "source": env._("Source"),
        "grade": env._("Grade"),
        "grading": env._("Grading"),
        "severity_occurrence": env._("Severity × Occurrence"),
        "what": env._("What Happened"),
        "who": env._("Found By"),
        "when": env._("When"),
        "where": env._("Where"),
        "how": env._("How Found"),
        "product": env._("Product"),
        "lots": env._("Lots"),
        "quantity": env._("Quantity Affected"),
        "supplier": env._("Supplier"),
        "customer": env._("Customer"),
        "job": env._("Outsourcing Job"),
        "process": env._("Process Step"),
        "inspection": env._("Inspection"),
        "parameter": env._("Deviating Parameter"),
        "owner": env._("Owner"),
        "team": env._("Team"),
        "holds": env._("Holds (Containment)"),
        "lot": env._("Lot"),
        "qty_held": env._("Quantity Held"),
        "qty_pending": env._("To Disposition"),
        "qty_released": env._("Dispositioned"),
        "no_holds": env._("No lot held."),
        "dispositions": env._("Dispositions (MRB)"),
        "disposition": env._("Disposition"),
        "disposition_quantity": env._("Quantity"),
        "justification": env._("Justification"),
        "approved_by": env._("Approved by (QA Manager)"),
        "authorized_by": env._("Authorized by (Management Representative)"),
        "stock_reference": env._("Transfer / Scrap"),
        "no_dispositions": env._("No disposition decided."),
        "capa": env._("CAPA Decision"),
        "capa_required": env._("CAPA Required?"),
        "capa_rationale": env._("Rationale"),
        "capa_link": env._("Linked CAPA"),
        "root_cause_section": env._("Root Cause"),
        "category": env._("Root-Cause Category"),
        "root_cause": env._("Root Cause"),
        "closure": env._("Confirmation and Closure"),
        "confirmed": env._("Confirmed"),
        "closed": env._("Closed"),
        "cancel_reason": env._("Cancellation Reason"),
        "e_signatures": env._("Electronic Signatures"),
        "disposition_signatures": env._("Electronic Signatures of the Dispositions"),
        "meaning": env._("Meaning"),
        "signer": env._("Signed by"),
        "local_time": env._("Local Time"),
        "utc_time": env._("Date and Time (UTC)"),
        "comment": env._("Comment"),
        "no_signatures": env._("Not signed yet."),
        "meaning_authored": env._("Authored"),
        "meaning_reviewed": env._("Reviewed"),
        "meaning_approved": env._("Approved"),
        "meaning_released": env._("Released"),
        "meaning_rejected": env._("Rejected"),
        "meaning_revoked": env._("Revoked"),
        # the selections' values the record prints
        "state_new": env._("New"),
        "state_open": env._("Open"),
        "state_closed": env._("Closed"),
        "state_cancel": env._("Cancelled"),
        "source_manual": env._("Recorded by Hand"),
        "source_complaint": env._("Customer Complaint"),
        "source_inspection": env._("Rejected Inspection"),
        "source_process_record": env._("Process Record out of Limits"),
        "source_portal": env._("Supplier's Report"),
        "source_job": env._("Rejected Outsourced Lot"),
        "grade_critical": env._("Critical"),
        "grade_major": env._("Major"),
        "grade_minor": env._("Minor"),
        "severity_1": env._("1 Negligible"),
        "severity_2": env._("2 Minor"),
        "severity_3": env._("3 Serious"),
        "severity_4": env._("4 Critical"),
        "severity_5": env._("5 Catastrophic"),
        "occurrence_1": env._("1 Improbable"),
        "occurrence_2": env._("2 Remote"),
        "occurrence_3": env._("3 Occasional"),
        "occurrence_4": env._("4 Probable"),
        "occurrence_5": env._("5 Frequent"),
        "root_cause_category_man": env._("Man (People)"),
        "root_cause_category_machine": env._("Machine"),
        "root_cause_category_material": env._("Material"),
        "root_cause_category_method": env._("Method"),
        "root_cause_category_measurement": env._("Measurement"),
        "root_cause_category_environment": env._("Environment"),
        "capa_required_yes": env._("Yes"),
        "capa_required_no": env._("No"),
        "hold_state_held": env._("Held"),
        "hold_state_released": env._("Released"),
        "disposition_use_as_is": env._("Use as Is"),
        "disposition_concession": env._("Concession"),
        "disposition_rework": env._("Rework"),
        "disposition_scrap": env._("Scrap"),
        "disposition_return": env._("Return to Supplier"),
        "disposition_state_draft": env._("Proposed"),
        "disposition_state_approved": env._("Approved"),
        "disposition_state_done": env._("Done"),
        "disposition_state_cancel": env._("Cancelled"),
    }


class ReportMeddevNonconformance(models.AbstractModel):
    """The values of the exception record (异常记录), read access checked:
    its bilingual labels, the selections' values in both languages, the
    dispositions' stock references and their signatures."""

    _name = "report.meddev_quality.report_meddev_nonconformance"
    _inherit = ["meddev.report.mixin"]
    _description = "Exception Record"
    _meddev_report_model = "meddev.nonconformance"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        labels = self._record_labels()
        values.update(
            labels=labels,
            choice=lambda record, field, prefix=None: self._choice(
                labels, record, field, prefix
            ),
            stock_reference=self._stock_reference,
            disposition_signatures=self._disposition_signatures,
        )
        return values

    @api.model
    def _record_labels(self):
        return self._meddev_bilingual_labels(_record_labels)

    @api.model
    def _choice(self, labels, record, field, prefix=None):
        """The (English, Chinese) label of ``record``'s selection ``field``
        (keyed ``<prefix or field>_<value>``); empty when unset."""
        return labels.get(f"{prefix or field}_{record[field]}", ("", ""))

    @api.model
    def _stock_reference(self, disposition):
        """The transfers and scraps that carry out ``disposition``."""
        pickings = disposition.picking_id | disposition.move_ids.picking_id
        names = pickings.mapped("name") + disposition.scrap_ids.mapped("name")
        return ", ".join(names)

    @api.model
    def _disposition_signatures(self, nonconformance):
        """[(disposition, signature)] of the exception's dispositions, in the
        order they were signed."""
        rows = [
            (disposition, signature)
            for disposition in nonconformance.disposition_ids
            for signature in disposition.signature_ids
        ]
        return sorted(rows, key=lambda row: (row[1].signed_at, row[1].id))
