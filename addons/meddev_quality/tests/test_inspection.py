from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PASSWORD, MeddevQualityCase


@tagged("post_install", "-at_install")
class TestInspectionFromReceipt(MeddevQualityCase):
    def test_one_inspection_per_lot_with_the_standards_figures(self):
        picking = self.purchase_receipt({"BRL-2611-01": 1000, "BRL-2611-02": 300})
        inspections = self.inspections_of(picking)
        self.assertEqual(len(inspections), 2)
        big, small = inspections
        self.assertEqual(big.lot_id.name, "BRL-2611-01")
        self.assertEqual(big.meddev_plan_id, self.plan_barrel)
        self.assertEqual(big.meddev_partner_id, self.moulder)
        self.assertEqual(
            (big.lot_size, big.code_letter, big.sample_size, big.severity),
            (1000, "J", 80, "normal"),
        )
        # major AQL 1.0 at J: 80, Ac 2 Re 3; minor 2.5: Ac 5 Re 6; critical 0
        self.assertEqual((big.n_major, big.ac_major, big.re_major), (80, 2, 3))
        self.assertEqual((big.n_minor, big.ac_minor, big.re_minor), (80, 5, 6))
        self.assertEqual((big.n_critical, big.ac_critical, big.re_critical), (80, 0, 1))
        # 300 units: H, n 50; AQL 1.0 at H: 1/2
        self.assertEqual((small.code_letter, small.sample_size), ("H", 50))
        self.assertEqual((small.ac_major, small.re_major), (1, 2))
        self.assertEqual(big.meddev_state, "todo")
        self.assertEqual(big.state, "ready")

    def test_receipt_goes_to_quarantine_and_lot_is_held(self):
        picking = self.purchase_receipt({"BRL-2611-03": 500})
        quarantine = picking.move_ids.location_dest_id
        self.assertTrue(quarantine.meddev_quarantine)
        inspection = self.inspections_of(picking)
        self.assertTrue(inspection.meddev_holds)
        with self.raises(UserError, inspection.name):
            self.move_lot(inspection.lot_id, quarantine, 500)
        self.answer(inspection)
        self.sign_result(inspection)
        self.assertEqual(inspection.meddev_state, "accepted")
        self.assertFalse(inspection.meddev_holds)
        self.move_lot(inspection.lot_id, quarantine, 500)

    def test_small_lot_is_inspected_whole(self):
        picking = self.purchase_receipt({"BRL-2611-04": 10})
        inspection = self.inspections_of(picking)
        # lot 10 at level II: B; AQL 1.0 points down to n = 13 > 10
        self.assertTrue(inspection.full_inspection)
        self.assertEqual(inspection.sample_size, 10)
        self.assertEqual((inspection.ac_major, inspection.re_major), (0, 1))

    def test_no_plan_no_inspection(self):
        other = self.env["product.product"].create(
            {"name": "Carton", "is_storable": True}
        )
        picking = self.purchase_receipt({"": 10}, product=other)
        self.assertFalse(self.inspections_of(picking))
        self.assertFalse(picking.move_ids.location_dest_id.meddev_quarantine)


@tagged("post_install", "-at_install")
class TestInspectionDecision(MeddevQualityCase):
    def setUp(self):
        super().setUp()
        self.picking = self.purchase_receipt({"BRL-2611-10": 1000})
        self.inspection = self.inspections_of(self.picking)

    def test_decision_follows_the_counts(self):
        inspection = self.inspection
        self.answer(inspection)
        self.assertEqual(inspection.meddev_decision, "accept")
        self.defect(inspection, "major", 2)
        self.assertEqual(inspection.meddev_decision, "accept")
        self.defect(inspection, "major", 1)
        self.assertEqual(inspection.meddev_decision, "reject")
        self.assertIn("Major", inspection.meddev_decision_reason)

    def test_one_critical_defect_rejects(self):
        self.answer(self.inspection)
        self.defect(self.inspection, "critical")
        self.assertEqual(self.inspection.meddev_decision, "reject")

    def test_answer_out_of_limits_counts_as_a_defective(self):
        self.answer(self.inspection)
        self.assertEqual(self.inspection.defects_major, 0)
        self.answer(self.inspection, od=4.60, burrs=False)
        self.assertEqual(self.inspection.defects_major, 1)
        self.assertEqual(self.inspection.defects_minor, 1)
        # a defect recorded for the question is not counted twice
        line = self.inspection.inspection_lines.filtered(
            lambda line: line.question_type == "quantitative"
        )
        defect = self.defect(self.inspection, "major", 2)
        defect.line_id = line
        self.assertEqual(self.inspection.defects_major, 2)

    def test_unanswered_questions_block_the_signature(self):
        with self.raises(UserError, "not answered"):
            self.sign_result(self.inspection)
        self.assertEqual(self.inspection.meddev_state, "todo")

    def test_rejected_lot_stays_held_awaiting_disposition(self):
        self.answer(self.inspection)
        self.defect(self.inspection, "major", 3)
        self.sign_result(self.inspection)
        self.assertEqual(self.inspection.meddev_state, "rejected")
        self.assertEqual(self.inspection.state, "failed")
        # its exception holds the lot now, quantity by quantity
        exception = self.inspection.meddev_nonconformance_ids
        self.assertTrue(exception.holds_active)
        self.assertFalse(self.inspection.meddev_holds)
        label = dict(
            self.inspection._fields["meddev_state"]._description_selection(self.env)
        )["rejected"]
        self.assertIn("Awaiting Disposition", label)
        with self.raises(UserError, "stays in quarantine"):
            self.move_lot(
                self.inspection.lot_id, self.picking.move_ids.location_dest_id, 1000
            )

    def test_signed_result_is_frozen(self):
        self.answer(self.inspection)
        self.sign_result(self.inspection)
        inspector = self.users["qc_inspector"]
        line = self.inspection.inspection_lines[:1].with_user(inspector)
        with self.raises(UserError, "frozen"):
            line.quantitative_value = 4.9
        with self.raises(UserError, "frozen"):
            self.defect(self.inspection, "major")
        self.assertEqual(self.inspection.signature_ids.meaning, "authored")
        self.assertEqual(self.inspection.meddev_inspector_id, inspector)

    def test_reinspection_is_linked_and_keeps_the_original(self):
        self.answer(self.inspection)
        self.defect(self.inspection, "major", 3)
        self.sign_result(self.inspection)
        with self.assertRaises(UserError):
            self.inspection.with_user(self.users["qa_engineer"])._meddev_sign(
                "reinspect", PASSWORD, comment="Sorted by the supplier"
            )
        manager = self.inspection.with_user(self.users["qa_manager"])
        with self.raises(UserError, "reason"):
            manager._meddev_sign("reinspect", PASSWORD)
        # the exception of the rejected lot is confirmed first (the MRB has it)
        with self.raises(UserError, "confirmed"):
            manager._meddev_sign("reinspect", PASSWORD, comment="Sorted")
        self.inspection.meddev_nonconformance_ids.with_user(
            self.users["qa_engineer"]
        ).action_confirm()
        manager._meddev_sign("reinspect", PASSWORD, comment="Sorted by the supplier")
        child = self.inspection.meddev_reinspection_ids
        self.assertEqual(len(child), 1)
        self.assertEqual(child.meddev_parent_id, self.inspection)
        self.assertEqual(child.lot_id, self.inspection.lot_id)
        self.assertEqual(child.meddev_state, "todo")
        self.assertEqual(self.inspection.meddev_state, "rejected")
        self.assertEqual(self.inspection.defects_major, 3)
        self.assertFalse(self.inspection.meddev_holds)
        self.assertTrue(child.meddev_holds)
        self.answer(child)
        self.sign_result(child)
        self.assertEqual(child.meddev_state, "accepted")
        # the lot leaves quarantine by its exception's signed disposition
        quarantine = self.picking.move_ids.location_dest_id
        with self.raises(UserError, "signed disposition"):
            self.move_lot(child.lot_id, quarantine, 1000)
        exception = self.inspection.meddev_nonconformance_ids
        disposition = (
            self.env["meddev.nonconformance.disposition"]
            .with_user(self.users["qa_engineer"])
            .create(
                {
                    "nonconformance_id": exception.id,
                    "hold_id": exception.hold_ids.id,
                    "disposition": "use_as_is",
                    "quantity": 1000,
                    "justification": "Re-inspection accepted",
                }
            )
        )
        disposition.with_user(self.users["qa_manager"])._meddev_sign(
            "approve", PASSWORD
        )
        self.assertEqual(disposition.state, "done")
        self.assertFalse(exception.holds_active)


@tagged("post_install", "-at_install")
class TestInspectionControls(MeddevQualityCase):
    """Every way around the signed decision, tried as the real roles."""

    def setUp(self):
        super().setUp()
        self.picking = self.purchase_receipt({"BRL-2611-20": 1000})
        self.inspection = self.inspections_of(self.picking)
        self.answer(self.inspection)

    def test_roles(self):
        for role in ("warehouse", "buyer", "planner", "auditor"):
            with self.assertRaises(UserError, msg=role):
                self.inspection.with_user(self.users[role])._meddev_sign(
                    "record", PASSWORD
                )
        self.assertEqual(self.inspection.meddev_state, "todo")
        self.assertTrue(self.inspection.with_user(self.users["auditor"]).name)

    def test_direct_writes_of_the_decision_are_refused(self):
        inspector = self.inspection.with_user(self.users["qc_inspector"])
        manager = self.inspection.with_user(self.users["qa_manager"])
        with self.assertRaises(UserError):
            inspector.meddev_state = "accepted"
        with self.assertRaises(UserError):
            manager.write({"state": "success"})
        with self.assertRaises(UserError):
            manager.write({"ac_major": 10})
        with self.assertRaises(UserError):
            manager.write({"meddev_inspector_id": self.users["qa_manager"].id})
        self.assertEqual(self.inspection.meddev_state, "todo")
        self.assertEqual(self.inspection.ac_major, 2)

    def test_oca_buttons_do_not_decide_a_planned_inspection(self):
        inspector = self.inspection.with_user(self.users["qc_inspector"])
        for method in (
            "action_confirm",
            "action_approve",
            "action_cancel",
            "action_draft",
        ):
            with self.raises(UserError, "sampling plan"):
                getattr(inspector, method)()
        self.assertEqual(self.inspection.state, "ready")

    def test_create_in_a_final_state_is_refused(self):
        Inspection = self.Inspection.with_user(self.users["qa_manager"])
        with self.assertRaises(UserError):
            Inspection.create(
                {
                    "meddev_plan_id": self.plan_barrel.id,
                    "meddev_state": "accepted",
                    "qty": 10,
                }
            )

    def test_inspection_of_a_plan_is_made_by_the_server_only(self):
        Inspection = self.Inspection.with_user(self.users["qc_inspector"])
        with self.raises(UserError, "set by the server"):
            Inspection.create(
                {
                    "meddev_plan_id": self.plan_barrel.id,
                    "lot_size": 2,
                    "lot_id": self.inspection.lot_id.id,
                }
            )
        inspector = self.inspection.with_user(self.users["qc_inspector"])
        other_lot = self.env["stock.lot"].create(
            {"name": "BRL-OTHER", "product_id": self.barrel.id}
        )
        with self.assertRaises(UserError):
            inspector.lot_id = other_lot
        with self.assertRaises(UserError):
            inspector.qty = 1
        self.assertEqual(self.inspection.lot_id.name, "BRL-2611-20")

    def test_oca_inspections_without_plan_stay_oca(self):
        inspection = self.Inspection.with_user(self.users["qc_inspector"]).create(
            {"test": self.test.id, "qty": 5}
        )
        inspection.action_todo()
        inspection.inspection_lines = inspection._prepare_inspection_lines(
            self.test, force_fill=True
        )
        inspection.action_confirm()
        self.assertEqual(inspection.state, "success")
        self.assertFalse(inspection.meddev_holds)

    def test_no_question_added_after_the_signature(self):
        self.sign_result(self.inspection)
        line_values = self.inspection._prepare_inspection_lines(self.test)[0][2]
        with self.raises(UserError, "frozen"):
            self.env["qc.inspection.line"].with_user(self.users["qc_inspector"]).create(
                {**line_values, "inspection_id": self.inspection.id}
            )

    def test_receipt_redirected_out_of_quarantine_keeps_the_lot_held(self):
        order_picking = self.purchase_receipt_redirected({"BRL-2611-22": 200})
        stock = self.warehouse.lot_stock_id
        self.assertEqual(order_picking.move_ids.location_dest_id, stock)
        inspection = self.inspections_of(order_picking)
        self.assertTrue(inspection.meddev_holds)
        customer = self.env.ref("stock.stock_location_customers")
        Picking = self.env["stock.picking"].with_user(self.users["warehouse"])
        picking = Picking.create(
            {
                "picking_type_id": self.warehouse.out_type_id.id,
                "location_id": stock.id,
                "location_dest_id": customer.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": "delivery",
                            "product_id": self.barrel.id,
                            "product_uom_qty": 200,
                            "location_id": stock.id,
                            "location_dest_id": customer.id,
                        },
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        with self.raises(UserError, inspection.name):
            picking.button_validate()

    def test_supplier_with_inspections_is_not_merged_away(self):
        other = self.env["res.partner"].create(
            {"name": "Ningbo Medical Moulding Co.", "is_company": True}
        )
        wizard = (
            self.env["base.partner.merge.automatic.wizard"]
            .with_user(self.users["qa_manager"])
            .sudo()
        )
        with self.raises(UserError, "cannot be merged"):
            wizard._merge([self.moulder.id, other.id], other)
        self.assertEqual(self.inspection.meddev_partner_id, self.moulder)

    def test_not_deleted(self):
        with self.assertRaises(UserError):
            self.inspection.with_user(self.users["qa_manager"]).unlink()
        self.assertTrue(self.inspection.exists())

    def test_review_by_another_person(self):
        self.plan_barrel.review_required = True
        self.sign_result(self.inspection, role="qa_engineer")
        self.assertEqual(self.inspection.meddev_state, "recorded")
        self.assertTrue(self.inspection.meddev_holds)
        with self.assertRaises(UserError):
            self.review(self.inspection, role="qa_engineer")
        with self.assertRaises(UserError):
            self.review(self.inspection, role="qc_inspector")
        self.assertEqual(self.inspection.meddev_state, "recorded")
        self.review(self.inspection, role="qa_manager")
        self.assertEqual(self.inspection.meddev_state, "accepted")
        self.assertEqual(self.inspection.meddev_reviewer_id, self.users["qa_manager"])

    def test_cancel_needs_the_qa_managers_signed_reason(self):
        with self.assertRaises(UserError):
            self.inspection.with_user(self.users["qa_engineer"])._meddev_sign(
                "cancel_inspection", PASSWORD, comment="wrong lot"
            )
        with self.raises(UserError, "reason"):
            self.inspection.with_user(self.users["qa_manager"])._meddev_sign(
                "cancel_inspection", PASSWORD
            )
        self.inspection.with_user(self.users["qa_manager"])._meddev_sign(
            "cancel_inspection", PASSWORD, comment="Receipt booked twice"
        )
        self.assertEqual(self.inspection.meddev_state, "cancel")

    def test_other_company_plan_does_not_apply(self):
        other = self.env["res.company"].create({"name": "Other Medical"})
        self.plan_barrel.active = False
        self.Plan.create(
            {
                "name": "Other company's plan",
                "categ_id": self.barrel_categ.id,
                "company_id": other.id,
            }
        )
        picking = self.purchase_receipt({"BRL-2611-21": 100})
        self.assertFalse(self.inspections_of(picking))


@tagged("post_install", "-at_install")
class TestReturnInspection(MeddevQualityCase):
    def test_job_release_needs_the_accepted_inspection(self):
        job = self.released_lot_job()
        inspection = self.Inspection.search([("meddev_job_id", "=", job.id)])
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.meddev_plan_id, self.plan)
        self.assertEqual((inspection.code_letter, inspection.sample_size), ("J", 80))
        self.assertEqual((inspection.ac_major, inspection.re_major), (1, 2))
        self.assertEqual((inspection.ac_minor, inspection.re_minor), (5, 6))
        with self.raises(UserError, inspection.name):
            job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.answer(inspection)
        self.sign_result(inspection)
        self.assertEqual(inspection.meddev_state, "recorded")
        with self.raises(UserError, inspection.name):
            job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.review(inspection)
        job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.assertEqual(job.state, "released")
        self.move_out_of_quarantine(job, job.product_qty)
