import base64

from odoo import Command, api, models

# the process specifications of the demo's outsourced processes: {xmlid:
# values}; each name, step and parameter is (English, 中文). Parameters:
# (step, name, unit, lower, upper) for numeric ones, None limits where there
# is none; (step, name, None, "pass_fail") for a pass/fail result.
SPECS = {
    "spec_cnc_screw": {
        "code": "PS-CNC-BS4540",
        "name": ("Machining of cortical bone screw Ø4.5", "Ø4.5 皮质骨螺钉机加工"),
        "product": "product_screw_machined_product_template",
        "scope": "meddev_supplier.scope_cnc_machining",
        "parameters": [
            (
                ("Final inspection", "终检"),
                ("Thread outer diameter", "螺纹外径"),
                "mm",
                4.45,
                4.55,
            ),
            (
                ("Final inspection", "终检"),
                ("Surface roughness Ra", "表面粗糙度 Ra"),
                "µm",
                None,
                0.8,
            ),
        ],
        "documents": [("coc", ("Certificate of Conformance", "合格证"))],
    },
    "spec_coating_screw": {
        "code": "PS-HA-BS4540",
        "name": ("HA plasma spray coating of bone screws", "骨螺钉 HA 等离子喷涂"),
        "product": "product_screw_coated_product_template",
        "scope": "meddev_supplier.scope_coating",
        "parameters": [
            (("Coating", "涂层"), ("Coating thickness", "涂层厚度"), "µm", 50, 80),
            (("Coating", "涂层"), ("Adhesion strength", "结合强度"), "MPa", 15, None),
        ],
        "documents": [("coc", ("Certificate of Conformance", "合格证"))],
    },
    "spec_eo_syringe": {
        "code": "PS-EO-SY05",
        "name": ("EO sterilization of 5 ml syringes", "5 ml 注射器环氧乙烷灭菌"),
        "product": "product_syringe_sterile_product_template",
        "scope": "meddev_supplier.scope_eo_sterilization",
        "parameters": [
            (
                ("Preconditioning", "预处理"),
                ("Preconditioning temperature", "预处理温度"),
                "°C",
                40,
                50,
            ),
            (
                ("Preconditioning", "预处理"),
                ("Preconditioning humidity", "预处理相对湿度"),
                "%RH",
                50,
                80,
            ),
            (
                ("Preconditioning", "预处理"),
                ("Preconditioning time", "预处理时间"),
                "h",
                12,
                24,
            ),
            (("Exposure", "灭菌"), ("Exposure temperature", "灭菌温度"), "°C", 45, 55),
            (("Exposure", "灭菌"), ("EO concentration", "EO 浓度"), "mg/L", 450, 800),
            (("Exposure", "灭菌"), ("Exposure time", "灭菌作用时间"), "h", 2, 8),
            (("Aeration", "解析"), ("Aeration time", "解析时间"), "d", 7, 14),
            (
                ("Release", "放行"),
                ("Biological indicator", "生物指示剂"),
                None,
                "pass_fail",
            ),
        ],
        "documents": [
            ("coc", ("Certificate of Conformance", "合格证")),
            ("sterilization_certificate", ("Sterilization certificate", "灭菌证书")),
        ],
    },
}

# the values of the process records, in the order of the parameters
CNC_RECORD = ["4.51", "0.52"]
COATING_RECORD = ["64", "21.5"]
# the sterilizer's cycle 2611-087: exposure at 57 °C, above 45–55 °C
EO_RECORD_DEVIATING = ["45", "62", "18", "57", "600", "6", "10", "pass"]


class MeddevDemoScenario(models.AbstractModel):
    """The outsourcing jobs of the demo: process specifications made
    effective, and jobs of confirmed subcontracting orders brought to their
    states by the demo users (and the sterilizer's portal user)."""

    _inherit = "meddev.demo.scenario"

    @api.model
    def _outsource(self):
        """After the process specifications (``_make_specs_effective``), the
        sampling plans (``_plan_inspections``, models/meddev_demo_quality.py)
        and the CNC order (``_confirm_orders``)."""
        self._qualify_backup_sterilizer()
        self._machine_screws()
        self._coat_first_lots()
        self._coat_screws()
        self._sterilize_syringes()
        self._sterilize_at_backup()
        self._machine_second_lot()

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    def _xmlid(self, xmlid, record):
        self.env["ir.model.data"]._update_xmlids(
            [{"xml_id": f"meddev_demo.{xmlid}", "record": record, "noupdate": True}]
        )

    def _translate(self, record, field, pair):
        """The Chinese of a translatable field, where Chinese is installed."""
        if self.env["res.lang"]._lang_get("zh_CN"):
            record.update_field_translations(field, {"zh_CN": pair[1]})

    def _parameter_values(self, step, name, uom, *limits):
        if limits == ("pass_fail",):
            return {"step": step[0], "name": name[0], "value_type": "pass_fail"}
        low, high = limits
        return {
            "step": step[0],
            "name": name[0],
            "uom": uom,
            "has_lower": low is not None,
            "lower_limit": low or 0.0,
            "has_upper": high is not None,
            "upper_limit": high or 0.0,
        }

    def _spec_values(self, values):
        return {
            "code": values["code"],
            "name": values["name"][0],
            "product_tmpl_id": self.env.ref(f"meddev_demo.{values['product']}").id,
            "scope_id": self.env.ref(values["scope"]).id,
            "parameter_ids": [
                Command.create(dict(self._parameter_values(*line), sequence=10 * index))
                for index, line in enumerate(values["parameters"], 1)
            ],
            "document_ids": [
                Command.create({"code": code, "name": name[0]})
                for code, name in values["documents"]
            ],
        }

    def _spec_translations(self, spec, values):
        self._translate(spec, "name", values["name"])
        lines = values["parameters"]
        for parameter, line in zip(spec.parameter_ids, lines, strict=True):
            self._translate(parameter, "step", line[0])
            self._translate(parameter, "name", line[1])
        documents = values["documents"]
        for document, (_code, name) in zip(spec.document_ids, documents, strict=True):
            self._translate(document, "name", name)

    def _confirm(self, xmlid):
        """The buyer confirms a subcontracting order; its outsourcing job."""
        return self._confirm_order(self.env.ref(f"meddev_demo.{xmlid}"))

    def _confirm_order(self, order):
        """The buyer confirms ``order``; its outsourcing job."""
        order.with_user(self._user("buyer")).button_confirm()
        return self.env["meddev.outsourcing.job"].search(
            [("purchase_id", "=", order.id)]
        )

    def _release_to_supplier(self, job):
        """Class A: the planner asks for the approval tiers, the QA engineer
        then the QA manager approve (OCA base_tier_validation), then the
        planner signs the release to the supplier."""
        job.with_user(self._user("planner")).request_validation()
        job.with_user(self._user("qa_engineer")).validate_tier()
        job.with_user(self._user("qa_manager")).validate_tier()
        # each step is a request of its own in use: base_tier_validation's
        # need_validation (no dependencies) is computed afresh, as it would be
        job.invalidate_recordset(["need_validation"])
        self._sign(
            job.with_user(self._user("planner")),
            "release_to_supplier",
            comment="Specification and material checked; tiers approved.",
        )

    def _ship_material(self, job):
        """The warehouse ships the components to the supplier."""
        pickings = job.resupply_picking_ids.filtered(
            lambda picking: picking.state not in ("done", "cancel")
        ).with_user(self._user("warehouse"))
        if not pickings:
            return
        pickings.action_assign()
        for move in pickings.move_ids:
            move.picked = True
        pickings.button_validate()

    def _at_supplier(self, job, login="planner"):
        """Acknowledged and started: by the supplier's portal user where it has
        one, else by the planner for the supplier (on its phone call)."""
        job = job.with_user(self._user(login))
        job.action_acknowledge()
        job.action_start()

    def _record(self, job, values, login, documents):
        """``login`` enters the process record, attaches the supplier's
        documents (``documents``: [(code, name)]) and signs the record."""
        user = self._user(login)
        self._enter_values(job, values, user)
        self.env["meddev.outsourcing.job.document"].with_user(user).create(
            [
                {
                    "job_id": job.id,
                    "code": code,
                    "name": name,
                    "filename": f"{job.name.replace('/', '-')}-{code}.pdf",
                    "datas": base64.b64encode(f"{name} {job.name}".encode()),
                }
                for code, name in documents
            ]
        )
        self._sign(job.with_user(user), "submit_record")

    def _enter_values(self, job, values, user):
        """``user`` enters the values of the job's process record."""
        parameters = job.spec_id.parameter_ids.sorted("sequence")
        self.env["meddev.outsourcing.process.record"].with_user(user).create(
            [
                {
                    "job_id": job.id,
                    "parameter_id": parameter.id,
                    "value_entered": value,
                    "uom": parameter.uom or False,
                }
                for parameter, value in zip(parameters, values, strict=True)
            ]
        )

    def _receive(self, job, lot_name):
        """The receiving clerk validates the receipt of the returned lot (into
        quarantine), in the clerk's language as the web client would: the
        lot inspection the server makes copies the test's questions in it."""
        clerk = self._user("warehouse")
        picking = job.picking_id.with_user(clerk).with_context(lang=clerk.lang)
        move = job.receipt_move_id.with_user(clerk).with_context(lang=clerk.lang)
        move.move_line_ids.unlink()
        move.move_line_ids = [
            Command.create(
                {
                    "product_id": move.product_id.id,
                    "lot_name": lot_name,
                    "quantity": move.product_uom_qty,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                    "picking_id": picking.id,
                }
            )
        ]
        move.picked = True
        picking.button_validate()

    def _out_of_quarantine(self, job):
        """The warehouse moves a released lot from quarantine to stock."""
        warehouse = job.picking_id.picking_type_id.warehouse_id
        picking = (
            self.env["stock.picking"]
            .with_user(self._user("warehouse"))
            .create(
                {
                    "picking_type_id": warehouse.int_type_id.id,
                    "location_id": job.quarantine_location_id.id,
                    "location_dest_id": warehouse.lot_stock_id.id,
                    "origin": job.name,
                    "move_ids": [
                        Command.create(
                            {
                                "name": job.name,
                                "product_id": job.product_id.id,
                                "product_uom_qty": job.qty_returned,
                                "location_id": job.quarantine_location_id.id,
                                "location_dest_id": warehouse.lot_stock_id.id,
                            }
                        )
                    ],
                }
            )
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()

    # ------------------------------------------------------------------
    # steps
    # ------------------------------------------------------------------
    def _make_specs_effective(self):
        """The QA engineer writes and submits each process specification; the
        QA manager makes it effective by signature."""
        Spec = self.env["meddev.process.spec"].with_user(self._user("qa_engineer"))
        for xmlid, values in SPECS.items():
            spec = Spec.create(self._spec_values(values))
            self._spec_translations(spec, values)
            spec.action_submit()
            self._sign(
                spec.with_user(self._user("qa_manager")),
                "approve",
                comment="Parameters agree with the validation report.",
            )
            self._xmlid(xmlid, spec)

    def _qualify_backup_sterilizer(self):
        self._sign(
            self._as("qualification_puremed_sterilization", "qa_manager"),
            "approve",
            comment="Qualified as back-up EO sterilizer for the syringe family; "
            "first job as first article (首件).",
        )

    def _machine_screws(self):
        """The CNC job of the demo's confirmed order: machined, recorded at
        incoming inspection, its lot inspection accepted (signed by the QC
        inspector, reviewed by the QA engineer), first article accepted and
        the lot released by the QA manager, then moved to stock."""
        order = self.env.ref("meddev_demo.po_cnc_machining_1")
        job = self.env["meddev.outsourcing.job"].search(
            [("purchase_id", "=", order.id)]
        )
        self._xmlid("job_cnc_screws", job)
        self._release_to_supplier(job)
        self._ship_material(job)
        self._at_supplier(job)
        self._record(
            job,
            CNC_RECORD,
            "inspector",
            [("coc", "CoC CZ-2611-1187")],
        )
        self._receive(job, "CZ-2611-1187")
        # the release waits for the accepted lot inspection (meddev_quality)
        self._inspect_cnc_return(job)
        manager = job.with_user(self._user("qa_manager"))
        self._sign(
            manager, "accept_first_article", comment="Thread gauge and Ra on 5 pcs."
        )
        self._release_lot(
            job, "Inspection accepted and reviewed, record in limits, CoC on file."
        )

    def _coat_screws(self):
        """The coating job of 600 machined screws at the conditional coater,
        after its first three lots (``_coat_first_lots``): in process, its
        measurements entered; its lot will be inspected tightened."""
        job = self._confirm("po_coating_1")
        self._xmlid("job_coating_screws", job)
        self._release_to_supplier(job)
        self._ship_material(job)
        self._at_supplier(job)
        # the coater's measurements, phoned in to the planner: not yet
        # submitted (the CoC comes with the lot)
        self._enter_values(job, COATING_RECORD, self._user("planner"))

    def _sterilize_syringes(self):
        """The EO job of syringes: the sterilizer's quality manager records a
        cycle at 57 °C on the portal; the lot came back and is not
        releasable. Its lot inspection awaits the EO residual and the
        biological indicator's 7 days of incubation."""
        job = self._confirm("po_eo_sterilization_1")
        self._xmlid("job_eo_syringes", job)
        self._release_to_supplier(job)
        self._ship_material(job)
        self._at_supplier(job, "supplier_eo")
        self._record(
            job,
            EO_RECORD_DEVIATING,
            "supplier_eo",
            [
                ("coc", "CoC cycle 2611-087"),
                ("sterilization_certificate", "Sterilization certificate 2611-087"),
            ],
        )
        self._receive(job, "SY-2611-087")
        self._xmlid("inspection_eo_syringes", self._inspection_of(job))

    def _sterilize_at_backup(self):
        """The back-up sterilizer's first job: released to it as a first
        article."""
        job = self._confirm("po_puremed_sterilization_1")
        self._xmlid("job_puremed_syringes", job)
        self._release_to_supplier(job)
