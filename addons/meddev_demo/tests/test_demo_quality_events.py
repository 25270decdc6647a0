from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import TransactionCase, tagged

from .test_demo_quality import DEMO_PASSWORD, DemoQualityMixin


@tagged("post_install", "-at_install")
class TestDemoQualityEvents(DemoQualityMixin, TransactionCase):
    """The demo's quality events reached their states through the real steps:
    the exceptions opened by the server (a deviating EO cycle, two rejected
    coated lots), confirmed by the QA engineer; the MRB's dispositions signed
    by the QA manager and carried out in stock; the CAPA of the coater up to
    its effectiveness check; the SCAR answered on the EO sterilizer's
    portal."""

    def user(self, login):
        return self.ref(f"user_{login}")

    def test_deviating_eo_cycle_opens_a_major_exception_holding_the_lot(self):
        exception = self.ref("exception_eo_cycle")
        job = self.ref("job_eo_syringes")
        self.assertEqual(exception.job_id, job)
        self.assertEqual(
            exception.type_id,
            self.env.ref("meddev_quality.nonconformance_type_process_deviation"),
        )
        # opened by the server when the sterilizer submitted its record
        self.assertEqual(exception.source, "process_record")
        self.assertEqual(exception.parameter, "Exposure temperature")
        self.assertIn("57", exception.description)
        self.assertEqual(exception.partner_id, self.ref("partner_eo_sterilizer"))
        self.assertEqual(
            exception.process_id,
            self.env.ref("meddev_supplier.scope_eo_sterilization"),
        )
        # graded by the matrix, not by hand
        self.assertEqual((exception.grade, exception.grade_matrix), ("major", "major"))
        self.assertFalse(exception.grade_override)
        self.assertIn("grading matrix", exception.grade_reason)
        self.assertEqual(exception.state, "open")
        self.assertEqual(exception.confirmed_by_id, self.user("qa_engineer"))
        self.assertEqual(exception.user_id, self.user("qa_engineer"))
        # its lot held, the whole of it in quarantine
        hold = exception.hold_ids
        self.assertEqual(hold.lot_id, job.lot_id)
        self.assertEqual(
            (hold.state, hold.quantity, hold.qty_pending), ("held", 50000, 50000)
        )
        self.assertEqual(self.quarantine_qty(job), 50000)
        self.assertEqual(job.state, "returned")
        with self.assertRaises(UserError):
            self.env["meddev.demo.scenario"]._out_of_quarantine(job)
        self.assertEqual(self.quarantine_qty(job), 50000)
        # not closable while the lot is held and its SCAR is under way
        self.assertIn("SY-2611-087", exception.close_problems)
        self.assertIn(self.ref("scar_eo_cycle").name, exception.close_problems)
        with self.assertRaises(UserError):
            exception.with_user(self.user("qa_manager"))._meddev_sign(
                "close", DEMO_PASSWORD
            )
        self.assertEqual(exception.state, "open")

    def test_thin_lot_returned_whole_to_the_coater(self):
        exception = self.ref("exception_coating_thickness")
        job = self.ref("job_coating_lot_thickness")
        self.assertEqual(
            exception.inspection_id, self.ref("inspection_coating_thickness")
        )
        self.assertEqual(exception.source, "inspection")
        self.assertEqual(exception.grade, "major")
        returned = self.ref("disposition_coating_thickness_return")
        self.assertEqual(exception.disposition_ids, returned)
        self.assertEqual(
            (returned.disposition, returned.quantity, returned.state),
            ("return", 125, "done"),
        )
        self.assertEqual(self.signers(returned, "approve"), self.user("qa_manager"))
        self.assertEqual(returned.picking_id.state, "done")
        self.assertEqual(exception.hold_ids.state, "released")
        self.assertEqual(self.quarantine_qty(job), 0)
        self.assertEqual(exception.state, "closed")
        self.assertEqual(self.signers(exception, "close"), self.user("qa_manager"))

    def test_adhesion_lot_partly_returned_partly_conceded(self):
        """40 % back to the coater, 60 % used on concession with its
        justification; each signed by the QA manager, proposed by the QA
        engineer; the return validated by the warehouse."""
        exception = self.ref("exception_coating_adhesion")
        job = self.ref("job_coating_lot_adhesion")
        self.assertEqual(
            exception.inspection_id, self.ref("inspection_coating_adhesion")
        )
        self.assertEqual(exception.lot_ids, job.lot_id)
        self.assertEqual(exception.confirmed_by_id, self.user("qa_engineer"))
        returned = self.ref("disposition_coating_adhesion_return")
        concession = self.ref("disposition_coating_adhesion_concession")
        self.assertEqual(exception.disposition_ids, returned | concession)
        self.assertEqual(
            [(d.disposition, d.quantity, d.state) for d in returned | concession],
            [("return", 50, "done"), ("concession", 75, "done")],
        )
        self.assertIn("RA-BS-07", concession.justification)
        for disposition in returned | concession:
            self.assertEqual(disposition.create_uid, self.user("qa_engineer"))
            self.assertEqual(disposition.approved_by_id, self.user("qa_manager"))
            self.assertEqual(
                self.signers(disposition, "approve"), self.user("qa_manager")
            )
            self.assertFalse(disposition.signature_mismatch)
            self.assertFalse(disposition.needs_authorization, "a major exception")
        # the return: a delivery to the coater, validated by the warehouse
        picking = returned.picking_id
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.partner_id, self.ref("partner_coating"))
        self.assertEqual(picking.location_dest_id.usage, "supplier")
        self.assertEqual(picking.move_ids.quantity, 50)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, job.lot_id)
        self.assertEqual(
            picking.move_ids.move_line_ids.write_uid, self.user("warehouse")
        )
        # the conceded quantity in stock, none left in quarantine
        self.assertEqual(self.stock_qty(job), 75)
        self.assertEqual(self.quarantine_qty(job), 0)
        self.assertEqual(
            (exception.hold_ids.state, exception.hold_ids.qty_released),
            ("released", 125),
        )
        self.assertEqual(exception.capa_required, "yes")
        self.assertEqual(exception.root_cause_category, "method")
        self.assertEqual(exception.state, "closed")
        self.assertEqual(self.signers(exception, "close"), self.user("qa_manager"))
        self.assertFalse(exception.signature_mismatch)

    def test_coating_capa_awaits_its_effectiveness_check(self):
        capa = self.ref("capa_coating_adhesion")
        self.assertEqual(capa.source, "nonconformance")
        self.assertEqual(
            capa.nonconformance_ids,
            self.ref("exception_coating_adhesion")
            | self.ref("exception_coating_thickness"),
        )
        self.assertEqual(capa.partner_id, self.ref("partner_coating"))
        self.assertEqual(capa.product_id, self.ref("product_screw_coated"))
        self.assertEqual(capa.root_cause_method, "five_why")
        for why in ("why_1", "why_2", "why_3", "why_4", "why_5"):
            self.assertTrue(capa[why], why)
        self.assertIn("PS-HA-BS4540", capa.why_5)
        self.assertEqual(
            (capa.state, capa.effectiveness_result), ("effectiveness", "pending")
        )
        today = fields.Date.context_today(capa)
        self.assertGreater(capa.effectiveness_date, today)
        self.assertTrue(capa.effectiveness_criterion)
        self.assertEqual(capa.plan_submitted_by_id, self.user("qa_engineer"))
        self.assertEqual(self.signers(capa, "approve_plan"), self.user("qa_manager"))
        self.assertEqual(
            self.signers(capa, "complete_implementation"), self.user("qa_engineer")
        )
        self.assertFalse(capa.signature_mismatch)
        # each action done by its own owner, with what was done
        self.assertEqual(len(capa.action_ids), 2)
        self.assertEqual(
            capa.action_ids.user_id, self.user("qa_engineer") | self.user("buyer")
        )
        for action in capa.action_ids:
            self.assertEqual(action.state, "done")
            self.assertEqual(action.done_by_id, action.user_id)
            self.assertTrue(action.completion_note)
        # the check is not due yet: nobody can verify it today
        with self.assertRaises(UserError):
            capa.with_user(self.user("director"))._meddev_sign(
                "verify_effectiveness", DEMO_PASSWORD, comment="Seen early."
            )
        self.assertEqual(capa.effectiveness_result, "pending")
        self.assertFalse(capa.effectiveness_check_ids)

    def test_scar_answered_on_the_portal_awaits_review(self):
        scar = self.ref("scar_eo_cycle")
        portal = self.user("supplier_eo")
        self.assertEqual(scar.nonconformance_id, self.ref("exception_eo_cycle"))
        self.assertEqual(scar.source, "nonconformance")
        self.assertEqual(scar.partner_id, self.ref("partner_eo_sterilizer"))
        self.assertEqual(scar.state, "answered")
        self.assertEqual(self.signers(scar, "issue"), self.user("qa_engineer"))
        self.assertEqual(self.signers(scar, "answer"), portal)
        self.assertEqual(scar.answered_by_id, portal)
        self.assertTrue(scar.on_time)
        self.assertFalse(scar.signature_mismatch)
        for name in (
            "d1_team",
            "d2_problem",
            "d3_containment",
            "d4_root_cause",
            "d5_corrective_actions",
            "d6_verification",
            "d7_prevention",
            "d8_recognition",
        ):
            self.assertTrue(scar[name], name)
        self.assertIn("57 °C", scar.d2_problem)
        # the supplier's portal user reads its answer, and writes no more
        as_portal = scar.with_user(portal)
        self.assertEqual(as_portal.d4_root_cause, scar.d4_root_cause)
        with self.assertRaises(UserError):
            as_portal.write({"d5_corrective_actions": "Changed afterwards"})
        # the QA managers are asked to review it
        activities = scar.activity_ids.filtered(
            lambda a: a.user_id == self.user("qa_manager")
        )
        self.assertTrue(activities)
