"""Trend rules (N exceptions of one type for one supplier or product within
D days open a CAPA proposal) and recurrence (a new exception like a closed
CAPA's flags it), both evaluated set-based when exceptions are recorded."""

from datetime import timedelta

from odoo import fields
from odoo.tests import tagged

from .capa_case import MeddevCapaCase


@tagged("post_install", "-at_install")
class TestCapaTrend(MeddevCapaCase):
    def proposals(self, partner=None):
        partner = partner or self.supplier
        return self.Capa.search(
            [("source", "=", "trend"), ("partner_id", "=", partner.id)]
        )

    def test_fires_on_the_third_exception_in_90_days(self):
        first = self.exception(days_ago=40) | self.exception(days_ago=10)
        self.assertFalse(self.proposals())
        third = self.exception()
        proposal = self.proposals()
        self.assertEqual(len(proposal), 1)
        self.assertEqual(proposal.state, "draft")
        self.assertEqual(
            proposal.trend_rule_id,
            self.env.ref("meddev_quality.capa_trend_rule_material_lot_supplier"),
        )
        self.assertEqual(proposal.nonconformance_ids, first | third)
        self.assertEqual(proposal.nc_type_id, self.lot_type)
        # a fourth finds the proposal open: no second one
        fourth = self.exception()
        self.assertEqual(self.proposals(), proposal)
        self.assertFalse(fourth.capa_id)

    def test_not_on_old_exceptions(self):
        self.exception(days_ago=120)
        self.exception(days_ago=95)
        self.exception(days_ago=5)
        self.exception()
        self.assertFalse(self.proposals())
        recent = self.exception(days_ago=1)
        self.assertEqual(len(self.proposals().nonconformance_ids), 3)
        self.assertIn(recent, self.proposals().nonconformance_ids)

    def test_keys_apart_and_cancelled_exceptions_not_counted(self):
        self.exception()
        self.exception(partner_id=self.other_supplier.id)
        cancelled = self.exception()
        cancelled.sudo().state = "cancel"
        self.exception(partner_id=self.other_supplier.id)
        self.assertFalse(self.proposals() | self.proposals(self.other_supplier))
        # the batch of one create counts as a whole
        self.Nonconformance.with_user(self.users["qc_inspector"]).create(
            [
                {
                    "type_id": self.lot_type.id,
                    "description": f"Burrs on lot {n}",
                    "product_id": self.product.id,
                    "partner_id": self.other_supplier.id,
                }
                for n in range(2)
            ]
        )
        self.assertEqual(len(self.proposals(self.other_supplier)), 1)
        self.assertFalse(self.proposals())

    def test_cron_evaluates_a_new_rule_over_history(self):
        complaint = self.env.ref("meddev_quality.nonconformance_type_transport_delay")
        for days in (3, 2, 1):
            self.exception(type_id=complaint.id, days_ago=days)
        self.assertFalse(self.proposals())
        self.env["meddev.capa.trend.rule"].create(
            {
                "name": "Transport delays: 3 in 30 days",
                "type_id": complaint.id,
                "scope": "partner_id",
                "count": 3,
                "days": 30,
                "user_id": self.users["qa_engineer"].id,
            }
        )
        self.env["meddev.capa.trend.rule"]._cron_evaluate()
        proposal = self.proposals()
        self.assertEqual(proposal.user_id, self.users["qa_engineer"])
        self.assertEqual(len(proposal.nonconformance_ids), 3)
        self.env["meddev.capa.trend.rule"]._cron_evaluate()
        self.assertEqual(self.proposals(), proposal)


@tagged("post_install", "-at_install")
class TestCapaRecurrence(MeddevCapaCase):
    def closed_capa(self, **vals):
        # a CAPA closed a week ago, as the server records it
        return self.Capa.create(
            {
                "title": "Thread OD deviations",
                "nc_type_id": self.lot_type.id,
                "product_id": self.product.id,
                "partner_id": self.supplier.id,
                "user_id": self.users["qa_engineer"].id,
                "state": "closed",
                "closed_on": fields.Datetime.now() - timedelta(days=7),
                **vals,
            }
        )

    def test_new_exception_like_a_closed_capa_flags_it(self):
        capa = self.closed_capa()
        other = self.closed_capa(partner_id=self.other_supplier.id)
        before = self.exception(days_ago=10)
        self.assertFalse(capa.recurrence)
        new = self.exception()
        self.assertTrue(capa.recurrence)
        self.assertEqual(capa.recurrence_ids, new)
        self.assertNotIn(before, capa.recurrence_ids)
        self.assertFalse(other.recurrence)
        todo = capa.activity_ids.filtered(lambda a: a.user_id == capa.user_id)
        self.assertTrue(todo)
        self.assertIn(new.name, capa.message_ids[:3].mapped("body")[0] or "")

    def test_other_type_or_product_is_no_recurrence(self):
        capa = self.closed_capa()
        delay = self.env.ref("meddev_quality.nonconformance_type_transport_delay")
        self.exception(type_id=delay.id)
        other_product = self.env["product.product"].create({"name": "Bone plate"})
        self.exception(product_id=other_product.id)
        self.assertFalse(capa.recurrence)

    def test_one_search_for_a_batch(self):
        capas = self.closed_capa() | self.closed_capa(partner_id=self.other_supplier.id)
        self.Nonconformance.with_user(self.users["qc_inspector"]).create(
            [
                {
                    "type_id": self.lot_type.id,
                    "description": "OD again",
                    "product_id": self.product.id,
                    "partner_id": partner.id,
                }
                for partner in (self.supplier, self.other_supplier)
            ]
        )
        self.assertEqual(capas.mapped("recurrence"), [True, True])
