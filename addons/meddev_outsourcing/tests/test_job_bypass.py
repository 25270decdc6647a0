from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import PASSWORD, MeddevOutsourcingCase


@tagged("post_install", "-at_install")
class TestJobBypass(MeddevOutsourcingCase):
    """Ways around the controls, tried as the roles that could write the job
    or its record over RPC."""

    def test_server_fields_not_written(self):
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job, od="4.62")
        self.attach_coc(job)
        self.receive(job)
        cases = {
            "deviating": False,
            "record_complete": True,
            "first_article_state": "accepted",
            "risk_class": "C",
            "date_sent": False,
            "record_submitted_on": False,
            "qty_returned": 5,
        }
        for role in ("planner", "qa_engineer"):
            for name, value in cases.items():
                with (
                    self.subTest(role=role, field=name),
                    self.raises(UserError, "not written directly"),
                ):
                    job.with_user(self.users[role]).write({name: value})
        self.assertTrue(job.deviating)
        self.assertEqual(job.first_article_state, "pending")

    def test_first_article_not_unmarked(self):
        job = self.confirm_po()
        self.release_to_supplier(job)
        self.assertTrue(job.first_article)
        with self.raises(UserError, "is a first article"):
            job.with_user(self.users["planner"]).write({"first_article": False})

    def test_first_article_marked_by_hand(self):
        self.released_lot_job().with_user(self.users["qa_manager"])._meddev_sign(
            "release", PASSWORD
        )
        job = self.confirm_po()
        self.release_to_supplier(job)
        self.assertFalse(job.first_article)
        job.with_user(self.users["planner"]).write({"first_article": True})
        self.assertEqual(job.first_article_state, "pending")
        self.assertEqual(job.first_article_reason, "manual")

    def test_record_flags_not_written(self):
        job = self.confirm_po()
        self.at_supplier(job)
        record = (
            self.env["meddev.outsourcing.process.record"]
            .with_user(self.users["planner"])
            .create(
                {
                    "job_id": job.id,
                    "parameter_id": job.spec_id.parameter_ids[0].id,
                    "value_entered": "4.70",
                    "uom": "mm",
                    "in_limits": True,
                }
            )
        )
        self.assertFalse(record.in_limits)
        for vals in ({"in_limits": True}, {"has_value": False}, {"value_float": 4.5}):
            with self.subTest(vals=vals), self.raises(UserError, "Only the value"):
                record.write(vals)
        self.assertTrue(job.deviating)

    def test_quarantine_flag_kept_while_holding(self):
        job = self.released_lot_job()
        location = job.quarantine_location_id
        with self.raises(UserError, "holds goods in quarantine"):
            location.write({"meddev_quarantine": False})

    def test_scrap_and_inventory_held(self):
        job = self.released_lot_job()
        location = job.quarantine_location_id
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.screw.id,
                "lot_id": job.lot_id.id,
                "scrap_qty": 1,
                "location_id": location.id,
            }
        )
        with self.raises(UserError, "stays in quarantine"):
            scrap.action_validate()
        quant = self.env["stock.quant"].search(
            [("location_id", "=", location.id), ("lot_id", "=", job.lot_id.id)]
        )
        quant.inventory_quantity = 0
        with self.raises(UserError, "stays in quarantine"):
            quant.action_apply_inventory()
        self.assertEqual(quant.quantity, 1000)

    def test_spec_step_fields_not_written(self):
        with self.raises(UserError, "set by its steps"):
            self.spec.with_user(self.users["qa_engineer"]).write(
                {"superseded_by_id": self.spec.id}
            )

    def test_job_in_another_company_not_seen(self):
        job = self.confirm_po()
        other = self.env["res.company"].create({"name": "Other Medical Co."})
        user = self.users["qa_manager"]
        user.write({"company_ids": [(4, other.id)], "company_id": other.id})
        found = (
            self.Job.with_user(user)
            .with_context(allowed_company_ids=other.ids)
            .search([("id", "=", job.id)])
        )
        self.assertFalse(found)

    def test_tier_reviews_not_forged(self):
        """A planner cannot approve the class A tiers by writing, creating or
        deleting the reviews OCA lets every internal user touch."""
        job = self.confirm_po()
        job.sudo().qualification_id.with_context(
            audit_reason="Class A for the test"
        ).write({"risk_class": "A"})
        job.invalidate_recordset()
        self.assertEqual(job.risk_class, "A")
        planner = self.users["planner"]
        job.with_user(planner).request_validation()
        reviews = job.review_ids.with_user(planner)
        self.assertEqual(len(reviews), 2)
        with self.raises(UserError, "not written directly"):
            reviews.write({"status": "approved"})
        with self.raises(UserError, "not written directly"):
            reviews.unlink()
        with self.raises(UserError, "not written directly"):
            self.env["tier.review"].with_user(planner).create(
                {
                    "model": job._name,
                    "res_id": job.id,
                    "definition_id": reviews[0].definition_id.id,
                    "status": "approved",
                }
            )
        with self.raises(UserError, "approval tiers"):
            self.release_to_supplier(job)
        job.with_user(self.users["qa_engineer"]).validate_tier()
        job.with_user(self.users["qa_manager"]).validate_tier()
        self.release_to_supplier(job)
        self.assertEqual(job.state, "sent")
