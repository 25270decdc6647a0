"""The supplier scorecard counts the lot inspections where the supplier has
some in the period: accepted and rejected lots (original inspections only)
and the defect rate of the samples; without, its quality stays the quantity
received and not returned."""

from datetime import date, datetime

from odoo.exceptions import UserError
from odoo.tests import tagged

from .receipt_case import MeddevReceiptInspectionCase

SUMMARY = "For-cause evaluation required"


@tagged("post_install", "-at_install")
class TestScorecardInspections(MeddevReceiptInspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.packager = cls.env["res.partner"].create(
            {"name": "Dongguan Medpack Packaging", "is_company": True}
        )
        cls.qualification = cls.qualified(cls.packager, cls.scope_cnc)
        cls.pouch = cls.lot_product()
        cls.plan = cls.sampling_plan(cls.pouch, cls.packager, review_required=False)
        cls.uninspected = cls.env["product.product"].create(
            {"name": "Tyvek lid stock", "is_storable": True, "tracking": "lot"}
        )

    def lot(self, lot_name, day, defects=(), qty=500):
        """A lot received on ``day`` of March 2025, inspected and signed,
        with ``defects`` [(class, quantity)]."""
        inspection = self.receive_lot(
            self.packager,
            self.pouch,
            qty,
            lot_name,
            done=datetime(2025, 3, day, 9),
        )
        self.answer(inspection)
        for defect_class, quantity in defects:
            self.add_defect(inspection, "Seal defect", quantity, defect_class)
        self.sign_result(inspection)
        return inspection

    def scorecard(self, date_from=date(2025, 3, 1), date_to=date(2025, 3, 31)):
        scorecard = (
            self.env["meddev.supplier.scorecard"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "partner_id": self.packager.id,
                    "date_from": date_from,
                    "date_to": date_to,
                }
            )
        )
        scorecard.action_compute()
        return scorecard

    def test_without_inspections_the_returns_count(self):
        self.receive_lot(
            self.packager, self.uninspected, 100, "LID-001", done=datetime(2025, 3, 3)
        )
        # an inspection still to decide counts for nothing
        self.receive_lot(
            self.packager, self.pouch, 100, "PCH-TODO", done=datetime(2025, 3, 4)
        )
        scorecard = self.scorecard()
        self.assertEqual(scorecard.quality_basis, "returns")
        self.assertEqual(scorecard.received_qty, 200)
        self.assertEqual(scorecard.quality_pct, 100.0)
        self.assertEqual(
            (
                scorecard.inspected_lots,
                scorecard.accepted_lots,
                scorecard.rejected_lots,
            ),
            (0, 0, 0),
        )

    def test_accepted_lots_score_their_defect_rate(self):
        accepted = self.lot("PCH-001", 3, defects=[("minor", 1)])
        self.lot("PCH-002", 5)
        n = accepted.sample_size
        scorecard = self.scorecard()
        self.assertEqual(scorecard.quality_basis, "inspections")
        self.assertEqual(
            (
                scorecard.inspected_lots,
                scorecard.accepted_lots,
                scorecard.rejected_lots,
                scorecard.lot_acceptance_pct,
                scorecard.sampled_units,
                scorecard.defective_units,
            ),
            (2, 2, 0, 100.0, 2 * n, 1),
        )
        rate = 100.0 / (2 * n)
        self.assertAlmostEqual(scorecard.defect_rate_pct, round(rate, 2))
        self.assertAlmostEqual(scorecard.quality_pct, round((200.0 - rate) / 2, 2))
        self.assertFalse(scorecard.below_threshold)

    def test_a_rejected_lot_lowers_the_score(self):
        self.lot("PCH-001", 3)
        scorecard = self.scorecard()
        self.assertEqual(scorecard.quality_pct, 100.0)
        score_all_accepted = scorecard.score
        rejected = self.lot("PCH-002", 5, defects=[("critical", 1)])
        self.assertEqual(rejected.meddev_state, "rejected")
        # the re-inspection of the rejected lot (accepted) is not counted
        self.reinspect(rejected, "Second sample drawn")
        self.answer(rejected.meddev_reinspection_ids)
        self.sign_result(rejected.meddev_reinspection_ids)
        self.assertEqual(rejected.meddev_reinspection_ids.meddev_state, "accepted")
        scorecard.action_compute()
        n = rejected.sample_size
        self.assertEqual(
            (
                scorecard.inspected_lots,
                scorecard.accepted_lots,
                scorecard.rejected_lots,
                scorecard.lot_acceptance_pct,
            ),
            (2, 1, 1, 50.0),
        )
        rate = 100.0 / (2 * n)
        self.assertAlmostEqual(scorecard.quality_pct, round((150.0 - rate) / 2, 2))
        self.assertLess(scorecard.score, score_all_accepted)
        # below the minimum quality: the QA managers are asked for a
        # for-cause evaluation, the note giving the lots
        self.assertTrue(scorecard.below_threshold)
        activity = self.qualification.activity_ids.filtered(
            lambda a: a.summary == SUMMARY
        )
        self.assertTrue(activity)
        self.assertIn("1 of 2 lots accepted", activity[0].note)
        # the scorecard's button lists the inspections counted
        action = scorecard.action_view_inspections()
        counted = self.env["qc.inspection"].search(action["domain"])
        self.assertEqual(sorted(counted.mapped("lot_id.name")), ["PCH-001", "PCH-002"])

    def test_only_the_period_counts(self):
        self.lot("PCH-001", 3, defects=[("critical", 1)])
        april = self.scorecard(date(2025, 4, 1), date(2025, 4, 30))
        self.assertEqual(april.quality_basis, "returns")
        self.assertEqual(april.inspected_lots, 0)

    def test_figures_are_the_servers(self):
        scorecard = self.scorecard()
        with self.assertRaises(UserError):
            scorecard.write({"accepted_lots": 5})
        # a new period clears them with the other figures
        self.lot("PCH-001", 3)
        scorecard.action_compute()
        self.assertEqual(scorecard.inspected_lots, 1)
        scorecard.date_to = date(2025, 3, 30)
        self.assertEqual(
            (scorecard.inspected_lots, scorecard.quality_basis), (0, False)
        )

    def test_form_shows_the_inspection_figures(self):
        arch = (
            self.env["meddev.supplier.scorecard"]
            .with_user(self.users["buyer"])
            .get_view(
                self.env.ref("meddev_supplier.meddev_supplier_scorecard_view_form").id
            )["arch"]
        )
        for name in (
            "quality_basis",
            "accepted_lots",
            "rejected_lots",
            "lot_acceptance_pct",
            "sampled_units",
            "defective_units",
            "defect_rate_pct",
            "inspected_lots",
        ):
            self.assertIn(f'name="{name}"', arch)
