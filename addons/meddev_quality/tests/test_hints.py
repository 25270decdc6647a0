from odoo.tests import tagged
from odoo.tools import SQL

from .escalation_case import MeddevEscalationCase


@tagged("post_install", "-at_install")
class TestRootCauseHints(MeddevEscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.other_product = cls.env["product.product"].create({"name": "Bone plate"})

    def past(self, cause, state="closed", process=None, company=None, **vals):
        """A past exception with its root cause (history set-up by SQL)."""
        values = {
            "type_id": self.nc_type.id,
            "description": "Past deviation",
            "severity": "3",
            "occurrence": "3",
            "user_id": self.users["qa_engineer"].id,
            **vals,
        }
        if company:
            values["company_id"] = company.id
        record = self.NC.create(values)
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE meddev_nonconformance SET state = %s, "
                "root_cause_category = %s, process_id = %s, closed_on = now() "
                "WHERE id = %s",
                state,
                cause,
                process and process.id,
                record.id,
            )
        )
        record.invalidate_recordset()
        return record

    def new_exception(self, **vals):
        return self.exception(
            "major",
            partner_id=self.machining.id,
            product_id=self.screw.id,
            parameter="Thread OD",
            **vals,
        )

    def test_no_history_yet(self):
        record = self.new_exception()
        self.assertEqual(record._meddev_root_cause_hints(), [])
        self.assertIn("No history yet", record.root_cause_hints)

    def test_ranking_from_closed_history(self):
        machine = [
            self.past(
                "machine",
                partner_id=self.machining.id,
                product_id=self.screw.id,
                process=self.scope_cnc,
            )
            for _index in range(3)
        ]
        method = self.past(
            "method", partner_id=self.moulder.id, parameter="  thread od "
        )
        # no match: another supplier, product and type
        self.past(
            "material",
            type_id=self.other_type.id,
            partner_id=self.moulder.id,
            product_id=self.other_product.id,
        )
        # not history yet: open or cancelled
        self.past("man", state="open", partner_id=self.machining.id)
        self.past("man", state="cancel", partner_id=self.machining.id)
        record = self.new_exception()
        hints = record._meddev_root_cause_hints()
        self.assertEqual([h["category"] for h in hints], ["machine", "method"])
        top = hints[0]
        # supplier 3 + product 3 + type 1, three times
        self.assertEqual(top["score"], 21)
        self.assertEqual(top["records"], 3)
        self.assertEqual(
            top["matches"],
            {
                "partner_id": 3,
                "product_id": 3,
                "process_id": 0,
                "parameter": 0,
                "type_id": 3,
            },
        )
        self.assertEqual(sorted(top["names"]), sorted(r.name for r in machine))
        # parameter 2 (case and spaces ignored) + type 1
        self.assertEqual(hints[1]["score"], 3)
        self.assertEqual(hints[1]["names"], [method.name])
        self.assertEqual(top["share"], 88)
        html = str(record.root_cause_hints)
        self.assertIn("Machine", html)
        self.assertIn(machine[0].name, html)
        self.assertNotIn("No history yet", html)

    def test_process_step_counts(self):
        self.past("environment", type_id=self.other_type.id, process=self.scope_eo)
        record = self.new_exception()
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE meddev_nonconformance SET process_id = %s WHERE id = %s",
                self.scope_eo.id,
                record.id,
            )
        )
        record.invalidate_recordset()
        (hint,) = record._meddev_root_cause_hints()
        self.assertEqual((hint["category"], hint["score"]), ("environment", 2))
        self.assertEqual(hint["matches"]["process_id"], 1)

    def test_other_company_history_ignored(self):
        other = self.env["res.company"].create({"name": "Other Medical Co."})
        self.past("machine", company=other, partner_id=self.machining.id, process=None)
        self.assertEqual(self.new_exception()._meddev_root_cause_hints(), [])

    def test_one_grouped_query(self):
        for _index in range(5):
            self.past("machine", partner_id=self.machining.id)
        record = self.new_exception()
        self.env.flush_all()
        with self.assertQueryCount(1):
            hints = record._meddev_root_cause_hints()
        self.assertEqual(hints[0]["records"], 5)

    def test_hints_shown_to_the_reporter(self):
        self.past("machine", partner_id=self.machining.id)
        record = self.new_exception().with_user(self.users["qc_inspector"])
        self.assertIn("Machine", str(record.root_cause_hints))
        views = record.get_views([(False, "form")])
        arch = views["views"]["form"]["arch"]
        self.assertIn('name="root_cause_hints"', arch)
        self.assertIn('name="escalation_ids"', arch)
        self.assertIn('name="closure_deadline"', arch)
