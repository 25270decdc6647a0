from datetime import timedelta

from odoo import Command, fields

from odoo.addons.meddev_base.tests.common import MeddevCase
from odoo.addons.meddev_supplier.tests.common import PASSWORD

SIGNERS = ("qc_inspector", "qa_engineer", "qa_manager", "quality_director", "planner")


class MeddevCapaCase(MeddevCase):
    """A supplier of machined bone screws, its product, and helpers that
    take a CAPA through its steps as the real roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role in SIGNERS:
            cls.users[role].password = PASSWORD
        cls.Capa = cls.env["meddev.capa"]
        cls.Nonconformance = cls.env["meddev.nonconformance"]
        cls.supplier = cls.env["res.partner"].create(
            {"name": "Suzhou Precision Machining", "is_company": True}
        )
        cls.other_supplier = cls.env["res.partner"].create(
            {"name": "Changzhou Coating Works", "is_company": True}
        )
        cls.product = cls.env["product.product"].create(
            {"name": "Bone screw Ti-6Al-4V 4.5 × 40 mm", "type": "consu"}
        )
        cls.lot_type = cls.env.ref("meddev_quality.nonconformance_type_material_lot")
        cls.today = fields.Date.context_today(cls.Capa)

    def exception(self, role="qc_inspector", days_ago=0, **vals):
        values = {
            "type_id": self.lot_type.id,
            "description": "Thread OD 4.58 mm, above 4.55 mm",
            "product_id": self.product.id,
            "partner_id": self.supplier.id,
            "occurred_on": fields.Datetime.now() - timedelta(days=days_ago),
            **vals,
        }
        return self.Nonconformance.with_user(self.users[role]).create(values)

    def capa(self, role="qa_engineer", **vals):
        values = {
            "title": "Thread OD out of tolerance at the CNC supplier",
            "nc_type_id": self.lot_type.id,
            "product_id": self.product.id,
            "partner_id": self.supplier.id,
            **vals,
        }
        return self.Capa.with_user(self.users[role]).create(values)

    def sign(self, record, action, role, comment=None):
        return record.with_user(self.users[role])._meddev_sign(
            action, PASSWORD, comment=comment
        )

    def five_why(self, capa, role="qa_engineer"):
        capa.with_user(self.users[role]).write(
            {
                "root_cause_method": "five_why",
                "why_1": "OD above the limit: the tool wore during the lot.",
                "why_2": "Wear not compensated: no in-process OD check.",
                "why_3": "Control plan samples only the first piece.",
                "why_4": "Control plan not reviewed after the rate increase.",
                "why_5": "No trigger to review control plans on rate changes.",
                "root_cause_category": "method",
                "root_cause": "Control plan lacks in-process OD checks.",
            }
        )

    def plan(self, capa, owner="planner", role="qa_engineer"):
        capa = capa.with_user(self.users[role])
        capa.write(
            {
                "effectiveness_criterion": "No OD nonconformance in 10 lots.",
                "effectiveness_date": self.today,
                "action_ids": [
                    Command.create(
                        {
                            "name": "Add an OD check every 50 pieces",
                            "user_id": self.users[owner].id,
                            "date_due": self.today,
                        }
                    )
                ],
            }
        )

    def in_implementation(self, **vals):
        capa = self.capa(**vals)
        capa.with_user(self.users["qa_engineer"]).action_start()
        self.five_why(capa)
        self.plan(capa)
        capa.with_user(self.users["qa_engineer"]).action_submit_plan()
        self.sign(capa, "approve_plan", "qa_manager")
        return capa

    def in_effectiveness(self, **vals):
        capa = self.in_implementation(**vals)
        self.mark_done(capa.action_ids)
        self.sign(capa, "complete_implementation", "qa_engineer")
        return capa

    def mark_done(self, actions, role="planner"):
        actions = actions.with_user(self.users[role])
        actions.write({"completion_note": "OD check added to the control plan."})
        actions.action_done()
