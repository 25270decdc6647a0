from datetime import timedelta

from odoo import fields
from odoo.tools import SQL

from .common import PASSWORD, MeddevQualityCase

# severity × occurrence of each grade in the shipped matrix
GRADE_CELLS = {"critical": ("5", "5"), "major": ("3", "3"), "minor": ("1", "1")}


class MeddevEscalationCase(MeddevQualityCase):
    """An exception type without required facts, exceptions of each grade
    recorded by the QA engineer (the owner), and helpers to confirm, close,
    cancel, regrade them through their real steps and to move the clock."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.NC = cls.env["meddev.nonconformance"]
        cls.Escalation = cls.env["meddev.nonconformance.escalation"]
        cls.nc_type = cls.env["meddev.nonconformance.type"].create(
            {"name": "Escalation test deviation", "code": "esc_test"}
        )
        cls.other_type = cls.env["meddev.nonconformance.type"].create(
            {"name": "Escalation test label error", "code": "esc_label"}
        )
        cls.users["quality_director"].password = PASSWORD

    def exception(self, grade="major", role="qa_engineer", **vals):
        severity, occurrence = GRADE_CELLS[grade]
        values = {
            "type_id": self.nc_type.id,
            "description": "Deviation found",
            "severity": severity,
            "occurrence": occurrence,
            "user_id": self.users["qa_engineer"].id,
            **vals,
        }
        return (
            self.NC.with_user(self.users[role]).create(values).with_user(self.env.user)
        )

    def exceptions(self, count, grade="critical"):
        severity, occurrence = GRADE_CELLS[grade]
        return self.NC.create(
            [
                {
                    "type_id": self.nc_type.id,
                    "description": f"Deviation {index}",
                    "severity": severity,
                    "occurrence": occurrence,
                    "user_id": self.users["qa_engineer"].id,
                }
                for index in range(count)
            ]
        )

    def confirm(self, record, role="qa_engineer"):
        record.with_user(self.users[role]).action_confirm()

    def close(self, record):
        self.confirm(record)
        record.with_user(self.users["qa_engineer"]).write(
            {"capa_required": "no", "capa_rationale": "One-off, contained."}
        )
        record.with_user(self.users["qa_manager"])._meddev_sign("close", PASSWORD)

    def cancel(self, record):
        record.with_user(self.users["qa_manager"])._meddev_sign(
            "cancel", PASSWORD, comment="Recorded twice."
        )

    def regrade(self, record, grade):
        record.with_user(self.users["qa_engineer"]).proposed_grade = grade
        record.with_user(self.users["qa_engineer"])._meddev_sign(
            "regrade", PASSWORD, comment="Patient harm possible."
        )

    def later(self, record, hours):
        """The time ``hours`` after ``record``'s creation."""
        return record.create_date + timedelta(hours=hours)

    def age(self, records, days):
        """Move the recording of ``records`` ``days`` back (history set-up)."""
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE meddev_nonconformance SET create_date = %s WHERE id IN %s",
                fields.Datetime.now() - timedelta(days=days),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset()

    def activity_users(self, record, level):
        summary = f"Escalation {level}:"
        return record.activity_ids.filtered(
            lambda activity: activity.summary.startswith(summary)
        ).user_id
