from odoo import api, models

from .meddev_capa import FISHBONE_FIELDS, WHY_FIELDS


def _capa_labels(env):
    """{key: label} of the CAPA report's headings and labels, in English
    (``env`` in English)."""
    return {
        "title": env._("CAPA Report"),
        "number": env._("CAPA No."),
        "subject": env._("Subject"),
        "status": env._("Status"),
        "type": env._("Type"),
        "source": env._("Source"),
        "owner": env._("Owner"),
        "due": env._("Due Date"),
        "product": env._("Product"),
        "supplier": env._("Supplier"),
        "defect_type": env._("Defect Type"),
        "problem": env._("Problem Statement"),
        "exceptions": env._("Exceptions"),
        "findings": env._("Supplier Audit Findings"),
        "root_cause": env._("Root Cause"),
        "method": env._("Method"),
        "category": env._("Root-Cause Category"),
        "statement": env._("Root Cause"),
        "why": env._("Why"),
        "actions": env._("Actions"),
        "action": env._("Action"),
        "action_owner": env._("Owner"),
        "action_due": env._("Due"),
        "action_done": env._("Done"),
        "action_note": env._("What Was Done"),
        "no_actions": env._("No action planned."),
        "extensions": env._("Due Date Extensions"),
        "extension_target": env._("Of"),
        "extension_from": env._("From"),
        "extension_to": env._("To"),
        "extension_reason": env._("Reason"),
        "extension_state": env._("Decision"),
        "effectiveness": env._("Effectiveness"),
        "criterion": env._("Criterion"),
        "check_date": env._("Check Due On"),
        "result": env._("Result"),
        "checked_by": env._("Checked By"),
        "seen": env._("What Was Seen"),
        "no_checks": env._("Not checked yet."),
        "recurrence": env._("Recurrence after Closure"),
        "cancel_reason": env._("Cancellation Reason"),
        "e_signatures": env._("Electronic Signatures"),
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
        # the selections' values the report prints
        "state_draft": env._("Draft"),
        "state_investigation": env._("Investigation"),
        "state_plan": env._("Plan Submitted"),
        "state_implementation": env._("Implementation"),
        "state_effectiveness": env._("Effectiveness Check"),
        "state_closed": env._("Closed"),
        "state_cancel": env._("Cancelled"),
        "state_requested": env._("Requested"),
        "state_approved": env._("Approved"),
        "state_rejected": env._("Rejected"),
        "capa_type_corrective": env._("Corrective"),
        "capa_type_preventive": env._("Preventive"),
        "source_manual": env._("Opened by Hand"),
        "source_nonconformance": env._("Exceptions"),
        "source_audit_finding": env._("Supplier Audit Findings"),
        "source_trend": env._("Trend Rule"),
        "source_scar": env._("SCAR"),
        "root_cause_method_five_why": env._("5 Why"),
        "root_cause_method_fishbone": env._("Fishbone (6M)"),
        "root_cause_category_man": env._("Man (People)"),
        "root_cause_category_machine": env._("Machine"),
        "root_cause_category_material": env._("Material"),
        "root_cause_category_method": env._("Method"),
        "root_cause_category_measurement": env._("Measurement"),
        "root_cause_category_environment": env._("Environment"),
        "result_effective": env._("Effective"),
        "result_not_effective": env._("Not Effective"),
        "why_1": env._("Why 1"),
        "why_2": env._("Why 2"),
        "why_3": env._("Why 3"),
        "why_4": env._("Why 4"),
        "why_5": env._("Why 5"),
        "cause_man": env._("Man (People)"),
        "cause_machine": env._("Machine"),
        "cause_material": env._("Material"),
        "cause_method": env._("Method"),
        "cause_measurement": env._("Measurement"),
        "cause_environment": env._("Environment"),
    }


class ReportMeddevCapa(models.AbstractModel):
    """The values of the CAPA report (纠正与预防措施报告), read access
    checked: bilingual labels and the selections' labels in both
    languages."""

    _name = "report.meddev_quality.report_meddev_capa"
    _inherit = ["meddev.report.mixin"]
    _description = "CAPA Report"
    _meddev_report_model = "meddev.capa"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        labels = self._capa_labels()
        values.update(
            labels=labels,
            choice=lambda record, field: labels.get(
                f"{field}_{record[field]}", ("", "")
            ),
            cause_rows=lambda capa: self._cause_rows(capa, labels),
        )
        return values

    @api.model
    def _capa_labels(self):
        return self._meddev_bilingual_labels(_capa_labels)

    @api.model
    def _cause_rows(self, capa, labels):
        """[((English, Chinese) label, answer)] of the analysis by its method:
        the five whys or the six categories."""
        if capa.root_cause_method == "five_why":
            names = WHY_FIELDS
        elif capa.root_cause_method == "fishbone":
            names = FISHBONE_FIELDS
        else:
            names = ()
        return [(labels[name], capa[name] or "") for name in names]
