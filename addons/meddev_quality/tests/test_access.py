from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MeddevQualityCase


@tagged("post_install", "-at_install")
class TestAccess(MeddevQualityCase):
    """Who may read and change the plans, the severity, the defects and the
    tables, each role proven as itself."""

    def test_sampling_plans(self):
        for role in ("auditor", "qc_inspector", "warehouse", "buyer"):
            plan = self.plan.with_user(self.users[role])
            self.assertTrue(plan.name)
            with self.assertRaises(AccessError, msg=role):
                plan.aql_major = "4.0"
            with self.assertRaises(AccessError, msg=role):
                self.Plan.with_user(self.users[role]).create(
                    {"name": "x", "product_id": self.barrel.id}
                )
        self.plan.with_user(self.users["qa_engineer"]).aql_major = "1.0"
        self.assertEqual(self.plan.aql_major, "1.0")
        with self.assertRaises(AccessError):
            self.plan.with_user(self.users["qa_manager"]).unlink()

    def test_defects_and_answers(self):
        picking = self.purchase_receipt({"BRL-ACC-01": 100})
        inspection = self.inspections_of(picking)
        for role in ("warehouse", "buyer", "auditor", "planner"):
            with self.assertRaises(AccessError, msg=role):
                self.defect(inspection, "major", role=role)
            with self.assertRaises(AccessError, msg=role):
                inspection.inspection_lines[:1].with_user(
                    self.users[role]
                ).quantitative_value = 4.5
        self.defect(inspection, "minor", role="qc_inspector")
        self.assertEqual(inspection.defects_minor, 1)
        self.assertTrue(inspection.with_user(self.users["auditor"]).defect_ids)
        portal = self.env["res.users"].create(
            {
                "name": "Moulder portal",
                "login": "moulder_portal",
                "partner_id": self.moulder.id,
                "groups_id": [(6, 0, [self.env.ref("base.group_portal").id])],
            }
        )
        with self.assertRaises(AccessError):
            inspection.with_user(portal).read(["name"])

    def test_severity(self):
        picking = self.purchase_receipt({"BRL-ACC-02": 100})
        self.inspections_of(picking)
        switch = self.env["meddev.sampling.switch"].search(
            [("partner_id", "=", self.moulder.id)]
        )
        self.assertTrue(switch.with_user(self.users["auditor"]).name)
        for role in ("qc_inspector", "qa_engineer", "warehouse"):
            with self.assertRaises(UserError, msg=role):
                switch.with_user(self.users[role]).write({"switching_score": 30})
        with self.assertRaises(AccessError):
            self.env["meddev.sampling.switch.event"].with_user(
                self.users["qa_manager"]
            ).create(
                {
                    "switch_id": switch.id,
                    "severity_from": "normal",
                    "severity_to": "reduced",
                    "reason": "forged",
                }
            )
