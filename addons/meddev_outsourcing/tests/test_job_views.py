from odoo.tests import tagged

from odoo.addons.meddev_base.tests.common import ROLES

from .common import MeddevOutsourcingCase

JOB_VIEW_TYPES = ("list", "kanban", "form", "calendar", "pivot", "graph", "search")


@tagged("post_install", "-at_install")
class TestJobViews(MeddevOutsourcingCase):
    """The job's views and its smart buttons on the purchase order, the
    subcontract order, the lot and the supplier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # the QMS roles with the Odoo rights of their work: the planner plans
        # manufacturing, the buyer buys, the warehouse keeps the lots
        for role, group in (
            ("planner", "mrp.group_mrp_user"),
            ("buyer", "purchase.group_purchase_user"),
            ("warehouse", "stock.group_stock_user"),
        ):
            cls.users[role].groups_id |= cls.env.ref(group)
        cls.job = cls.confirm_po()
        cls.other_job = cls.confirm_po(qty=10)

    def test_job_views_load_as_planner(self):
        Job = self.Job.with_user(self.users["planner"])
        action = self.env.ref("meddev_outsourcing.meddev_outsourcing_job_action")
        self.assertEqual(
            set(action.view_mode.split(",")), set(JOB_VIEW_TYPES) - {"search"}
        )
        views = Job.get_views([(False, view_type) for view_type in JOB_VIEW_TYPES])
        self.assertEqual(set(views["views"]), set(JOB_VIEW_TYPES))
        self.assertIn("date_planned_return", views["views"]["calendar"]["arch"])
        self.assertIn("on_time_rate", views["views"]["pivot"]["arch"])
        self.assertIn("cycle_days", views["views"]["pivot"]["arch"])
        self.assertIn("on_time_rate", views["views"]["graph"]["arch"])

    def reader(self, model):
        """The first QMS role that reads ``model`` (the planner if it does)."""
        access = self.env["ir.model.access"]
        role = next(
            (
                role
                for role in ("planner", *ROLES)
                if access.with_user(self.users[role]).check(model, "read", False)
            ),
            None,
        )
        self.assertTrue(role, f"no QMS role reads {model}")
        return self.users[role]

    def form_arch(self, model):
        return (
            self.env[model]
            .with_user(self.reader(model))
            .get_views([(False, "form")])["views"]["form"]["arch"]
        )

    def test_smart_buttons_in_forms(self):
        for model in ("purchase.order", "mrp.production", "stock.lot", "res.partner"):
            with self.subTest(model=model):
                self.assertIn("meddev_job_count", self.form_arch(model))

    def test_pivot_aggregates_per_supplier_and_process(self):
        groups = self.Job.with_user(self.users["planner"])._read_group(
            [("id", "in", (self.job | self.other_job).ids)],
            ["partner_id", "scope_id"],
            ["__count", "cycle_days:avg", "on_time_rate:avg"],
        )
        self.assertEqual(groups, [(self.machining, self.scope_cnc, 2, 0.0, 0.0)])

    def test_counts_and_actions(self):
        order = self.job.purchase_id.with_user(self.reader("purchase.order"))
        self.assertEqual(order.meddev_job_count, 1)
        self.assertEqual(
            self.Job.search(order.action_view_meddev_jobs()["domain"]), self.job
        )
        production = self.job.production_id.with_user(self.reader("mrp.production"))
        self.assertEqual(production.meddev_job_count, 1)
        partner = self.machining.with_user(self.users["planner"])
        self.assertEqual(partner.meddev_job_count, 2)
        self.assertEqual(
            self.Job.search(partner.action_view_meddev_jobs()["domain"]),
            self.job | self.other_job,
        )

    def test_lot_counts_returned_and_sent(self):
        self.at_supplier(self.job)
        self.receive(self.job)
        returned = self.job.lot_id
        self.assertTrue(returned)
        sent = self.env["stock.lot"].create(
            {"name": "TI-BAR-7", "product_id": self.blank.id}
        )
        # the blank sent to the supplier in lot TI-BAR-7
        raw_move = self.other_job.production_id.move_raw_ids
        self.env["stock.move.line"].create(
            {
                "move_id": raw_move.id,
                "product_id": self.blank.id,
                "lot_id": sent.id,
                "quantity": 0,
                "location_id": raw_move.location_id.id,
                "location_dest_id": raw_move.location_dest_id.id,
            }
        )
        self.assertIn(sent, self.other_job.lot_sent_ids)
        lots = (returned | sent).with_user(self.reader("stock.lot"))
        self.assertEqual(lots.mapped("meddev_job_count"), [1, 1])
        self.assertEqual(
            self.Job.search(lots[1].action_view_meddev_jobs()["domain"]), self.other_job
        )
        self.assertEqual(
            self.Job.search(lots[0].action_view_meddev_jobs()["domain"]), self.job
        )
