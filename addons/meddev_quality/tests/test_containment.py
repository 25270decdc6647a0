from odoo.exceptions import UserError
from odoo.tests import tagged

from .nonconformance_case import MeddevNonconformanceCase


@tagged("post_install", "-at_install")
class TestContainment(MeddevNonconformanceCase):
    def test_rejected_lot_opens_its_exception_which_holds_it(self):
        nc = self.rejected_lot()
        inspection = nc.inspection_id
        self.assertEqual(nc.source, "inspection")
        self.assertEqual(nc.type_id, self.type_material)
        self.assertEqual(nc.partner_id, self.moulder)
        self.assertEqual(nc.lot_ids, inspection.lot_id)
        self.assertEqual(nc.grade, "major")
        hold = nc.hold_ids
        self.assertEqual(
            (hold.lot_id, hold.quantity, hold.state), (inspection.lot_id, 1000, "held")
        )
        # the exception holds the lot now, not the inspection
        self.assertFalse(inspection.meddev_holds)
        quarantine = inspection.meddev_location_id
        with self.raises(UserError, nc.name):
            self.move_lot(inspection.lot_id, quarantine, 1000)

    def test_lot_in_stock_is_moved_into_quarantine_at_once(self):
        picking = self.purchase_receipt({"BRL-NC-STK": 200})
        inspection = self.inspections_of(picking)
        self.answer(inspection)
        self.sign_result(inspection)
        lot = inspection.lot_id
        self.move_lot(lot, inspection.meddev_location_id, 200)
        stock = self.warehouse.lot_stock_id
        self.assertEqual(self.quantity_at(lot, stock), 200)
        nc = self.manual_exception(
            type_id=self.type_material.id,
            product_id=self.barrel.id,
            lot_ids=[(6, 0, lot.ids)],
            quantity=200,
            description="Customer found cracked barrels of the lot",
        )
        self.assertEqual(nc.hold_ids.quantity, 200)
        self.assertEqual(self.quantity_at(lot, stock), 0)
        quarantine = self.warehouse._meddev_quarantine_location()
        self.assertEqual(self.quantity_at(lot, quarantine), 200)
        with self.raises(UserError, nc.name):
            self.move_lot(lot, quarantine, 200)
        # a held lot stays on its exception
        with self.raises(UserError, "stays on the exception"):
            nc.with_user(self.users["qa_engineer"]).write({"lot_ids": [(5,)]})

    def test_split_disposition_return_and_concession(self):
        nc = self.rejected_lot("BRL-NC-02")
        lot = nc.lot_ids
        self.confirm(nc)
        ret = self.propose(nc, "return", 400)
        concession = self.propose(
            nc, "concession", 600, justification="Cosmetic flash only; risk file RA-12"
        )
        self.assertEqual(nc.hold_ids.qty_pending, 0)
        # more than is held is refused
        extra = self.propose(nc, "scrap", 1)
        with self.raises(UserError, "left to disposition"):
            self.sign(extra, "approve")
        extra.with_user(self.users["qa_engineer"]).action_cancel_disposition()
        # the QA engineer proposes, the QA manager signs
        with self.assertRaises(UserError):
            self.sign(concession, "approve", role="qa_engineer")
        self.sign(concession, "approve")
        self.assertEqual(concession.state, "done")
        stock = self.warehouse.lot_stock_id
        self.assertEqual(self.quantity_at(lot, stock), 600)
        # the released quantity moves freely while the rest is held
        self.ship_to_stock(lot, 600)
        self.sign(ret, "approve")
        self.assertEqual(ret.state, "approved")
        picking = ret.picking_id
        self.assertEqual(picking.partner_id, self.moulder)
        self.assertEqual(picking.location_dest_id.usage, "supplier")
        # Odoo's return of the receipt, from the quarantine, on the held lot
        receipt = nc.inspection_id.object_id.picking_id
        self.assertEqual(picking.return_id, receipt)
        self.assertTrue(picking.location_id.meddev_quarantine)
        self.assertEqual(picking.move_ids.move_line_ids.lot_id, lot)
        self.assertEqual(picking.move_ids.move_line_ids.quantity, 400)
        # the warehouse cannot send the returned quantity to stock instead
        as_clerk = picking.with_user(self.users["warehouse"])
        as_clerk.move_ids.move_line_ids.location_dest_id = stock
        as_clerk.move_ids.picked = True
        with self.raises(UserError, nc.name):
            as_clerk.button_validate()
        as_clerk.move_ids.move_line_ids.location_dest_id = picking.location_dest_id
        as_clerk.button_validate()
        self.assertEqual(ret.state, "done")
        # the purchase's received quantity goes down by the return
        self.assertEqual(receipt.move_ids.purchase_line_id.qty_received, 600)
        self.assertEqual(nc.hold_ids.state, "released")
        nc.with_user(self.users["qa_engineer"]).write(
            {"capa_required": "yes", "capa_rationale": "Second flash lot this year"}
        )

    def test_justification_and_open_exception_are_required(self):
        nc = self.rejected_lot("BRL-NC-03")
        with self.raises(UserError, "confirmed, open exception"):
            self.propose(nc, "scrap", 10)
        self.confirm(nc)
        use = self.propose(nc, "use_as_is", 10)
        with self.raises(UserError, "justification"):
            self.sign(use, "approve")
        self.assertEqual(use.state, "draft")

    def test_moves_cannot_be_linked_to_a_disposition_by_hand(self):
        nc = self.rejected_lot("BRL-NC-04")
        self.confirm(nc)
        ret = self.propose(nc, "return", 1000)
        self.sign(ret, "approve")
        Move = self.env["stock.move"].with_user(self.users["warehouse"])
        with self.raises(UserError, "signed disposition"):
            Move.create(
                {
                    "name": "sneak",
                    "product_id": self.barrel.id,
                    "product_uom_qty": 1,
                    "location_id": self.warehouse.lot_stock_id.id,
                    "location_dest_id": self.warehouse.lot_stock_id.id,
                    "meddev_disposition_id": ret.id,
                }
            )
        with self.raises(UserError, "signed disposition"):
            ret.picking_id.move_ids.with_user(self.users["warehouse"]).write(
                {"meddev_disposition_id": False}
            )
        with self.raises(UserError, "signed as it is"):
            ret.with_user(self.users["qa_manager"]).write({"quantity": 10})

    def test_critical_concession_needs_the_management_representative(self):
        nc = self.rejected_lot("BRL-NC-05")
        nc.with_user(self.users["qa_engineer"]).write({"proposed_grade": "critical"})
        self.sign(nc, "regrade", role="qa_engineer", comment="Sterile barrier")
        self.confirm(nc)
        concession = self.propose(nc, "concession", 1000, justification="Agreed")
        self.assertTrue(concession.needs_authorization)
        self.sign(concession, "approve", role="qa_manager")
        self.assertEqual(concession.state, "approved")
        self.assertFalse(concession.move_ids)
        with self.assertRaises(UserError):
            self.sign(concession, "authorize", role="qa_manager", comment="ok")
        self.sign(concession, "authorize", role="quality_director", comment="ok")
        self.assertEqual(concession.state, "done")
        self.assertEqual(concession.authorized_by_id, self.users["quality_director"])

    def test_director_cannot_approve_and_authorize_alone(self):
        nc = self.rejected_lot("BRL-NC-06")
        nc.with_user(self.users["qa_engineer"]).write({"proposed_grade": "critical"})
        self.sign(nc, "regrade", role="qa_engineer", comment="Sterile barrier")
        self.confirm(nc)
        concession = self.propose(nc, "concession", 1000, justification="Agreed")
        self.sign(concession, "approve", role="quality_director")
        with self.assertRaises(UserError):
            self.sign(concession, "authorize", role="quality_director", comment="x")
        self.assertFalse(concession.move_ids)

    def test_scrap_goes_through_odoo_scrap(self):
        nc = self.rejected_lot("BRL-NC-07")
        self.confirm(nc)
        scrap = self.propose(nc, "scrap", 1000)
        self.sign(scrap, "approve")
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_ids.state, "done")
        self.assertEqual(scrap.scrap_ids.scrap_qty, 1000)
        self.assertEqual(nc.hold_ids.state, "released")

    def test_rework_then_reinspection_then_use(self):
        nc = self.rejected_lot("BRL-NC-08")
        inspection = nc.inspection_id
        with self.raises(UserError, "rework"):
            self.reinspect(inspection)
        self.confirm(nc)
        rework = self.propose(nc, "rework", 1000)
        self.sign(rework, "approve")
        picking = rework.picking_id
        self.assertTrue(picking.location_dest_id.meddev_rework)
        picking = picking.with_user(self.users["warehouse"])
        picking.move_ids.picked = True
        picking.button_validate()
        self.assertEqual(rework.state, "done")
        # the reworked quantity is back for its next decision
        self.assertEqual(nc.hold_ids.qty_pending, 1000)
        self.assertEqual(nc.hold_ids.state, "held")
        child = self.reinspect(inspection)
        self.assertTrue(child.meddev_holds)
        use = self.propose(
            nc, "use_as_is", 1000, justification="Deflashed, re-inspected"
        )
        # the re-inspection holds the lot until it is accepted
        with self.raises(UserError, child.name):
            self.sign(use, "approve")
        self.answer(child)
        self.sign_result(child)
        self.assertEqual(child.meddev_state, "accepted")
        self.sign(use, "approve")
        self.assertEqual(nc.hold_ids.state, "released")

    def test_cancel_releases_the_holds(self):
        nc = self.rejected_lot("BRL-NC-09")
        self.sign(nc, "cancel", comment="Wrong lot recorded")
        self.assertEqual(nc.hold_ids.state, "released")
        # the inspection's rejection holds the lot again
        self.assertTrue(nc.inspection_id.meddev_holds)

    def test_close_needs_every_quantity_dispositioned(self):
        nc = self.rejected_lot("BRL-NC-10")
        self.confirm(nc)
        nc.with_user(self.users["qa_engineer"]).write(
            {"capa_required": "no", "capa_rationale": "Isolated"}
        )
        self.assertIn("BRL-NC-10", nc.close_problems)
        with self.raises(UserError, "BRL-NC-10"):
            self.sign(nc, "close")
        self.sign(self.propose(nc, "scrap", 1000), "approve")
        self.sign(nc, "close")
        self.assertEqual(nc.state, "closed")
