from datetime import date, datetime

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged

from .common import MeddevSupplierCase

SUMMARY = "For-cause evaluation required"


@tagged("post_install", "-at_install")
class TestSupplierScorecard(MeddevSupplierCase):
    """Scorecards computed from a receipt history: two receipts in March 2025
    (100 on time, 50 late), 10 of the first returned to the supplier."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product = cls.env["product.product"].create(
            {
                "name": "Ti-6Al-4V ELI bar 6 mm",
                "type": "consu",
                "is_storable": True,
            }
        )
        cls.qualification = cls.qualified(cls.machining, cls.scope_cnc)
        cls.suspended = cls.qualified(cls.machining, cls.scope_coating, "suspended")
        # on time: scheduled and done the same day, done later that day
        cls.on_time = cls.receive(
            cls.machining, 100, datetime(2025, 3, 10, 8), datetime(2025, 3, 10, 15)
        )
        # late: done two days after the scheduled day
        cls.late = cls.receive(
            cls.machining, 50, datetime(2025, 3, 12, 8), datetime(2025, 3, 14, 9)
        )
        # another supplier's receipt and a receipt outside the period
        cls.receive(
            cls.sterilizer, 30, datetime(2025, 3, 5, 8), datetime(2025, 3, 5, 9)
        )
        cls.receive(cls.machining, 70, datetime(2025, 4, 2, 8), datetime(2025, 4, 9, 9))
        cls.return_to_supplier(cls.on_time, 10)

    @classmethod
    def receive(cls, partner, qty, scheduled, done):
        order = cls.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": qty,
                            "price_unit": 12.5,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        picking.scheduled_date = scheduled
        picking.move_ids.quantity = qty
        picking.button_validate()
        picking.date_done = done
        return picking

    @classmethod
    def return_to_supplier(cls, picking, qty):
        wizard = (
            cls.env["stock.return.picking"]
            .with_context(active_id=picking.id, active_model="stock.picking")
            .create({})
        )
        wizard.product_return_moves.quantity = qty
        action = wizard.action_create_returns()
        returned = cls.env["stock.picking"].browse(action["res_id"])
        returned.move_ids.quantity = qty
        returned.button_validate()
        return returned

    def scorecard(self, partner=None, user="qa_engineer"):
        return (
            self.env["meddev.supplier.scorecard"]
            .with_user(self.users[user])
            .create(
                {
                    "partner_id": (partner or self.machining).id,
                    "date_from": date(2025, 3, 1),
                    "date_to": date(2025, 3, 31),
                }
            )
        )

    def for_cause_activities(self, records):
        return self.env["mail.activity"].search(
            [
                ("res_model", "=", records._name),
                ("res_id", "in", records.ids),
                ("summary", "=", SUMMARY),
            ]
        )

    def test_figures(self):
        self.assertEqual(self.on_time.return_ids.state, "done")
        scorecard = self.scorecard()
        scorecard.action_compute()
        self.assertEqual(scorecard.received_qty, 150)
        self.assertEqual(scorecard.returned_qty, 10)
        self.assertEqual(scorecard.accepted_qty, 140)
        self.assertAlmostEqual(scorecard.quality_pct, 93.33)
        self.assertEqual(scorecard.receipts_count, 2)
        self.assertEqual(scorecard.on_time_count, 1)
        self.assertAlmostEqual(scorecard.delivery_pct, 50.0)
        # 0.6 x 93.333 + 0.4 x 50
        self.assertAlmostEqual(scorecard.score, 76.0)
        self.assertTrue(scorecard.below_threshold)
        self.assertTrue(scorecard.computed_at)

    def test_weights_and_thresholds_from_parameters(self):
        params = self.env["ir.config_parameter"]
        params.set_param("meddev_supplier.scorecard_weight_quality", "0.5")
        params.set_param("meddev_supplier.scorecard_weight_delivery", "0.5")
        params.set_param("meddev_supplier.scorecard_min_quality", "90")
        params.set_param("meddev_supplier.scorecard_min_delivery", "50")
        scorecard = self.scorecard()
        scorecard.action_compute()
        self.assertAlmostEqual(scorecard.score, 71.67)
        self.assertFalse(scorecard.below_threshold)
        self.assertFalse(self.qualification.current_evaluation_id)

    def test_below_threshold_proposes_a_for_cause_evaluation(self):
        """The scorecard proposes the evaluation (to-dos); a person starts it
        through the stage permission matrix."""
        scorecard = self.scorecard()
        scorecard.action_compute()
        self.assertTrue(scorecard.below_threshold)
        self.assertFalse(self.qualification.current_evaluation_id, "not started")
        activities = self.for_cause_activities(self.qualification)
        manager = self.users["qa_manager"]
        self.assertIn(manager, activities.user_id)
        self.assertNotIn(self.users["qa_engineer"], activities.user_id)
        note = activities.filtered(lambda a: a.user_id == manager).note
        self.assertIn("93.33", note)
        self.assertIn("50.00", note)
        self.assertIn(scorecard.name, note)
        # a suspended qualification is not proposed
        self.assertFalse(self.for_cause_activities(self.suspended))
        # computing again proposes nothing more
        scorecard.action_compute()
        self.assertEqual(self.for_cause_activities(self.qualification), activities)
        # starting it is an action of the matrix: refused to the buyer...
        with self.assertRaises(AccessError):
            self.qualification.with_user(self.users["buyer"]).with_context(
                meddev_evaluation_type="for_cause"
            ).action_start_evaluation()
        self.assertFalse(self.qualification.current_evaluation_id)
        # ...done by the QA manager who got the to-do, and logged
        self.qualification.with_user(manager).with_context(
            meddev_evaluation_type="for_cause"
        ).action_start_evaluation()
        evaluation = self.qualification.current_evaluation_id
        self.assertEqual(evaluation.evaluation_type, "for_cause")
        self.assertEqual(self.qualification.state, "qualified", "stays approved")
        log = self.qualification.sudo().meddev_action_log_ids
        self.assertEqual(log.mapped("action"), ["start_evaluation"])
        self.assertEqual(log.user_id, manager)

    def test_other_supplier_above_threshold(self):
        scorecard = self.scorecard(self.sterilizer)
        scorecard.action_compute()
        self.assertEqual(scorecard.received_qty, 30)
        self.assertEqual(scorecard.quality_pct, 100)
        self.assertEqual(scorecard.delivery_pct, 100)
        self.assertEqual(scorecard.score, 100)
        self.assertFalse(scorecard.below_threshold)

    def test_monthly_cron(self):
        Scorecard = self.env["meddev.supplier.scorecard"]
        scorecards = Scorecard._cron_compute_previous_month(today=date(2025, 4, 15))
        self.assertEqual(scorecards.partner_id, self.machining | self.sterilizer)
        machining = scorecards.filtered(lambda s: s.partner_id == self.machining)
        self.assertEqual(
            (machining.date_from, machining.date_to),
            (date(2025, 3, 1), date(2025, 3, 31)),
        )
        self.assertAlmostEqual(machining.score, 76.0)
        # run again: the same scorecards, computed again
        again = Scorecard._cron_compute_previous_month(today=date(2025, 4, 15))
        self.assertEqual(again, scorecards)

    def test_figures_are_computed_only(self):
        scorecard = self.scorecard()
        with self.raises(UserError, "Compute"):
            scorecard.write({"score": 100})
        with self.raises(UserError, "Compute"):
            self.env["meddev.supplier.scorecard"].with_user(
                self.users["qa_engineer"]
            ).create(
                {
                    "partner_id": self.coater.id,
                    "date_from": date(2025, 3, 1),
                    "date_to": date(2025, 3, 31),
                    "quality_pct": 100,
                }
            )
        # another period: the figures are cleared until computed again
        scorecard.action_compute()
        scorecard.date_to = date(2025, 3, 15)
        self.assertFalse(scorecard.computed_at)
        self.assertEqual(scorecard.received_qty, 0)

    def test_permissions(self):
        scorecard = self.scorecard(user="qa_manager")
        scorecard.action_compute()
        for role in ("buyer", "auditor"):
            readable = scorecard.with_user(self.users[role])
            self.assertAlmostEqual(readable.score, 76.0)
            with self.assertRaises(AccessError):
                readable.action_compute()
            with self.assertRaises(AccessError):
                self.scorecard(self.coater, user=role)
        with self.assertRaises(AccessError):
            scorecard.with_user(self.users["planner"]).read(["score"])
