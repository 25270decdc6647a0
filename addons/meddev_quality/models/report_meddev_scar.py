from odoo import api, models

from .meddev_scar import D_FIELDS


def _report_labels(env):
    """{key: label} of the 8D report's headings and labels, in English
    (``env`` in English)."""
    return {
        "title": env._("8D Report / Supplier Corrective Action Request"),
        "number": env._("SCAR No."),
        "status": env._("Status"),
        "supplier": env._("Supplier"),
        "product": env._("Product"),
        "exception": env._("Exception"),
        "capa": env._("CAPA Reference"),
        "issued": env._("Issued"),
        "due": env._("Response Due"),
        "answered": env._("Answered"),
        "reviewed": env._("Reviewed"),
        "on_time": env._("Answered on Time"),
        "returned": env._("Times Returned"),
        "return_reason": env._("Why Returned"),
        "problem": env._("Problem Statement"),
        "answer": env._("The Supplier's 8D Answer"),
        "d1_team": env._("D1 Team"),
        "d2_problem": env._("D2 Problem Description"),
        "d3_containment": env._("D3 Containment Actions"),
        "d4_root_cause": env._("D4 Root Cause"),
        "d5_corrective_actions": env._("D5 Corrective Actions"),
        "d6_verification": env._("D6 Implementation and Verification"),
        "d7_prevention": env._("D7 Prevention of Recurrence"),
        "d8_recognition": env._("D8 Team Recognition"),
        "not_answered": env._("Not answered yet."),
        "yes": env._("Yes"),
        "no": env._("No"),
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
        "state_draft": env._("Draft"),
        "state_issued": env._("Issued to Supplier"),
        "state_answered": env._("Answered"),
        "state_accepted": env._("Accepted"),
        "state_cancel": env._("Cancelled"),
    }


class ReportMeddevScar(models.AbstractModel):
    """The values of the 8D report of a SCAR, read access checked: its
    bilingual labels and the D1–D8 rows."""

    _name = "report.meddev_quality.report_meddev_scar"
    _inherit = ["meddev.report.mixin"]
    _description = "8D Report"
    _meddev_report_model = "meddev.scar"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        values.update(labels=self._report_labels(), d_rows=self._d_rows)
        return values

    @api.model
    def _report_labels(self):
        return self._meddev_bilingual_labels(_report_labels)

    @api.model
    def _d_rows(self, scar):
        """[(label key, answer)] of D1–D8."""
        return [(name, scar[name] or "") for name in D_FIELDS]
