from odoo import api, models
from odoo.exceptions import UserError

from .meddev_aql_code_letter import INSPECTION_LEVELS
from .meddev_sampling_plan import DEFECT_CLASSES


def _record_labels(env):
    """{key: label} of the inspection record's headings and labels, in English
    (``env`` in English)."""
    return {
        "title": env._("Inspection Record"),
        "number": env._("Inspection No."),
        "status": env._("Status"),
        "supplier": env._("Supplier"),
        "product": env._("Product"),
        "lot": env._("Lot"),
        "quantity": env._("Quantity Received"),
        "receipt": env._("Receipt"),
        "purchase": env._("Purchase Order"),
        "job": env._("Outsourcing Job"),
        "held_in": env._("Held In"),
        "dates": env._("Dates"),
        "date_received": env._("Received"),
        "date_inspected": env._("Inspected"),
        "date_reviewed": env._("Reviewed"),
        "plan": env._("Sampling Plan (GB/T 2828.1)"),
        "plan_name": env._("Plan"),
        "test": env._("Test"),
        "level": env._("Inspection Level"),
        "severity": env._("Severity"),
        "code_letter": env._("Code Letter"),
        "lot_size": env._("Lot Size"),
        "sample_size": env._("Sample Size"),
        "full_inspection": env._("100 % Inspection"),
        "review_required": env._("Second-Person Review"),
        "discontinued": env._(
            "Acceptance of this supplier's lots of the product is discontinued "
            "(GB/T 2828.1 §9.4)."
        ),
        "classes": env._("Acceptance per Defect Class"),
        "class": env._("Defect Class"),
        "aql": env._("AQL"),
        "aql_none": env._("0 (none accepted)"),
        "n": env._("n"),
        "ac": env._("Ac"),
        "re": env._("Re"),
        "found": env._("Defective Found"),
        "class_result": env._("Result"),
        "class_accept": env._("Accept"),
        "class_reject": env._("Reject"),
        "questions": env._("Questions"),
        "question": env._("Question"),
        "limits": env._("Limits"),
        "value": env._("Value"),
        "result": env._("Result"),
        "ok": env._("OK"),
        "not_ok": env._("NOT OK"),
        "not_answered": env._("Not answered"),
        "no_questions": env._("No question in the test."),
        "defects": env._("Defects"),
        "defect": env._("Defect"),
        "defective_units": env._("Defective Units"),
        "no_defects": env._("No defect recorded."),
        "decision": env._("Decision"),
        "why": env._("Why"),
        "accept": env._("Accept"),
        "reject": env._("Reject"),
        "all_within": env._("Every defect class is below its rejection number (Re)."),
        "cancel_reason": env._("Cancellation Reason"),
        "reinspection_of": env._("Re-inspection of"),
        "reinspections": env._("Re-inspections"),
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
        "state_todo": env._("To Inspect"),
        "state_recorded": env._("Awaiting Review"),
        "state_accepted": env._("Accepted"),
        "state_rejected": env._("Rejected, Awaiting Disposition"),
        "state_cancel": env._("Cancelled"),
        "class_critical": env._("Critical"),
        "class_major": env._("Major"),
        "class_minor": env._("Minor"),
        "severity_normal": env._("Normal"),
        "severity_tightened": env._("Tightened"),
        "severity_reduced": env._("Reduced"),
        "severity_discontinued": env._("Discontinued"),
    }


class ReportMeddevQcInspection(models.AbstractModel):
    """The values of the inspection record (检验记录), read access checked:
    its bilingual labels, the plan per defect class, the questions with their
    results and the reasons of the decision."""

    _name = "report.meddev_quality.report_meddev_qc_inspection"
    _inherit = ["meddev.report.mixin"]
    _description = "Inspection Record"
    _meddev_report_model = "qc.inspection"

    @api.model
    def _get_report_values(self, docids, data=None):
        values = super()._get_report_values(docids, data=data)
        inspections = values["docs"]
        unplanned = inspections.filtered(lambda i: not i.meddev_plan_id)
        if unplanned:
            raise UserError(
                self.env._(
                    "%(inspections)s has no sampling plan: the inspection record "
                    "prints the lot inspections of a sampling plan.",
                    inspections=", ".join(unplanned.mapped("name")),
                )
            )
        values.update(
            labels=self._record_labels(),
            class_rows=self._class_rows,
            question_rows=self._question_rows,
            reject_rows=self._reject_rows,
            level_label=self._level_label,
        )
        return values

    @api.model
    def _record_labels(self):
        return self._meddev_bilingual_labels(_record_labels)

    @api.model
    def _level_label(self, inspection):
        """The inspection level as GB/T 2828.1 names it (S-1 … III)."""
        return dict(INSPECTION_LEVELS).get(inspection.inspection_level, "")

    @api.model
    def _class_rows(self, inspection):
        """[(class code, AQL or '' where none is accepted, code letter, n, Ac,
        Re, defective found, rejected)] of the three defect classes."""
        rows = []
        for code, _label in DEFECT_CLASSES:
            found = inspection[f"defects_{code}"]
            aql = inspection[f"aql_{code}"]
            rows.append(
                (
                    code,
                    "" if aql == "0" else aql or "",
                    inspection[f"letter_{code}"] or "",
                    inspection[f"n_{code}"],
                    inspection[f"ac_{code}"],
                    inspection[f"re_{code}"],
                    found,
                    found >= inspection[f"re_{code}"],
                )
            )
        return rows

    @api.model
    def _reject_rows(self, inspection):
        """The class rows whose defectives reach the rejection number."""
        return [row for row in self._class_rows(inspection) if row[7]]

    @api.model
    def _question_rows(self, inspection):
        """[(line, limits, value, result key, defect class code)] of the
        inspection's questions, the result key one of ok, not_ok,
        not_answered."""
        rows = []
        for line in inspection.inspection_lines.sorted(
            lambda line: (line.test_line.sequence, line.id)
        ):
            if line.question_type == "qualitative":
                limits = ", ".join(
                    line.possible_ql_values.filtered("ok").mapped("name")
                )
                value = line.qualitative_value.name or ""
            else:
                unit = line.test_uom_id.name or ""
                limits = f"{line.min_value:g} – {line.max_value:g} {unit}".strip()
                value = (
                    f"{line.quantitative_value:g} {line.uom_id.name or ''}".strip()
                    if line._meddev_answered()
                    else ""
                )
            if not line._meddev_answered():
                result = "not_answered"
            else:
                result = "ok" if line.success else "not_ok"
            rows.append(
                (line, limits, value, result, line.test_line.meddev_defect_class or "")
            )
        return rows
