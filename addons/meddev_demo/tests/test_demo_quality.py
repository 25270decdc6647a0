from odoo.exceptions import UserError
from odoo.tests import HttpCase, TransactionCase, tagged

DEMO_PASSWORD = "meddev-demo"  # documented in README.md


class DemoQualityMixin:
    def ref(self, xmlid):
        return self.env.ref(f"meddev_demo.{xmlid}")

    def signers(self, record, action):
        signatures = record.signature_ids.filtered(lambda s: s.action == action)
        return signatures.signer_id

    def quarantine_qty(self, job):
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", job.lot_id.id),
                ("location_id", "=", job.quarantine_location_id.id),
            ]
        )
        return sum(quants.mapped("quantity"))

    def stock_qty(self, job):
        stock = job.picking_id.picking_type_id.warehouse_id.lot_stock_id
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", job.lot_id.id), ("location_id", "child_of", stock.id)]
        )
        return sum(quants.mapped("quantity"))


@tagged("post_install", "-at_install")
class TestDemoQuality(DemoQualityMixin, TransactionCase):
    """The demo's lot inspections reached their states through the real steps:
    receipts validated (the server made the inspections), answers and defects
    entered and signed by the QC inspector, reviewed by the QA engineer, the
    switching rules applied as the lots were decided."""

    def test_sampling_plans_and_their_tests(self):
        screw = self.ref("sampling_plan_screw_machined")
        self.assertEqual(screw.product_id, self.ref("product_screw_machined"))
        self.assertEqual(screw.partner_id, self.ref("partner_cnc_machining"))
        self.assertEqual(
            (
                screw.inspection_level,
                screw.aql_critical,
                screw.aql_major,
                screw.aql_minor,
            ),
            ("ii", "0", "0.65", "2.5"),
        )
        self.assertTrue(screw.review_required)
        questions = {
            q.name: (
                q.type,
                q.min_value,
                q.max_value,
                q.uom_id.name,
                q.meddev_defect_class,
            )
            for q in screw.test_id.test_lines
        }
        self.assertEqual(
            questions,
            {
                "Thread outer diameter": ("quantitative", 4.45, 4.55, "mm", "major"),
                "Length": ("quantitative", 39.8, 40.2, "mm", "major"),
                "Surface roughness Ra": ("quantitative", 0.0, 0.8, "µm", "major"),
                "Burrs (visual, 10×)": ("qualitative", 0.0, 0.0, False, "minor"),
            },
        )
        coated = self.ref("sampling_plan_screw_coated")
        self.assertEqual(coated.product_id, self.ref("product_screw_coated"))
        self.assertEqual(coated.partner_id, self.ref("partner_coating"))
        limits = {
            q.name: (q.min_value, q.max_value, q.uom_id.name)
            for q in coated.test_id.test_lines
        }
        self.assertEqual(limits["Coating thickness"], (50.0, 80.0, "µm"))
        self.assertEqual(limits["Adhesion strength (ASTM F1147)"][::2], (15.0, "MPa"))
        syringe = self.ref("sampling_plan_syringe_sterile")
        self.assertEqual(syringe.product_id, self.ref("product_syringe_sterile"))
        # any sterilizer: the usual one and the back-up
        self.assertFalse(syringe.partner_id)
        self.assertEqual(syringe.inspection_level, "s3")
        classes = {q.name: q.meddev_defect_class for q in syringe.test_id.test_lines}
        self.assertEqual(classes["Residual ethylene oxide"], "critical")
        self.assertEqual(classes["Biological indicator (sterility)"], "critical")
        eo = syringe.test_id.test_lines.filtered(lambda q: q.type == "quantitative")
        self.assertEqual((eo.max_value, eo.uom_id.name), (10.0, "µg/g"))
        engineer = self.ref("user_qa_engineer")
        for plan in screw | coated | syringe:
            self.assertEqual(plan.create_uid, engineer)
            self.assertEqual(plan.test_id.create_uid, engineer)
            self.assertTrue(plan.review_required)
        # bilingual, as the demo's other names
        test = self.ref("qc_test_screw_coated").with_context(lang="zh_CN")
        self.assertEqual(test.name, "HA 涂层骨螺钉：回厂检验")
        self.assertIn("结合强度（ASTM F1147）", test.test_lines.mapped("name"))
        burrs = self.ref("qc_test_screw_machined").test_lines.filtered("ql_values")
        self.assertEqual(
            burrs.with_context(lang="zh_CN").ql_values.mapped("name"), ["无", "有毛刺"]
        )
        self.assertIn("骨螺钉", screw.name)

    def test_cnc_lot_accepted_then_released(self):
        """The returned lot of 1 000 machined screws: code letter J, n = 80,
        accepted by the inspector, reviewed by a QA engineer, and only then
        released by the QA manager."""
        job = self.ref("job_cnc_screws")
        inspection = self.ref("inspection_cnc_screws")
        self.assertEqual(inspection.meddev_job_id, job)
        self.assertEqual(
            inspection.meddev_plan_id, self.ref("sampling_plan_screw_machined")
        )
        self.assertEqual(inspection.lot_id.name, "CZ-2611-1187")
        self.assertEqual(
            (
                inspection.lot_size,
                inspection.code_letter,
                inspection.sample_size,
                inspection.severity,
            ),
            (1000, "J", 80, "normal"),
        )
        self.assertEqual((inspection.ac_critical, inspection.re_critical), (0, 1))
        self.assertEqual((inspection.ac_major, inspection.re_major), (1, 2))
        self.assertEqual((inspection.ac_minor, inspection.re_minor), (5, 6))
        # made by the server on the receiving clerk's validation
        self.assertEqual(inspection.create_uid, self.ref("user_warehouse"))
        self.assertEqual(
            (inspection.meddev_state, inspection.state), ("accepted", "success")
        )
        self.assertEqual(
            (
                inspection.defects_critical,
                inspection.defects_major,
                inspection.defects_minor,
            ),
            (0, 0, 1),
        )
        burr = inspection.defect_ids
        self.assertEqual(burr.line_id.name, "Burrs (visual, 10×)")
        self.assertEqual(burr.create_uid, self.ref("user_inspector"))
        measured = inspection.inspection_lines.filtered(
            lambda line: line.question_type == "quantitative"
        )
        self.assertEqual(len(measured), 3)
        self.assertTrue(all(measured.mapped("meddev_value_entered")))
        self.assertTrue(all(measured.mapped("success")))
        self.assertEqual(inspection.meddev_inspector_id, self.ref("user_inspector"))
        self.assertEqual(inspection.meddev_reviewer_id, self.ref("user_qa_engineer"))
        record = inspection.signature_ids.filtered(lambda s: s.action == "record")
        review = inspection.signature_ids.filtered(lambda s: s.action == "review")
        self.assertEqual(
            (record.signer_id, record.meaning),
            (self.ref("user_inspector"), "authored"),
        )
        self.assertEqual(
            (review.signer_id, review.meaning),
            (self.ref("user_qa_engineer"), "reviewed"),
        )
        self.assertFalse(inspection.signature_mismatch)
        self.assertFalse(inspection.meddev_holds)
        # the release came after the review, and the lot left quarantine
        self.assertEqual(job.state, "released")
        release = job.signature_ids.filtered(lambda s: s.action == "release")
        self.assertEqual(release.signer_id, self.ref("user_qa_manager"))
        self.assertGreater(release.id, review.id)
        self.assertEqual(self.quarantine_qty(job), 0)

    def test_coater_rejected_on_adhesion_and_tightened(self):
        """The coater's first lot accepted as its first article; the second
        rejected on thickness (and returned to it by the QA manager); the
        third rejected on adhesion, awaiting disposition. Two rejected lots of
        five or fewer: the coater's lots are inspected tightened."""
        first = self.ref("inspection_coating_first_lot")
        thin = self.ref("inspection_coating_thickness")
        weak = self.ref("inspection_coating_adhesion")
        self.assertEqual(
            [i.meddev_state for i in first | thin | weak],
            ["accepted", "rejected", "rejected"],
        )
        self.assertEqual(set((first | thin | weak).mapped("severity")), {"normal"})
        self.assertEqual(
            set((first | thin | weak).mapped("meddev_partner_id")),
            {self.ref("partner_coating")},
        )
        # rejected on adhesion: the defect recorded on the adhesion question
        adhesion = weak.inspection_lines.filtered(lambda line: "Adhesion" in line.name)
        self.assertFalse(adhesion.success)
        self.assertLess(adhesion.quantitative_value, 15)
        self.assertEqual(weak.defect_ids.line_id, adhesion)
        self.assertEqual(weak.defect_ids.defect_class, "major")
        self.assertGreaterEqual(weak.defects_major, weak.re_major)
        self.assertEqual((weak.defects_critical, weak.defects_minor), (0, 0))
        self.assertIn("Major", weak.meddev_decision_reason)
        thickness = thin.defect_ids.line_id
        self.assertEqual(thickness.name, "Coating thickness")
        self.assertFalse(thickness.success)
        for inspection in first | thin | weak:
            self.assertEqual(
                self.signers(inspection, "record"), self.ref("user_inspector")
            )
            self.assertEqual(
                self.signers(inspection, "review"), self.ref("user_qa_engineer")
            )
        # the lots: the first released as the coater's first article, the
        # second and third rejected by the QA manager; their exceptions, not
        # the inspections, held them until the MRB's dispositions
        # (test_demo_quality_events.py)
        first_job = self.ref("job_coating_first_lot")
        self.assertEqual(
            (first_job.first_article_state, first_job.state), ("accepted", "released")
        )
        thin_job = self.ref("job_coating_lot_thickness")
        self.assertEqual(thin_job.state, "rejected")
        self.assertEqual(self.signers(thin_job, "reject"), self.ref("user_qa_manager"))
        weak_job = self.ref("job_coating_lot_adhesion")
        self.assertEqual(weak_job.state, "rejected")
        self.assertEqual(self.signers(weak_job, "reject"), self.ref("user_qa_manager"))
        self.assertFalse(weak_job.deviating, "the coater's own record was in limits")
        for inspection in thin | weak:
            self.assertFalse(inspection.meddev_holds, inspection.name)
            self.assertEqual(inspection.meddev_nonconformance_ids.source, "inspection")
        self.assertEqual(self.quarantine_qty(weak_job), 0)
        # the QA manager was given the rejected lots to dispose of
        activities = self.env["mail.activity"].search(
            [("res_model", "=", "qc.inspection"), ("res_id", "in", (thin | weak).ids)]
        )
        self.assertEqual(len(activities), 2)
        # switched to tightened by the rule, after the adhesion rejection
        switch = self.env["meddev.sampling.switch"].search(
            [
                ("partner_id", "=", self.ref("partner_coating").id),
                ("product_id", "=", self.ref("product_screw_coated").id),
            ]
        )
        self.assertEqual(switch.severity, "tightened")
        event = switch.event_ids
        self.assertEqual(len(event), 1)
        self.assertEqual(
            (event.severity_from, event.severity_to), ("normal", "tightened")
        )
        self.assertIn("2 of 5", event.reason)
        self.assertEqual(event.inspection_id, weak)
        self.assertFalse(event.user_id, "applied by the rule, not decided by a person")
        # the next lot, the 600 screws in process at the coater, is inspected
        # on the tightened plan: code letter J; major 0.65 tightened points
        # down to K (n 125, Ac 1), minor 2.5 tightened Ac 3 (normal: n 80, Ac
        # 1 and Ac 5)
        job = self.ref("job_coating_screws")
        self.assertEqual(job.state, "in_process")
        plan = self.ref("sampling_plan_screw_coated")
        figures = ("code_letter", "sample_size", "n_major", "ac_major", "ac_minor")
        normal = plan._meddev_lot_values(job.product_qty, "normal")
        tightened = plan._meddev_lot_values(job.product_qty, "tightened")
        self.assertEqual([normal[f] for f in figures], ["J", 80, 80, 1, 5])
        self.assertEqual([tightened[f] for f in figures], ["J", 125, 125, 1, 3])

    def test_open_inspections_hold_their_lots(self):
        """The second CNC lot awaits the QC inspector; the EO-sterilized
        syringes await their EO residual and biological indicator results."""
        job = self.ref("job_cnc_screws_2")
        inspection = self.ref("inspection_cnc_screws_2")
        self.assertEqual(job.state, "returned")
        self.assertFalse(job.deviating)
        self.assertEqual(inspection.lot_id.name, "CZ-2612-0042")
        # 500 screws: H; minor 2.5 at H: n 50, Ac 3; major 0.65 points down
        # to J: n 80, Ac 1, the sample taken
        self.assertEqual(
            (inspection.lot_size, inspection.code_letter, inspection.sample_size),
            (500, "H", 80),
        )
        self.assertEqual(
            (inspection.n_minor, inspection.ac_minor, inspection.re_minor), (50, 3, 4)
        )
        self.assertEqual(
            (inspection.letter_major, inspection.n_major, inspection.ac_major),
            ("J", 80, 1),
        )
        self.assertEqual((inspection.meddev_state, inspection.state), ("todo", "ready"))
        self.assertFalse(inspection.signature_ids)
        self.assertTrue(inspection.meddev_holds)
        self.assertIn(inspection.name, job.release_blockers)
        with self.assertRaises(UserError):
            job.with_user(self.ref("user_qa_manager"))._meddev_sign(
                "release", DEMO_PASSWORD
            )
        self.assertEqual(job.state, "returned")
        eo = self.ref("inspection_eo_syringes")
        eo_job = self.ref("job_eo_syringes")
        self.assertEqual(eo.meddev_job_id, eo_job)
        self.assertEqual(eo.meddev_plan_id, self.ref("sampling_plan_syringe_sterile"))
        self.assertEqual(eo.lot_size, 50000)
        self.assertEqual(eo.inspection_level, "s3")
        self.assertEqual(eo.meddev_state, "todo")
        self.assertTrue(eo.meddev_holds)
        # held for both reasons: the cycle at 57 °C and the open inspection
        self.assertIn("out of the specification's limits", eo_job.release_blockers)
        self.assertIn(eo.name, eo_job.release_blockers)
        # nothing else is open: the demo's other lots were decided
        open_ = self.env["qc.inspection"].search([("meddev_state", "=", "todo")])
        self.assertEqual(open_, inspection | eo)

    def test_decided_inspections_signed_and_reviewed(self):
        """Every decided lot inspection of the demo was signed by a QC
        inspector and, where its plan asks for it, reviewed by another person;
        its decision is the one its counts give."""
        inspector_group = self.env.ref("meddev_base.group_meddev_qc_inspector")
        decided = self.env["qc.inspection"].search(
            [("meddev_state", "in", ("recorded", "accepted", "rejected"))]
        )
        self.assertEqual(len(decided), 4)
        for inspection in decided:
            author = self.signers(inspection, "record")
            self.assertEqual(author, inspection.meddev_inspector_id)
            self.assertIn(inspector_group, author.groups_id)
            self.assertFalse(inspection.signature_mismatch, inspection.name)
            if inspection.meddev_state == "recorded":
                continue
            self.assertEqual(
                inspection.meddev_state,
                "accepted" if inspection.meddev_decision == "accept" else "rejected",
            )
            if inspection.meddev_review_required:
                reviewer = self.signers(inspection, "review")
                self.assertEqual(reviewer, inspection.meddev_reviewer_id)
                self.assertNotEqual(reviewer, author)

    def test_every_switch_tells_its_history(self):
        """The severity of each supplier × product is where its history
        leads; each change made by a rule names the decided lot after which it
        was made; the lots since are the ones the rules count."""
        switches = self.env["meddev.sampling.switch"].search([])
        self.assertEqual(
            {(s.partner_id, s.product_id): s.severity for s in switches},
            {
                (
                    self.ref("partner_cnc_machining"),
                    self.ref("product_screw_machined"),
                ): "normal",
                (
                    self.ref("partner_coating"),
                    self.ref("product_screw_coated"),
                ): "tightened",
                (
                    self.ref("partner_eo_sterilizer"),
                    self.ref("product_syringe_sterile"),
                ): "normal",
            },
        )
        Inspection = self.env["qc.inspection"]
        for switch in switches:
            events = switch.event_ids.sorted("id")
            self.assertEqual(
                switch.severity, events[-1:].severity_to or "normal", switch.name
            )
            for event in events.filtered(lambda e: not e.user_id):
                self.assertIn(
                    event.inspection_id.meddev_state, ("accepted", "rejected")
                )
                self.assertEqual(
                    (
                        event.inspection_id.meddev_partner_id,
                        event.inspection_id.product_id,
                    ),
                    (switch.partner_id, switch.product_id),
                )
            for event in events.filtered("user_id"):
                action = {"reduced": "to_reduced", "normal": "to_normal"}.get(
                    event.severity_to, "resume"
                )
                self.assertIn(event.user_id, self.signers(switch, action))
            # the lots decided since the last change, A or R in order
            since = events[-1:].inspection_id.id or 0
            lots = Inspection.search(
                [
                    ("meddev_partner_id", "=", switch.partner_id.id),
                    ("product_id", "=", switch.product_id.id),
                    ("meddev_parent_id", "=", False),
                    ("meddev_state", "in", ("accepted", "rejected")),
                    ("id", ">", since),
                ],
                order="meddev_inspected_on, id",
            )
            if switch.severity == "normal":
                self.assertEqual(
                    switch.recent_results or "",
                    "".join("A" if i.meddev_state == "accepted" else "R" for i in lots),
                )
        cnc = switches.filtered(
            lambda s: s.partner_id == self.ref("partner_cnc_machining")
        )
        self.assertEqual(cnc.recent_results, "A")


@tagged("post_install", "-at_install")
class TestDemoQualityTour(DemoQualityMixin, HttpCase):
    def test_inspector_records_the_returned_lot_which_becomes_releasable(self):
        """In the web client, the demo QC inspector opens the inspection of
        the second returned CNC lot, enters the answers and a minor defect and
        signs the result with her password; reviewed by the QA engineer, the
        lot is accepted: the QA manager releases the job and the lot leaves
        quarantine."""
        job = self.ref("job_cnc_screws_2")
        inspection = self.ref("inspection_cnc_screws_2")
        inspector = self.ref("user_inspector")
        self.start_tour(
            "/web/login?redirect=/odoo/action-meddev_quality.meddev_inspection_action",
            "meddev_demo_quality_inspection",
            login=None,
        )
        self.assertEqual(inspection.meddev_state, "recorded")
        self.assertEqual(inspection.meddev_inspector_id, inspector)
        record = inspection.signature_ids
        self.assertEqual((record.action, record.signer_id), ("record", inspector))
        self.assertEqual(
            record.comment, "80 screws measured and checked; 1 minor burr."
        )
        answers = {
            line.name: line.quantitative_value or line.qualitative_value.name
            for line in inspection.inspection_lines
        }
        self.assertEqual(
            answers,
            {
                "Thread outer diameter": 4.49,
                "Length": 39.97,
                "Surface roughness Ra": 0.61,
                "Burrs (visual, 10×)": "Burrs found",
            },
        )
        burr = inspection.defect_ids
        self.assertEqual(
            (burr.defect_class, burr.quantity, burr.line_id.name, burr.create_uid),
            ("minor", 1, "Burrs (visual, 10×)", inspector),
        )
        # the burr is counted once, on its question
        self.assertEqual(
            (
                inspection.defects_critical,
                inspection.defects_major,
                inspection.defects_minor,
            ),
            (0, 0, 1),
        )
        self.assertEqual(inspection.meddev_decision, "accept")
        # signed but not yet reviewed: the lot is still held
        self.assertTrue(inspection.meddev_holds)
        manager = job.with_user(self.ref("user_qa_manager"))
        with self.assertRaises(UserError):
            manager._meddev_sign("release", DEMO_PASSWORD)
        # the plan asks for a QA engineer's review (复核)
        inspection.with_user(self.ref("user_qa_engineer"))._meddev_sign(
            "review", DEMO_PASSWORD, comment="Measurements and count checked."
        )
        self.assertEqual(inspection.meddev_state, "accepted")
        self.assertFalse(inspection.meddev_holds)
        self.assertFalse(inspection.signature_mismatch)
        job.invalidate_recordset(["release_blockers"])
        self.assertFalse(job.release_blockers)
        manager._meddev_sign("release", DEMO_PASSWORD, comment="Inspection accepted.")
        self.assertEqual(job.state, "released")
        self.env["meddev.demo.scenario"]._out_of_quarantine(job)
        self.assertEqual(self.quarantine_qty(job), 0)
        self.assertEqual(self.stock_qty(job), 500)
