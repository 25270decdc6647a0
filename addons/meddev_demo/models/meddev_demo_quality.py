from odoo import Command, api, models

# the demo's lot inspection tests (OCA quality control questions): {xmlid:
# values}; each name is (English, 中文). A measured question is (name, defect
# class, unit xmlid, lower, upper); a checked one (name, defect class,
# [(answer, ok)]).
TESTS = {
    "qc_test_screw_machined": {
        "name": (
            "Machined bone screw Ø4.5 × 40 mm: return inspection",
            "Ø4.5 × 40 mm 骨螺钉机加工：回厂检验",
        ),
        "questions": [
            (
                ("Thread outer diameter", "螺纹外径"),
                "major",
                "uom.product_uom_millimeter",
                4.45,
                4.55,
            ),
            (("Length", "长度"), "major", "uom.product_uom_millimeter", 39.8, 40.2),
            (
                ("Surface roughness Ra", "表面粗糙度 Ra"),
                "major",
                "meddev_demo.uom_micrometre",
                0.0,
                0.8,
            ),
            (
                ("Burrs (visual, 10×)", "毛刺（10 倍目视）"),
                "minor",
                [(("None", "无"), True), (("Burrs found", "有毛刺"), False)],
            ),
        ],
    },
    "qc_test_screw_coated": {
        "name": (
            "HA-coated bone screw: return inspection",
            "HA 涂层骨螺钉：回厂检验",
        ),
        "questions": [
            (
                ("Coating thickness", "涂层厚度"),
                "major",
                "meddev_demo.uom_micrometre",
                50.0,
                80.0,
            ),
            # ≥ 15 MPa: the upper limit is the tensile tester's range
            (
                ("Adhesion strength (ASTM F1147)", "结合强度（ASTM F1147）"),
                "major",
                "meddev_demo.uom_mpa",
                15.0,
                100.0,
            ),
        ],
    },
    "qc_test_syringe_sterile": {
        "name": (
            "Sterile syringe 5 ml: inspection after EO sterilization",
            "5 ml 无菌注射器：环氧乙烷灭菌后检验",
        ),
        "questions": [
            (
                ("Residual ethylene oxide", "环氧乙烷残留量"),
                "critical",
                "meddev_demo.uom_microgram_per_gram",
                0.0,
                10.0,
            ),
            (
                ("Biological indicator (sterility)", "生物指示剂（无菌）"),
                "critical",
                [
                    (("Negative: no growth in 7 days", "阴性：7 天无生长"), True),
                    (("Positive: growth", "阳性：有生长"), False),
                ],
            ),
            (
                ("Seal integrity (visual)", "封口完整性（目视）"),
                "major",
                [
                    (("Intact", "完好"), True),
                    (("Channel or open seal", "有通道或未封合"), False),
                ],
            ),
        ],
    },
}

# the sampling plans (GB/T 2828.1): {xmlid: values}; aql: (critical, major,
# minor); partner None: any supplier
PLANS = {
    "sampling_plan_screw_machined": {
        "name": "Machined bone screws from the CNC shop 机加工骨螺钉回厂检验",
        "product": "product_screw_machined",
        "partner": "partner_cnc_machining",
        "test": "qc_test_screw_machined",
        "level": "ii",
        "aql": ("0", "0.65", "2.5"),
        "note": "Level II; reviewed by a QA engineer (复核).",
    },
    "sampling_plan_screw_coated": {
        "name": "HA-coated bone screws from the coater 涂层骨螺钉回厂检验",
        "product": "product_screw_coated",
        "partner": "partner_coating",
        "test": "qc_test_screw_coated",
        "level": "ii",
        "aql": ("0", "0.65", "2.5"),
        "note": "Adhesion tested on every lot while the coater is approved "
        "conditionally (有条件合格期间每批测结合强度).",
    },
    "sampling_plan_syringe_sterile": {
        "name": "Sterile syringes after EO sterilization 无菌注射器灭菌后检验",
        "product": "product_syringe_sterile",
        "partner": None,
        "test": "qc_test_syringe_sterile",
        # destructive tests (EO residual extraction, BI incubation)
        "level": "s3",
        "aql": ("0", "0.65", "2.5"),
        "note": "Special level S-3: the tests destroy the samples (破坏性检验).",
    },
}


class MeddevDemoScenario(models.AbstractModel):
    """The lot inspections of the demo (meddev_quality): the QA engineer's
    tests and sampling plans; the inspections made by the server when the
    returned lots are received, answered and signed by the QC inspector and
    reviewed by the QA engineer."""

    # one file per capability of the demo, like the outsourcing part
    _inherit = "meddev.demo.scenario"  # pylint: disable=consider-merging-classes-inherited

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _question_values(self, name, defect_class, *rest):
        values = {"name": name[0], "meddev_defect_class": defect_class}
        if len(rest) == 1:
            values["type"] = "qualitative"
            values["ql_values"] = [
                Command.create({"name": answer[0], "ok": ok}) for answer, ok in rest[0]
            ]
            return values
        uom, low, high = rest
        values.update(
            {
                "type": "quantitative",
                "uom_id": self.env.ref(uom).id,
                "min_value": low,
                "max_value": high,
            }
        )
        return values

    def _test_translations(self, test, values):
        self._translate(test, "name", values["name"])
        questions = test.test_lines.sorted(lambda q: (q.sequence, q.id))
        for question, line in zip(questions, values["questions"], strict=True):
            self._translate(question, "name", line[0])
            if len(line) == 3:
                answers = question.ql_values.sorted("id")
                for answer, (pair, _ok) in zip(answers, line[2], strict=True):
                    self._translate(answer, "name", pair)

    def _inspection_of(self, job):
        """The inspection the server made for the returned lot of ``job``."""
        return self.env["qc.inspection"].search(
            [("meddev_job_id", "=", job.id), ("meddev_parent_id", "=", False)]
        )

    def _inspect(self, inspection, answers, defects=(), comment=None):
        """The QC inspector enters the answers (in the order of the test's
        questions: a number, or whether the check passed) and the defective
        units found in the sample ([(class, units, what, question index)]),
        then signs the result."""
        inspection = inspection.with_user(self._user("inspector"))
        lines = inspection.inspection_lines.sorted(
            lambda line: (line.test_line.sequence, line.id)
        )
        for line, answer in zip(lines, answers, strict=True):
            if line.question_type == "quantitative":
                line.quantitative_value = answer
            else:
                line.qualitative_value = line.possible_ql_values.filtered(
                    lambda value, ok=answer: value.ok == ok
                )[:1]
        if defects:
            self.env["meddev.inspection.defect"].with_user(
                self._user("inspector")
            ).create(
                [
                    {
                        "inspection_id": inspection.id,
                        "defect_class": defect_class,
                        "quantity": units,
                        "name": what,
                        "line_id": lines[index].id if index is not None else False,
                    }
                    for defect_class, units, what, index in defects
                ]
            )
        self._sign(inspection, "record", comment=comment)

    def _review(self, inspection, comment=None):
        """The QA engineer reviews the inspector's signed result (复核)."""
        self._sign(
            inspection.with_user(self._user("qa_engineer")), "review", comment=comment
        )

    def _release_lot(self, job, comment):
        """The QA manager releases the returned lot by signature and the
        warehouse moves it out of quarantine."""
        self._sign(job.with_user(self._user("qa_manager")), "release", comment=comment)
        self._out_of_quarantine(job)

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------
    @api.model
    def _plan_inspections(self):
        """The QA engineer writes the tests (the questions, their limits and
        the defect class of a unit failing each) and the sampling plans."""
        engineer = self._user("qa_engineer")
        Test = self.env["qc.test"].with_user(engineer)
        for xmlid, values in TESTS.items():
            test = Test.create(
                {
                    "name": values["name"][0],
                    "test_lines": [
                        Command.create(
                            dict(self._question_values(*line), sequence=10 * index)
                        )
                        for index, line in enumerate(values["questions"], 1)
                    ],
                }
            )
            self._test_translations(test, values)
            self._xmlid(xmlid, test)
        Plan = self.env["meddev.sampling.plan"].with_user(engineer)
        for xmlid, values in PLANS.items():
            aql_critical, aql_major, aql_minor = values["aql"]
            plan = Plan.create(
                {
                    "name": values["name"],
                    "product_id": self.env.ref(f"meddev_demo.{values['product']}").id,
                    "partner_id": values["partner"]
                    and self.env.ref(f"meddev_demo.{values['partner']}").id,
                    "test_id": self.env.ref(f"meddev_demo.{values['test']}").id,
                    "inspection_level": values["level"],
                    "aql_critical": aql_critical,
                    "aql_major": aql_major,
                    "aql_minor": aql_minor,
                    "review_required": True,
                    "note": values["note"],
                }
            )
            self._xmlid(xmlid, plan)

    def _inspect_cnc_return(self, job):
        """The returned lot of 1 000 machined screws (code letter J, n = 80):
        measured and checked by the QC inspector, one screw with a burr
        (minor, Ac 5), accepted; reviewed by the QA engineer."""
        inspection = self._inspection_of(job)
        self._xmlid("inspection_cnc_screws", inspection)
        self._inspect(
            inspection,
            [4.51, 40.04, 0.52, False],
            [
                (
                    "minor",
                    1,
                    "Burr at the thread run-out, 1 screw (螺纹收尾处毛刺 1 件)",
                    3,
                )
            ],
            comment="80 screws measured and checked; 1 minor burr (Ac 5).",
        )
        self._review(inspection, comment="Sample size, measurements and count checked.")

    def _coat_first_lots(self):
        """The coater's first three lots: the first article accepted and
        released; the second rejected on coating thickness and rejected by the
        QA manager (returned to the coater); the third rejected on adhesion,
        awaiting disposition. Two of the coater's lots rejected: its lots are
        now inspected tightened (GB/T 2828.1 §9.3.2)."""
        first = self._coat_lot(
            "po_coating_first_lot", "job_coating_first_lot", ["62", "19.8"], "0301"
        )
        inspection = self._inspection_of(first)
        self._xmlid("inspection_coating_first_lot", inspection)
        self._inspect(
            inspection,
            [63.0, 19.5],
            comment="Thickness on 20 screws, adhesion on the lot's 5 test coupons.",
        )
        self._review(inspection, comment="Checked against the CoC.")
        manager = first.with_user(self._user("qa_manager"))
        self._sign(
            manager,
            "accept_first_article",
            comment="Thickness and adhesion in limits; cross-section of 3 screws "
            "reviewed (首件合格).",
        )
        self._release_lot(first, "Inspection accepted, record in limits, CoC on file.")

        thin = self._coat_lot(
            "po_coating_lot_2", "job_coating_lot_thickness", ["58", "18.2"], "0315"
        )
        inspection = self._inspection_of(thin)
        self._xmlid("inspection_coating_thickness", inspection)
        self._inspect(
            inspection,
            [47.0, 17.6],
            [
                (
                    "major",
                    2,
                    "Coating thickness 44–48 µm on 2 screws, below 50 µm "
                    "(涂层厚度不足 2 件)",
                    0,
                )
            ],
            comment="2 screws below 50 µm (Re 1): lot rejected.",
        )
        self._review(inspection, comment="Thickness re-measured on the 2 screws.")
        self._sign(
            thin.with_user(self._user("qa_manager")),
            "reject",
            comment="Coating too thin: lot returned to the coater for stripping and "
            "re-coating (退回供方剥离重涂).",
        )

        weak = self._coat_lot(
            "po_coating_lot_3", "job_coating_lot_adhesion", ["65", "16.1"], "0329"
        )
        inspection = self._inspection_of(weak)
        self._xmlid("inspection_coating_adhesion", inspection)
        self._inspect(
            inspection,
            [66.0, 12.4],
            [
                (
                    "major",
                    3,
                    "Coating delaminated at 11.8–13.1 MPa in the tensile adhesion "
                    "test, 3 coupons (结合强度不足，涂层剥离 3 件)",
                    1,
                )
            ],
            comment="Adhesion below 15 MPa on 3 coupons (Re 1): lot rejected.",
        )
        self._review(inspection, comment="Tensile test report TT-2611-0329 checked.")

    def _coat_lot(self, order, xmlid, record, number):
        """A lot of machined screws coated by the conditional coater: released
        to it, its record entered from the CoC and signed by the QC inspector,
        the coated lot received into quarantine; the job."""
        job = self._confirm(order)
        self._xmlid(xmlid, job)
        self._release_to_supplier(job)
        self._ship_material(job)
        self._at_supplier(job)
        self._record(job, record, "inspector", [("coc", f"CoC BT-2611-{number}")])
        self._receive(job, f"HA-2611-{number}")
        return job

    def _machine_second_lot(self):
        """A second order of 500 machined screws, returned with its record in
        limits and the CoC: its lot inspection awaits the QC inspector."""
        job = self._confirm("po_cnc_machining_2")
        self._xmlid("job_cnc_screws_2", job)
        self._release_to_supplier(job)
        self._ship_material(job)
        self._at_supplier(job)
        self._record(job, ["4.49", "0.61"], "inspector", [("coc", "CoC CZ-2612-0042")])
        self._receive(job, "CZ-2612-0042")
        self._xmlid("inspection_cnc_screws_2", self._inspection_of(job))
