from datetime import timedelta

from odoo import fields
from odoo.tests import tagged
from odoo.tools import SQL

from .escalation_case import MeddevEscalationCase


@tagged("post_install", "-at_install")
class TestQualityDashboard(MeddevEscalationCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Analysis = cls.env["meddev.quality.event.analysis"]
        # the exceptions made by the tests (not the demo's, where installed)
        cls.known_exception_ids = cls.env["meddev.nonconformance"].search([]).ids

    def ours(self):
        return [
            ("event_kind", "=", "exception"),
            ("nonconformance_id", "not in", self.known_exception_ids),
        ]

    def counts(self, groupby, domain=None, role="qa_manager"):
        groups = self.Analysis.with_user(self.users[role]).read_group(
            [("status", "=", "open"), *self.ours(), *(domain or [])],
            ["event_count:sum", "overdue_count:sum", "escalated_count:sum"],
            groupby,
            lazy=False,
        )
        return {
            tuple(
                g[name][0] if isinstance(g[name], tuple) else g[name]
                for name in groupby
            ): (g["event_count"], g["overdue_count"], g["escalated_count"])
            for g in groups
        }

    def past_deadlines(self, records):
        self.env.flush_all()
        self.env.cr.execute(
            SQL(
                "UPDATE meddev_nonconformance SET containment_deadline = %s "
                "WHERE id IN %s",
                fields.Datetime.now() - timedelta(hours=1),
                tuple(records.ids),
            )
        )
        records.invalidate_recordset()

    def test_open_by_grade_and_age(self):
        self.exceptions(2, "critical")
        major = self.exceptions(3, "major")
        minor = self.exceptions(4, "minor")
        self.age(major[:1], 10)
        self.age(minor[:2], 40)
        self.age(minor[2:3], 120)
        self.assertEqual(
            self.counts(["grade", "age_bucket"]),
            {
                ("critical", "0_7"): (2, 0, 0),
                ("major", "0_7"): (2, 0, 0),
                ("major", "8_30"): (1, 0, 0),
                ("minor", "0_7"): (1, 0, 0),
                ("minor", "31_90"): (2, 0, 0),
                ("minor", "91_plus"): (1, 0, 0),
            },
        )

    def test_overdue_and_escalated(self):
        records = self.exceptions(3, "critical")
        self.past_deadlines(records[:2])
        self.NC._meddev_escalate(now=self.later(records[0], 25))
        self.assertEqual(self.counts(["grade"]), {("critical",): (3, 2, 3)})
        # the two past their (moved) deadline by over 24 hours: level 2
        self.assertEqual(
            self.counts(["escalation_level"]), {(1,): (1, 0, 1), (2,): (2, 2, 2)}
        )
        self.assertEqual(
            self.Analysis.search_count([("overdue", "=", True), *self.ours()]), 2
        )

    def test_closed_and_cancelled_leave_the_open_counts(self):
        closed, cancelled, running = self.exceptions(3, "major")
        self.close(closed)
        self.cancel(cancelled)
        self.assertEqual(self.counts(["grade"]), {("major",): (1, 0, 0)})
        statuses = self.Analysis.read_group(
            [("nonconformance_id", "in", (closed | cancelled | running).ids)],
            ["event_count:sum"],
            ["status"],
            lazy=False,
        )
        self.assertEqual(
            {g["status"]: g["event_count"] for g in statuses},
            {"open": 1, "closed": 1, "cancel": 1},
        )

    def test_pareto_by_supplier_and_type(self):
        self.exceptions(1)
        for _index in range(3):
            self.exception("minor", partner_id=self.machining.id)
        self.exception("minor", partner_id=self.moulder.id, type_id=self.other_type.id)
        by_supplier = self.counts(["partner_id"])
        self.assertEqual(by_supplier[(self.machining.id,)][0], 3)
        self.assertEqual(by_supplier[(self.moulder.id,)][0], 1)
        by_type = self.counts(["type_id"])
        self.assertEqual(by_type[(self.nc_type.id,)][0], 4)
        graph = self.env.ref("meddev_quality.meddev_quality_event_analysis_view_graph")
        self.assertIn('order="desc"', graph.arch)

    def test_one_dashboard_action_for_managers(self):
        action = self.env.ref("meddev_quality.meddev_quality_event_analysis_action")
        self.assertEqual(action.res_model, "meddev.quality.event.analysis")
        self.assertIn("pivot", action.view_mode)
        self.assertIn("graph", action.view_mode)
        menu = self.env.ref("meddev_quality.menu_meddev_quality_dashboard")
        self.assertIn(
            self.env.ref("meddev_base.group_meddev_qa_manager"), menu.groups_id
        )

    def test_other_company_not_counted(self):
        other = self.env["res.company"].create({"name": "Other Medical Co."})
        self.exception("major")
        self.NC.create(
            {
                "type_id": self.nc_type.id,
                "description": "Elsewhere",
                "severity": "3",
                "occurrence": "3",
                "company_id": other.id,
            }
        )
        self.assertEqual(self.counts(["grade"]), {("major",): (1, 0, 0)})

    def test_capa_effectiveness_and_scar_on_time_rates(self):
        Capa = self.env["meddev.capa"]
        effective, failed, running = Capa.create(
            [{"title": f"CAPA {index}"} for index in range(3)]
        )
        Scar = self.env["meddev.scar"]
        on_time, late = Scar.create(
            [
                {
                    "partner_id": self.machining.id,
                    "problem_statement": f"Thread OD, lot {index}",
                    "date_due": fields.Date.today(),
                }
                for index in range(2)
            ]
        )
        self.env.flush_all()
        now = fields.Datetime.now()
        # test set-up by SQL: the results the signed steps would have written
        for capa, result in ((effective, "effective"), (failed, "not_effective")):
            self.env.cr.execute(
                SQL(
                    "UPDATE meddev_capa SET effectiveness_result = %s WHERE id = %s",
                    result,
                    capa.id,
                )
            )
        for scar, answered in ((on_time, now), (late, now + timedelta(days=3))):
            self.env.cr.execute(
                SQL(
                    "UPDATE meddev_scar SET state = 'answered', date_issued = %s, "
                    "date_answered = %s WHERE id = %s",
                    now - timedelta(days=5),
                    answered,
                    scar.id,
                )
            )
        rows = self.Analysis.search(
            [
                "|",
                "&",
                ("event_kind", "=", "capa"),
                ("name", "in", (effective | failed | running).mapped("name")),
                "&",
                ("event_kind", "=", "scar"),
                ("name", "in", (on_time | late).mapped("name")),
            ]
        )
        capas = rows.filtered(lambda row: row.event_kind == "capa")
        self.assertEqual(
            sorted(capas.mapped("effectiveness")), [0.0, 0.0, 100.0]
        )  # the running CAPA reads empty
        self.assertEqual(
            capas.filtered(lambda row: row.name == running.name).effectiveness, 0.0
        )
        rate = self.Analysis.read_group(
            [("id", "in", capas.ids)], ["effectiveness:avg"], [], lazy=False
        )[0]["effectiveness"]
        self.assertEqual(rate, 50.0)
        scars = rows.filtered(lambda row: row.event_kind == "scar")
        self.assertEqual(sorted(scars.mapped("on_time")), [0.0, 100.0])
        self.assertEqual(set(scars.mapped("status")), {"open"})
