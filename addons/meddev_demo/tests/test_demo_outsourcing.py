from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

DEMO_PASSWORD = "meddev-demo"  # documented in README.md


@tagged("post_install", "-at_install")
class TestDemoOutsourcing(TransactionCase):
    """The demo's outsourcing jobs reached their states through the real steps:
    effective specifications, approval tiers, signatures, receipts."""

    def ref(self, xmlid):
        return self.env.ref(f"meddev_demo.{xmlid}")

    def signers(self, record, action):
        signatures = record.signature_ids.filtered(lambda s: s.action == action)
        return signatures.signer_id

    def test_specifications_effective_by_signature(self):
        expected = {
            "spec_cnc_screw": ("PS-CNC-BS4540", 2, ["coc"]),
            "spec_coating_screw": ("PS-HA-BS4540", 2, ["coc"]),
            "spec_eo_syringe": ("PS-EO-SY05", 8, ["coc", "sterilization_certificate"]),
        }
        for xmlid, (code, count, documents) in expected.items():
            spec = self.ref(xmlid)
            self.assertEqual((spec.code, spec.state), (code, "effective"))
            self.assertEqual(len(spec.parameter_ids), count)
            self.assertEqual(spec.document_ids.mapped("code"), documents)
            self.assertEqual(self.signers(spec, "approve"), self.ref("user_qa_manager"))
            self.assertEqual(spec.create_uid, self.ref("user_qa_engineer"))
        limits = {
            p.name: p.limits_display for p in self.ref("spec_eo_syringe").parameter_ids
        }
        self.assertEqual(limits["Preconditioning temperature"], "40 – 50 °C")
        self.assertEqual(limits["Preconditioning humidity"], "50 – 80 %RH")
        self.assertEqual(limits["Exposure temperature"], "45 – 55 °C")
        self.assertEqual(limits["EO concentration"], "450 – 800 mg/L")
        self.assertEqual(limits["Aeration time"], "7 – 14 d")
        self.assertEqual(limits["Biological indicator"], "Pass")
        cnc = {
            p.name: p.limits_display for p in self.ref("spec_cnc_screw").parameter_ids
        }
        self.assertEqual(cnc["Thread outer diameter"], "4.45 – 4.55 mm")
        self.assertEqual(cnc["Surface roughness Ra"], "≤ 0.8 µm")
        coating = self.ref("spec_coating_screw").parameter_ids
        self.assertEqual(coating.mapped("limits_display"), ["50 – 80 µm", "≥ 15 MPa"])
        # bilingual, as the demo's other names
        spec = self.ref("spec_eo_syringe").with_context(lang="zh_CN")
        self.assertEqual(spec.name, "5 ml 注射器环氧乙烷灭菌")
        self.assertIn("灭菌温度", spec.parameter_ids.mapped("name"))

    def test_boms_name_their_process(self):
        scopes = {
            "bom_screw_machined": "meddev_supplier.scope_cnc_machining",
            "bom_screw_coated": "meddev_supplier.scope_coating",
            "bom_syringe_sterile": "meddev_supplier.scope_eo_sterilization",
        }
        for xmlid, scope in scopes.items():
            self.assertEqual(self.ref(xmlid).meddev_scope_id, self.env.ref(scope))

    def assert_released_to_supplier_after_tiers(self, job, first_article=True):
        self.assertEqual(job.risk_class, "A")
        reviews = job.review_ids.sorted("sequence")
        self.assertEqual(reviews.mapped("status"), ["approved", "approved"])
        self.assertEqual(
            [review.done_by for review in reviews],
            [self.ref("user_qa_engineer"), self.ref("user_qa_manager")],
        )
        self.assertEqual(job.validation_status, "validated")
        self.assertEqual(
            self.signers(job, "release_to_supplier"), self.ref("user_planner")
        )
        self.assertEqual(job.first_article, first_article)

    def test_cnc_job_released_by_the_qa_manager(self):
        job = self.ref("job_cnc_screws")
        self.assertEqual(job.purchase_id, self.ref("po_cnc_machining_1"))
        self.assertEqual(job.partner_id, self.ref("partner_cnc_machining"))
        self.assertEqual(job.state, "released")
        self.assert_released_to_supplier_after_tiers(job)
        self.assertEqual(job.first_article_state, "accepted")
        self.assertTrue(job.record_complete)
        self.assertFalse(job.deviating)
        self.assertEqual(job.document_ids.mapped("code"), ["coc"])
        self.assertEqual(self.signers(job, "release"), self.ref("user_qa_manager"))
        self.assertEqual(job.lot_id.name, "CZ-2611-1187")
        self.assertEqual(job.qty_returned, 1000)
        self.assertEqual(job.lot_sent_ids, self.ref("lot_ti_blank_1"))

    def test_coating_job_in_process_at_the_conditional_coater(self):
        job = self.ref("job_coating_screws")
        self.assertEqual(job.partner_id, self.ref("partner_coating"))
        self.assertEqual(job.qualification_id.state, "conditional")
        self.assertEqual(job.state, "in_process")
        # the coater's first article was its first lot (test_demo_quality.py)
        self.assert_released_to_supplier_after_tiers(job, first_article=False)
        # its measurements entered, in limits, not yet submitted
        self.assertTrue(job.record_complete)
        self.assertFalse(job.deviating)
        self.assertFalse(job.record_submitted_on)
        # the machined lot released above is what the coater processes: 600
        # of its 1 000 screws, after the coater's first three lots
        self.assertEqual(job.lot_sent_ids.name, "CZ-2611-1187")
        self.assertEqual(job.product_qty, 600)
        first = self.ref("job_coating_first_lot")
        self.assertEqual((first.first_article, first.state), (True, "released"))
        self.assertEqual(first.first_article_state, "accepted")

    def test_eo_job_deviating_and_not_releasable(self):
        job = self.ref("job_eo_syringes")
        portal = self.ref("user_supplier_eo")
        self.assertEqual(job.state, "returned")
        self.assert_released_to_supplier_after_tiers(job)
        self.assertTrue(job.deviating)
        self.assertIn("Exposure temperature: 57 °C", job.deviation_summary)
        self.assertEqual(set(job.record_ids.mapped("entered_by_id")), {portal})
        self.assertEqual(self.signers(job, "submit_record"), portal)
        self.assertIn("out of the specification's limits", job.release_blockers)
        with self.assertRaises(UserError):
            job.with_user(self.ref("user_qa_manager"))._meddev_sign(
                "release", DEMO_PASSWORD
            )
        self.assertEqual(job.state, "returned")

    def test_backup_sterilizer_first_job_is_a_first_article(self):
        job = self.ref("job_puremed_syringes")
        self.assertEqual(job.partner_id, self.ref("partner_puremed_sterilization"))
        self.assertEqual(job.qualification_id.state, "qualified")
        self.assertEqual(job.state, "sent")
        self.assert_released_to_supplier_after_tiers(job)
        self.assertEqual(
            (job.first_article_reason, job.first_article_state),
            ("new_supplier", "pending"),
        )
        self.assertEqual(job.spec_id, self.ref("spec_eo_syringe"))


@tagged("post_install", "-at_install")
class TestDemoOutsourcingTour(HttpCase):
    def _returned_cnc_job(self):
        """The demo's second order of machined screws, returned with its
        record in limits and the CoC: its lot inspection answered and signed
        by the QC inspector and reviewed by the QA engineer, it is ready for
        the QA manager's release."""
        Scenario = self.env["meddev.demo.scenario"]
        job = self.env.ref("meddev_demo.job_cnc_screws_2")
        self.assertEqual(job.state, "returned")
        self.assertFalse(job.first_article)
        inspection = self.env.ref("meddev_demo.inspection_cnc_screws_2")
        self.assertIn(inspection.name, job.release_blockers)
        Scenario._inspect(inspection, [4.49, 39.97, 0.61, True])
        Scenario._review(inspection)
        self.assertEqual(inspection.meddev_state, "accepted")
        job.invalidate_recordset(["release_blockers"])
        self.assertFalse(job.release_blockers)
        return job

    def test_qa_manager_releases_and_sees_why_a_lot_is_held(self):
        """In the web client, the QA manager releases the returned CNC lot by
        her signature, then opens the deviating EO job and reads why its lot
        stays held: no release is offered."""
        job = self._returned_cnc_job()
        self.start_tour(
            "/web/login?redirect=/odoo/action-"
            "meddev_outsourcing.meddev_outsourcing_job_action",
            "meddev_demo_outsourcing_release",
            login=None,
        )
        self.assertEqual(job.state, "released")
        self.assertEqual(
            job.signature_ids.filtered(lambda s: s.action == "release").signer_id,
            self.env.ref("meddev_demo.user_qa_manager"),
        )
        self.assertEqual(self.env.ref("meddev_demo.job_eo_syringes").state, "returned")

    def test_eo_supplier_records_its_cycle_on_the_portal(self):
        """On the portal, the EO sterilizer's user acknowledges a job released
        to it, enters the cycle record and signs its submission."""
        Scenario = self.env["meddev.demo.scenario"]
        order = self.env.ref("meddev_demo.po_eo_sterilization_1").copy()
        job = Scenario._confirm_order(order)
        Scenario._release_to_supplier(job)
        Scenario._ship_material(job)
        self.assertEqual(job.state, "sent")
        self.start_tour(
            f"/web/login?redirect=/my/meddev/jobs/{job.id}",
            "meddev_demo_eo_portal",
            login=None,
        )
        supplier = self.env.ref("meddev_demo.user_supplier_eo")
        self.assertEqual(job.state, "acknowledged")
        self.assertEqual(len(job.record_ids), 8)
        self.assertEqual(set(job.record_ids.mapped("entered_by_id")), {supplier})
        self.assertEqual(job.record_submitted_by_id, supplier)
        self.assertFalse(job.deviating)
