from psycopg2 import IntegrityError

from odoo.exceptions import UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .common import PASSWORD, MeddevOutsourcingCase


@tagged("post_install", "-at_install")
class TestJobLifecycle(MeddevOutsourcingCase):
    def test_job_made_with_the_subcontract_order(self):
        job = self.confirm_po()
        self.assertEqual(len(job), 1)
        self.assertEqual(job.state, "draft")
        self.assertEqual(job.partner_id, self.machining)
        self.assertEqual(job.scope_id, self.scope_cnc)
        self.assertEqual(job.spec_id, self.spec)
        self.assertEqual(job.product_qty, 1000)
        self.assertTrue(job.production_id.subcontractor_id)
        self.assertTrue(job.quarantine_location_id.meddev_quarantine)
        self.assertTrue(job.name.startswith("OJ/"))

    def test_plain_subcontracting_makes_no_job(self):
        self.bom.meddev_scope_id = False
        self.assertFalse(self.confirm_po())

    def test_full_lifecycle(self):
        job = self.released_lot_job()
        self.assertEqual(job.state, "returned")
        self.assertEqual(job.qty_returned, 1000)
        self.assertEqual(job.lot_id.name, "SCR-2611-001")
        self.assertTrue(job.first_article)  # the supplier's first CNC job
        self.assertFalse(job.release_blockers)
        job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.assertEqual(job.state, "released")
        job.with_user(self.users["planner"]).action_close()
        self.assertEqual(job.state, "closed")

    def test_release_refused_to_roles_without_it(self):
        job = self.released_lot_job()
        for role in ("planner", "qc_inspector", "buyer", "warehouse", "auditor"):
            with self.subTest(role=role), self.assertRaises(UserError):
                job.with_user(self.users[role])._meddev_sign("release", PASSWORD)
        with self.assertRaises(UserError):
            job.with_user(self.users["qa_manager"]).action_release()
        self.assertEqual(job.state, "returned")

    def test_state_not_written_directly(self):
        job = self.confirm_po()
        with self.assertRaises(UserError):
            job.with_user(self.users["planner"]).write({"state": "returned"})
        with self.assertRaises(UserError):
            self.Job.with_user(self.users["planner"]).create(
                {
                    "partner_id": self.machining.id,
                    "scope_id": self.scope_cnc.id,
                    "product_id": self.screw.id,
                    "state": "released",
                }
            )

    def test_segregation_of_duties(self):
        """Who released the job to the supplier does not release its lot."""
        self.users["planner"].groups_id |= self.env.ref(
            "meddev_base.group_meddev_qa_manager"
        )
        job = self.released_lot_job()
        with self.raises(UserError, "segregation of duties"):
            job.with_user(self.users["planner"])._meddev_sign("release", PASSWORD)

    def test_release_needs_evidence(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.receive(job)
        with self.raises(UserError, "Certificate of Conformance"):
            job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.assertIn("process record lacks", job.release_blockers)
        self.assertIn("first article", job.release_blockers)

    def test_deviating_record_blocks_release(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job, od="4.62")
        self.assertTrue(job.deviating)
        self.assertIn("Thread outer diameter", job.deviation_summary)
        self.attach_coc(job)
        self.receive(job)
        job.with_user(self.users["qa_manager"])._meddev_sign(
            "accept_first_article", PASSWORD
        )
        with self.raises(UserError, "out of the specification's limits"):
            job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)

    def test_quarantine_held_until_release(self):
        job = self.released_lot_job()
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": job.quarantine_location_id.id,
                "location_dest_id": self.warehouse.lot_stock_id.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "out of quarantine",
                            "product_id": self.screw.id,
                            "product_uom_qty": 10,
                            "location_id": job.quarantine_location_id.id,
                            "location_dest_id": self.warehouse.lot_stock_id.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        self.assertEqual(picking.move_line_ids.lot_id, job.lot_id)
        picking.move_ids.picked = True
        with self.raises(UserError, "stays in quarantine"):
            picking.button_validate()
        job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_job_by_hand_for_an_existing_order(self):
        job = self.confirm_po()
        production = job.production_id
        job.sudo().unlink()
        # the planner works in Manufacturing too
        self.users["planner"].groups_id |= self.env.ref("mrp.group_mrp_user")
        form_job = self.Job.with_user(self.users["planner"]).new(
            {"production_id": production.id}
        )
        form_job._onchange_production_id()
        self.assertEqual(form_job.partner_id, self.machining)
        self.assertEqual(form_job.scope_id, self.scope_cnc)
        self.assertEqual(form_job.spec_id, self.spec)
        job = self.Job.with_user(self.users["planner"]).create(
            {
                "production_id": production.id,
                "partner_id": self.machining.id,
                "scope_id": self.scope_cnc.id,
                "product_id": self.screw.id,
                "spec_id": self.spec.id,
            }
        )
        self.assertEqual(job.state, "draft")
        self.assertTrue(job.quarantine_location_id.meddev_quarantine)
        # one job per subcontract order (a database constraint)
        with self.assertRaises(IntegrityError), mute_logger("odoo.sql_db"):
            self.Job.with_user(self.users["planner"]).create(
                {
                    "production_id": production.id,
                    "partner_id": self.machining.id,
                    "scope_id": self.scope_cnc.id,
                    "product_id": self.screw.id,
                }
            )
