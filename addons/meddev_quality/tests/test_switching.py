from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PASSWORD, MeddevQualityCase


@tagged("post_install", "-at_install")
class TestSwitchingRules(MeddevQualityCase):
    """GB/T 2828.1 §9.3 through sequences of real lots, as the inspector."""

    counter = 0

    def lots(self, count, qty=100):
        names = {}
        for _index in range(count):
            TestSwitchingRules.counter += 1
            names[f"BRL-SW-{TestSwitchingRules.counter:03d}"] = qty
        return self.inspections_of(self.purchase_receipt(names))

    def decide(self, inspections, outcomes):
        for inspection, outcome in zip(inspections, outcomes, strict=True):
            self.answer(inspection)
            if outcome == "R":
                self.defect(inspection, "critical")
            self.sign_result(inspection)
            self.assertEqual(
                inspection.meddev_state, "accepted" if outcome == "A" else "rejected"
            )

    def switch(self):
        return self.env["meddev.sampling.switch"].search(
            [("partner_id", "=", self.moulder.id), ("product_id", "=", self.barrel.id)]
        )

    def test_normal_tightened_normal(self):
        self.decide(self.lots(3), "ARA")
        self.assertEqual(self.switch().severity, "normal")
        self.decide(self.lots(1), "R")
        switch = self.switch()
        self.assertEqual(switch.severity, "tightened")
        event = switch.event_ids[:1]
        self.assertEqual(
            (event.severity_from, event.severity_to), ("normal", "tightened")
        )
        self.assertIn("2 of 5", event.reason)
        self.assertTrue(event.inspection_id)
        # the next lots are inspected tightened: 100 units, F; AQL 1.0 is
        # F's own plan in Table 2-B, n 20, Ac 0 (normal: up to E, n 13)
        tightened = self.lots(5)
        self.assertEqual(set(tightened.mapped("severity")), {"tightened"})
        self.assertEqual(
            (tightened[0].n_major, tightened[0].ac_major, tightened[0].re_major),
            (20, 0, 1),
        )
        self.decide(tightened[:4], "AAAA")
        self.assertEqual(self.switch().severity, "tightened")
        self.assertEqual(self.switch().tightened_accepted, 4)
        self.decide(tightened[4:], "A")
        self.assertEqual(self.switch().severity, "normal")
        self.assertEqual(
            self.switch().event_ids.mapped("severity_to"), ["normal", "tightened"]
        )

    def test_two_rejections_not_within_five_lots_stay_normal(self):
        self.decide(self.lots(6), "RAAAAR")
        self.assertEqual(self.switch().severity, "normal")

    def test_reinspections_do_not_count(self):
        first, second = self.lots(2)
        self.decide(first, "R")
        first.meddev_nonconformance_ids.with_user(
            self.users["qa_engineer"]
        ).action_confirm()
        first.with_user(self.users["qa_manager"])._meddev_sign(
            "reinspect", PASSWORD, comment="Sorted by the supplier"
        )
        self.decide(first.meddev_reinspection_ids, "R")
        self.assertEqual(self.switch().severity, "normal")
        self.decide(second, "A")
        self.assertEqual(self.switch().recent_results, "RA")

    def test_discontinued_and_resumed(self):
        self.decide(self.lots(2), "RR")
        self.assertEqual(self.switch().severity, "tightened")
        self.decide(self.lots(5), "RARRR")
        self.assertEqual(self.switch().severity, "tightened")
        self.decide(self.lots(1), "R")
        switch = self.switch()
        self.assertEqual(switch.severity, "discontinued")
        inspection = self.lots(1)
        self.assertTrue(inspection.meddev_discontinued)
        self.answer(inspection)
        with self.raises(UserError, "discontinued"):
            self.sign_result(inspection)
        with self.assertRaises(UserError):
            switch.with_user(self.users["qa_engineer"])._meddev_sign(
                "resume", PASSWORD, comment="8D closed"
            )
        with self.assertRaises(UserError):
            switch.with_user(self.users["qa_manager"]).severity = "normal"
        switch.with_user(self.users["qa_manager"])._meddev_sign(
            "resume", PASSWORD, comment="Supplier's 8D report verified on site"
        )
        self.assertEqual(switch.severity, "tightened")
        self.assertEqual(switch.event_ids[:1].user_id, self.users["qa_manager"])

    def test_reduced_with_the_qa_managers_approval(self):
        switch_lots = self.lots(15)
        self.decide(switch_lots, "A" * 15)
        switch = self.switch()
        # Ac 0 or 1 in some class: +2 a lot (GB/T 2828.1 §9.3.3.2)
        self.assertEqual(switch.switching_score, 30)
        self.assertTrue(switch.reduced_eligible)
        self.assertEqual(switch.severity, "normal")
        with self.assertRaises(UserError):
            switch.with_user(self.users["qa_engineer"])._meddev_sign(
                "to_reduced", PASSWORD, comment="Stable supplier"
            )
        switch.with_user(self.users["qa_manager"])._meddev_sign(
            "to_reduced", PASSWORD, comment="Steady production, supplier audit passed"
        )
        self.assertEqual(switch.severity, "reduced")
        reduced = self.lots(1, qty=1000)
        # 1000 units: J; reduced sample 32
        self.assertEqual((reduced.severity, reduced.sample_size), ("reduced", 32))
        self.decide(reduced, "R")
        self.assertEqual(switch.severity, "normal")
        self.assertIn("reduced", switch.event_ids[:1].reason)

    def test_reduced_refused_before_the_score(self):
        self.decide(self.lots(2), "AA")
        switch = self.switch()
        with self.raises(UserError, "switching score"):
            switch.with_user(self.users["qa_manager"])._meddev_sign(
                "to_reduced", PASSWORD, comment="Looks good"
            )
        self.assertEqual(switch.severity, "normal")
