"""The inspection analysis (lots inspected, accepted, rejected, rejection and
defect rates by supplier and product) and the defect analysis, from
inspections made by validating receipts and signed by the QC inspector."""

from odoo.tests import tagged

from .receipt_case import MeddevReceiptInspectionCase


@tagged("post_install", "-at_install")
class TestInspectionAnalysis(MeddevReceiptInspectionCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Partner = cls.env["res.partner"]
        cls.packager = Partner.create(
            {"name": "Dongguan Medpack Packaging", "is_company": True}
        )
        cls.other = Partner.create(
            {"name": "Shenzhen Sterile Pack Co.", "is_company": True}
        )
        cls.pouch = cls.lot_product()
        test = cls.inspection_test()
        for partner in (cls.packager, cls.other):
            cls.sampling_plan(cls.pouch, partner, test=test, review_required=False)

    def setUp(self):
        super().setUp()
        # the packager: one lot accepted with a minor defective, one rejected
        # (a critical defective) then re-inspected and accepted
        self.accepted = self.receive_lot(self.packager, self.pouch, 500, "PA-001")
        self.answer(self.accepted)
        self.add_defect(self.accepted, "Print smudge", defect_class="minor")
        self.sign_result(self.accepted)
        self.rejected = self.receive_lot(self.packager, self.pouch, 500, "PA-002")
        self.answer(self.rejected)
        self.add_defect(self.rejected, "Seal channel", defect_class="critical")
        self.sign_result(self.rejected)
        self.reinspect(self.rejected, "Second sample drawn")
        self.reinspection = self.rejected.meddev_reinspection_ids
        self.answer(self.reinspection)
        self.sign_result(self.reinspection)
        # the other supplier: one lot accepted, one still to inspect
        self.other_accepted = self.receive_lot(self.other, self.pouch, 500, "PB-001")
        self.answer(self.other_accepted)
        self.sign_result(self.other_accepted)
        self.other_todo = self.receive_lot(self.other, self.pouch, 500, "PB-002")

    def by_supplier(self, domain, role="qc_inspector"):
        Analysis = self.env["meddev.inspection.analysis"].with_user(self.users[role])
        groups = Analysis.read_group(
            [*domain, ("product_id", "=", self.pouch.id)],
            [
                "lot_count:sum",
                "decided_count:sum",
                "accepted_count:sum",
                "rejected_count:sum",
                "rejection_rate:avg",
                "sample_size:sum",
                "defective_units:sum",
                "defect_rate:avg",
            ],
            ["partner_id"],
        )
        return {group["partner_id"][0]: group for group in groups}

    def test_states_and_links(self):
        self.assertEqual(self.accepted.meddev_state, "accepted")
        self.assertEqual(self.rejected.meddev_state, "rejected")
        self.assertEqual(self.reinspection.meddev_state, "accepted")
        self.assertEqual(self.other_todo.meddev_state, "todo")

    def test_rates_of_the_original_inspections_by_supplier(self):
        groups = self.by_supplier([("reinspection", "=", False)])
        packager, other = groups[self.packager.id], groups[self.other.id]
        n = self.accepted.sample_size
        self.assertEqual(self.rejected.sample_size, n)
        self.assertEqual(
            (
                packager["lot_count"],
                packager["decided_count"],
                packager["accepted_count"],
                packager["rejected_count"],
                packager["rejection_rate"],
                packager["sample_size"],
                packager["defective_units"],
            ),
            (2, 2, 1, 1, 50.0, 2 * n, 2),
        )
        # the mean of the two lots' defect rates (1 of n each)
        self.assertAlmostEqual(packager["defect_rate"], 100.0 / n)
        # the lot still to inspect counts as inspected, not in the rates
        self.assertEqual(
            (
                other["lot_count"],
                other["decided_count"],
                other["rejected_count"],
                other["rejection_rate"],
                other["defect_rate"],
            ),
            (2, 1, 0, 0.0, 0.0),
        )

    def test_reinspections_apart(self):
        groups = self.by_supplier([("reinspection", "=", True)])
        self.assertEqual(list(groups), [self.packager.id])
        self.assertEqual(groups[self.packager.id]["accepted_count"], 1)
        everything = self.by_supplier([])
        self.assertEqual(everything[self.packager.id]["lot_count"], 3)
        self.assertAlmostEqual(everything[self.packager.id]["rejection_rate"], 100 / 3)

    def test_defects_by_class_supplier_and_product(self):
        Defect = self.env["meddev.inspection.defect"].with_user(
            self.users["qa_manager"]
        )
        groups = Defect.read_group(
            [("product_id", "=", self.pouch.id)],
            ["quantity:sum"],
            ["partner_id", "defect_class"],
            lazy=False,
        )
        self.assertEqual(
            {(g["partner_id"][0], g["defect_class"]): g["quantity"] for g in groups},
            {(self.packager.id, "minor"): 1, (self.packager.id, "critical"): 1},
        )

    def test_views_of_the_analysis(self):
        action = self.env.ref("meddev_quality.meddev_inspection_action")
        self.assertEqual(
            [view.view_mode for view in action.view_ids],
            ["list", "kanban", "form", "pivot", "graph"],
        )
        for model, action_xml_id in (
            ("qc.inspection", "meddev_quality.meddev_inspection_action"),
            (
                "meddev.inspection.analysis",
                "meddev_quality.meddev_inspection_analysis_action",
            ),
            (
                "meddev.inspection.defect",
                "meddev_quality.meddev_inspection_defect_analysis_action",
            ),
        ):
            action = self.env.ref(action_xml_id)
            views = [(view.view_id.id, view.view_mode) for view in action.view_ids] or [
                (False, mode) for mode in action.view_mode.split(",")
            ]
            for role in ("qc_inspector", "auditor", "qa_manager"):
                with self.subTest(model=model, role=role):
                    result = (
                        self.env[model]
                        .with_user(self.users[role])
                        .get_views([*views, (False, "search")])
                    )
                    self.assertIn("pivot", result["views"])
                    self.assertIn("graph", result["views"])
