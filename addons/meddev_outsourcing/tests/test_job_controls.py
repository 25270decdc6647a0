from odoo.exceptions import UserError, ValidationError
from odoo.tests import tagged

from .common import PASSWORD, MeddevOutsourcingCase


@tagged("post_install", "-at_install")
class TestJobControls(MeddevOutsourcingCase):
    def test_unqualified_supplier_not_released_to(self):
        job = self.confirm_po()
        self.env["meddev.supplier.qualification"].search(
            [("partner_id", "=", self.machining.id)]
        ).with_context(audit_reason="Suspended for the test").sudo().write(
            {"state": "suspended"}
        )
        job.invalidate_recordset()
        self.assertIn("is not qualified", job.release_blockers)
        with self.raises(UserError, "is not qualified"):
            self.release_to_supplier(job)

    def test_material_must_be_available(self):
        self.env["stock.quant"]._update_available_quantity(
            self.blank, self.warehouse.lot_stock_id, -10000
        )
        job = self.confirm_po()
        if not job.resupply_picking_ids:
            self.skipTest("no resupply transfer in this configuration")
        with self.raises(UserError, "material is not available"):
            self.release_to_supplier(job)

    def test_class_a_release_goes_through_the_tiers(self):
        job = self.confirm_po()
        job.sudo().risk_class = "A"
        self.assertTrue(job.need_validation)
        with self.raises(UserError, "approval tiers"):
            self.release_to_supplier(job)
        job.with_user(self.users["planner"]).request_validation()
        job.invalidate_recordset()
        self.assertEqual(len(job.review_ids), 2)
        # the QA manager's tier comes second: the QA engineer validates first
        job.with_user(self.users["qa_engineer"]).validate_tier()
        with self.raises(UserError, "approval tiers"):
            self.release_to_supplier(job)
        job.with_user(self.users["qa_manager"]).validate_tier()
        job.invalidate_recordset()
        self.assertEqual(job.validation_status, "validated")
        self.release_to_supplier(job)
        self.assertEqual(job.state, "sent")

    def test_class_b_release_needs_no_tier(self):
        job = self.confirm_po()
        self.assertFalse(job.need_validation)
        self.release_to_supplier(job)
        self.assertEqual(job.state, "sent")

    def test_first_article_decision(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job)
        self.attach_coc(job)
        self.receive(job)
        self.assertEqual(job.first_article_reason, "new_supplier")
        self.assertEqual(job.first_article_state, "pending")
        with self.raises(UserError, "first article"):
            job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        with self.assertRaises(UserError):
            job.with_user(self.users["planner"])._meddev_sign(
                "accept_first_article", PASSWORD
            )
        job.with_user(self.users["qa_manager"])._meddev_sign(
            "accept_first_article", PASSWORD
        )
        job.with_user(self.users["qa_manager"])._meddev_sign("release", PASSWORD)
        self.assertEqual(job.state, "released")
        # the supplier's next job of the same version is no first article
        other = self.confirm_po()
        self.release_to_supplier(other)
        self.assertFalse(other.first_article)

    def test_change_notice_asks_for_first_article(self):
        self.released_lot_job()
        notice = self.env["meddev.supplier.change.notice"].create(
            {
                "partner_id": self.machining.id,
                "scope_ids": [(6, 0, self.scope_cnc.ids)],
                "change_type": "equipment",
                "description": "New 5-axis machining centre",
                "first_article_required": True,
            }
        )
        notice.sudo().with_context(audit_reason="Accepted for the test").write(
            {"state": "accepted"}
        )
        job = self.confirm_po()
        self.release_to_supplier(job)
        self.assertEqual(job.first_article_reason, "change_notice")
        self.assertEqual(notice.first_article_job_id, job)

    def test_bad_process_record_input(self):
        job = self.confirm_po()
        self.at_supplier(job)
        Record = self.env["meddev.outsourcing.process.record"].with_user(
            self.users["planner"]
        )
        od = job.spec_id.parameter_ids.sorted("sequence")[0]
        cases = [
            ({"value_entered": "four and a half", "uom": "mm"}, "needs a number"),
            ({"value_entered": "4.5"}, "no unit"),
            ({"value_entered": "4.5", "uom": "cm"}, "is recorded in mm"),
        ]
        for vals, message in cases:
            with self.subTest(vals=vals), self.raises(ValidationError, message):
                Record.create({"job_id": job.id, "parameter_id": od.id, **vals})
        self.assertFalse(job.record_ids)
        record = Record.create(
            {
                "job_id": job.id,
                "parameter_id": od.id,
                "value_entered": "4.5",
                "uom": "mm",
            }
        )
        with self.raises(ValidationError, "needs a number"):
            record.write({"value_entered": "n/a"})
        self.assertEqual(record.value_entered, "4.5")
        self.assertTrue(record.in_limits)

    def test_record_frozen_after_submission(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job)
        with self.raises(UserError, "cannot change"):
            job.record_ids[0].with_user(self.users["planner"]).write(
                {"value_entered": "4.51"}
            )

    def test_documents_are_kept(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.attach_coc(job)
        document = job.document_ids.with_user(self.users["planner"])
        with self.raises(UserError, "kept as it is"):
            document.write({"name": "other"})
        with self.raises(UserError, "never deleted"):
            document.sudo().unlink()

    def test_chain_of_jobs_on_one_lot(self):
        """Machined screws returned by the CNC supplier are coated next: the
        coating job's lot sent is the machining job's lot returned."""
        machined_job = self.released_lot_job()
        machined_job.with_user(self.users["qa_manager"])._meddev_sign(
            "release", PASSWORD
        )
        coated = self.env["product.product"].create(
            {"name": "Coated bone screw", "is_storable": True, "tracking": "lot"}
        )
        self.screw.route_ids = self.resupply
        self.qualified(self.coater, self.scope_coating, risk="B")
        self.bom_for(coated, self.screw, self.coater, self.scope_coating)
        # the released machined lot goes from quarantine to stock
        quarantine = machined_job.quarantine_location_id
        self.move_out_of_quarantine(machined_job, 1000)
        job = self.confirm_po(partner=self.coater, product=coated, qty=100)
        self.assertEqual(job.scope_id, self.scope_coating)
        self.assertTrue(job.resupply_picking_ids)
        self.assertIn(machined_job.lot_id, job.lot_sent_ids)
        self.assertEqual(job.previous_job_id, machined_job)
        self.assertIn(job, machined_job.next_job_ids)
        self.assertFalse(
            self.env["stock.quant"].search(
                [
                    ("location_id", "=", quarantine.id),
                    ("lot_id", "=", machined_job.lot_id.id),
                    ("quantity", ">", 0),
                ]
            )
        )

    def test_risk_class_follows_the_qualification_until_released(self):
        job = self.confirm_po()
        sent = self.confirm_po()
        self.release_to_supplier(sent)
        self.assertEqual(job.risk_class, "B")
        job.qualification_id.sudo().with_context(audit_reason="Raised").write(
            {"risk_class": "A"}
        )
        self.assertEqual(job.risk_class, "A")
        self.assertEqual(sent.risk_class, "B")
        self.assertTrue(job.need_validation)
