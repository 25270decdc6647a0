from datetime import timedelta

from odoo.tests import new_test_user

from odoo.addons.meddev_supplier.tests.common import PASSWORD, MeddevSupplierCase

PORTAL_GROUPS = "base.group_portal,meddev_base.group_meddev_supplier_portal"
# new_test_user: the login is the password (long enough to sign with)
LOGIN = "test_md_scar_portal"
LOGIN_B = "test_md_scar_portal_b"
ANSWER = {
    "d1_team": "Zhou Lei (QA), Li Na (sterilization engineer)",
    "d2_problem": "EO concentration 410 mg/L in exposure, below 450 mg/L",
    "d3_containment": "Lot quarantined, chamber stopped",
    "d4_root_cause": "Vaporizer heater drift, calibration overdue",
    "d5_corrective_actions": "Heater replaced and calibrated",
    "d6_verification": "Three cycles within limits, BI negative",
    "d7_prevention": "Calibration added to the maintenance plan",
    "d8_recognition": "Team thanked",
}

__all__ = ["ANSWER", "LOGIN", "LOGIN_B", "PASSWORD", "MeddevScarCase"]


class MeddevScarCase(MeddevSupplierCase):
    """The EO sterilizer's portal user (supplier A) and the coater's
    (supplier B), a QA user per role with a password, and helpers to issue
    and answer SCARs."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Scar = cls.env["meddev.scar"]
        cls.Nc = cls.env["meddev.nonconformance"]
        cls.nc_type = cls.env.ref(
            "meddev_quality.nonconformance_type_process_deviation"
        )
        Partner = cls.env["res.partner"]
        cls.portal = new_test_user(
            cls.env,
            login=LOGIN,
            groups=PORTAL_GROUPS,
            partner_id=Partner.create(
                {"name": "Zhou Lei", "parent_id": cls.sterilizer.id}
            ).id,
        )
        cls.portal_b = new_test_user(
            cls.env,
            login=LOGIN_B,
            groups=PORTAL_GROUPS,
            partner_id=Partner.create(
                {"name": "Wang Fang", "parent_id": cls.coater.id}
            ).id,
        )
        for role in ("qc_inspector", "planner"):
            cls.users[role].password = PASSWORD

    def new_scar(self, partner=None, role="qa_engineer", **vals):
        return self.Scar.with_user(self.users[role]).create(
            {
                "partner_id": (partner or self.sterilizer).id,
                "problem_statement": "EO exposure below the validated "
                "concentration on lot EO-2611-003.",
                "date_due": self.today + timedelta(days=14),
                **vals,
            }
        )

    def issued_scar(self, partner=None, **vals):
        scar = self.new_scar(partner=partner, **vals)
        self.sign(scar, "issue", role="qa_engineer")
        return scar

    def answer(self, scar, user=None, password=LOGIN, values=None):
        user = user or self.portal
        scar.with_user(user).write(values or ANSWER)
        scar.with_user(user)._meddev_sign("answer", password)

    def answered_scar(self, **vals):
        scar = self.issued_scar(**vals)
        self.answer(scar)
        return scar
