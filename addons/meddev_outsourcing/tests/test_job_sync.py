from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PASSWORD, MeddevOutsourcingCase


@tagged("post_install", "-at_install")
class TestJobSync(MeddevOutsourcingCase):
    def test_partial_receipt_splits_the_job(self):
        job = self.confirm_po(qty=1000)
        self.at_supplier(job)
        self.record(job)
        self.attach_coc(job)
        self.receive(job, lot_name="SCR-A", qty=600)
        jobs = self.Job.search([("purchase_id", "=", job.purchase_id.id)])
        self.assertEqual(len(jobs), 2)
        returned = jobs.filtered(lambda j: j.state == "returned")
        open_ = jobs - returned
        self.assertEqual(returned.qty_returned, 600)
        self.assertEqual(returned.lot_id.name, "SCR-A")
        self.assertEqual(open_.state, "in_process")
        self.assertEqual(open_.product_qty, 400)
        self.assertEqual(open_.spec_id, job.spec_id)
        self.assertTrue(open_.record_submitted_on)
        self.assertEqual(len(open_.record_ids), 2)
        self.assertTrue(open_.receipt_move_id.location_dest_id.meddev_quarantine)

    def test_cancelled_order_cancels_the_job(self):
        job = self.confirm_po()
        self.release_to_supplier(job)
        job.purchase_id.button_cancel()
        self.assertEqual(job.state, "cancel")
        self.assertTrue(job.cancel_reason)

    def test_quantity_follows_the_order(self):
        job = self.confirm_po(qty=1000)
        # the receipt's demand lowered: Odoo lowers the subcontract order
        job.receipt_move_id.product_uom_qty = 800
        self.assertEqual(job.production_id.product_qty, 800)
        self.assertEqual(job.product_qty, 800)

    def test_cancel_needs_a_signed_reason(self):
        job = self.confirm_po()
        with self.raises(Exception, "needs a reason"):
            job.with_user(self.users["planner"])._meddev_sign("cancel", PASSWORD)
        job.with_user(self.users["planner"])._meddev_sign(
            "cancel", PASSWORD, comment="Order moved to the back-up machining supplier"
        )
        self.assertEqual(job.state, "cancel")
        self.assertIn("back-up", job.cancel_reason)

    def test_multi_step_reception_holds_in_input(self):
        """With 2-step reception the goods stay in the input location, which
        holds them: Odoo's own transfer to stock is refused until the
        release."""
        self.warehouse.reception_steps = "two_steps"
        job = self.confirm_po()
        move = job.receipt_move_id
        self.assertEqual(move.location_dest_id, self.warehouse.wh_input_stock_loc_id)
        self.assertTrue(move.location_dest_id.meddev_quarantine)
        self.at_supplier(job)
        self.record(job)
        self.attach_coc(job)
        self.receive(job)
        onwards = move.move_dest_ids.picking_id
        self.assertEqual(onwards.location_dest_id, self.warehouse.lot_stock_id)
        onwards.action_assign()
        self.assertEqual(onwards.move_line_ids.lot_id, job.lot_id)
        onwards.move_ids.picked = True
        with self.raises(UserError, "stays in quarantine"):
            onwards.button_validate()
        job.with_user(self.users["qa_manager"])._meddev_sign(
            "accept_first_article", PASSWORD
        )
        job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        onwards.button_validate()
        self.assertEqual(onwards.state, "done")
