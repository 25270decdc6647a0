from odoo import Command, fields

from odoo.addons.meddev_supplier.tests.common import PASSWORD, MeddevSupplierCase

__all__ = ["PASSWORD", "MeddevOutsourcingCase"]


class MeddevOutsourcingCase(MeddevSupplierCase):
    """A lot-tracked machined bone screw subcontracted to the CNC machining
    supplier (risk class B, qualified) from a titanium blank, its effective
    process specification (thread OD, roughness; CoC required), and helpers
    to confirm the subcontracting purchase order and receive the lot."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        for role in ("planner", "qc_inspector"):
            cls.users[role].password = PASSWORD
        cls.Job = cls.env["meddev.outsourcing.job"]
        cls.Spec = cls.env["meddev.process.spec"]
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.env.company.id)], limit=1
        )
        Product = cls.env["product.product"]
        # components are sent to the supplier on order (Odoo's resupply route
        # pulls them through the make-to-order route, archived by default)
        cls.env.ref("stock.route_warehouse0_mto").active = True
        cls.resupply = cls.env.ref(
            "mrp_subcontracting.route_resupply_subcontractor_mto"
        )
        cls.blank = Product.create(
            {
                "name": "Ti-6Al-4V bar blank",
                "is_storable": True,
                "route_ids": [Command.set(cls.resupply.ids)],
            }
        )
        cls.screw = Product.create(
            {
                "name": "Cortical bone screw 4.5 mm (machined)",
                "is_storable": True,
                "tracking": "lot",
            }
        )
        cls.qualified(cls.machining, cls.scope_cnc, risk="B")
        cls.bom = cls.bom_for(cls.screw, cls.blank, cls.machining, cls.scope_cnc)
        cls.spec = cls.effective_spec(cls.screw, cls.scope_cnc, "PS-CNC-001")
        cls.env["stock.quant"]._update_available_quantity(
            cls.blank, cls.warehouse.lot_stock_id, 10000
        )

    @classmethod
    def bom_for(cls, product, component, supplier, scope):
        return cls.env["mrp.bom"].create(
            {
                "product_tmpl_id": product.product_tmpl_id.id,
                "type": "subcontract",
                "subcontractor_ids": [Command.set(supplier.ids)],
                "meddev_scope_id": scope.id,
                "bom_line_ids": [
                    Command.create({"product_id": component.id, "product_qty": 1})
                ],
            }
        )

    @classmethod
    def spec_values(cls, product, scope, code):
        return {
            "name": "Thread machining",
            "code": code,
            "product_tmpl_id": product.product_tmpl_id.id,
            "scope_id": scope.id,
            "parameter_ids": [
                Command.create(
                    {
                        "name": "Thread outer diameter",
                        "uom": "mm",
                        "has_lower": True,
                        "lower_limit": 4.45,
                        "has_upper": True,
                        "upper_limit": 4.55,
                    }
                ),
                Command.create(
                    {
                        "name": "Surface roughness Ra",
                        "uom": "µm",
                        "has_upper": True,
                        "upper_limit": 0.8,
                    }
                ),
            ],
            "document_ids": [
                Command.create({"name": "Certificate of Conformance", "code": "coc"})
            ],
        }

    @classmethod
    def effective_spec(cls, product, scope, code, **vals):
        spec = cls.Spec.with_user(cls.users["qa_engineer"]).create(
            {**cls.spec_values(product, scope, code), **vals}
        )
        spec.action_submit()
        spec.with_user(cls.users["qa_manager"])._meddev_sign("approve", PASSWORD)
        return spec

    @classmethod
    def confirm_po(cls, partner=None, product=None, qty=1000):
        """Confirm a subcontracting purchase order (as the superuser: the
        buyer's own controls are tested in meddev_supplier); its job."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": (partner or cls.machining).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": (product or cls.screw).id,
                            "product_qty": qty,
                            "price_unit": 12.0,
                            "date_planned": fields.Datetime.now(),
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        return cls.Job.search([("purchase_id", "=", order.id)])

    def release_to_supplier(self, job, role="planner"):
        job.with_user(self.users[role])._meddev_sign("release_to_supplier", PASSWORD)

    def at_supplier(self, job):
        """Released, acknowledged by the planner and in process."""
        self.release_to_supplier(job)
        job.with_user(self.users["planner"]).action_acknowledge()
        job.with_user(self.users["planner"]).action_start()

    def record(self, job, od="4.50", ra="0.6", role="planner"):
        Record = self.env["meddev.outsourcing.process.record"].with_user(
            self.users[role]
        )
        params = job.spec_id.parameter_ids.sorted("sequence")
        Record.create(
            [
                {
                    "job_id": job.id,
                    "parameter_id": params[0].id,
                    "value_entered": od,
                    "uom": "mm",
                },
                {
                    "job_id": job.id,
                    "parameter_id": params[1].id,
                    "value_entered": ra,
                    "uom": "µm",
                },
            ]
        )
        job.with_user(self.users[role])._meddev_sign("submit_record", PASSWORD)

    def attach_coc(self, job, role="planner"):
        self.env["meddev.outsourcing.job.document"].with_user(self.users[role]).create(
            {
                "job_id": job.id,
                "name": "CoC lot",
                "code": "coc",
                "datas": "Q29D",
                "filename": "coc.pdf",
            }
        )

    def receive(self, job, lot_name="SCR-2611-001", qty=None):
        """Validate the receipt of the job's goods (as the superuser: Odoo's
        subcontracting completes the order), with the lot."""
        picking = job.picking_id
        move = job.receipt_move_id
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": move.product_id.id,
                "lot_name": lot_name,
                "quantity": qty or move.product_uom_qty,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        result = picking.button_validate()
        if (
            isinstance(result, dict)
            and result.get("res_model") == "stock.backorder.confirmation"
        ):
            self.env["stock.backorder.confirmation"].with_context(
                **result["context"]
            ).create({}).process()
        return picking

    def released_lot_job(self):
        """A job whose lot came back complete and is ready to release."""
        job = self.confirm_po()
        self.at_supplier(job)
        self.record(job)
        self.attach_coc(job)
        self.receive(job)
        if job.first_article:
            job.with_user(self.users["qa_manager"])._meddev_sign(
                "accept_first_article", PASSWORD
            )
        return job

    def move_out_of_quarantine(self, job, qty):
        """An internal transfer of the job's goods from quarantine to stock,
        validated (as the superuser); the picking."""
        stock = self.warehouse.lot_stock_id
        picking = self.env["stock.picking"].create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": job.quarantine_location_id.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "out of quarantine",
                            "product_id": job.product_id.id,
                            "product_uom_qty": qty,
                            "location_id": job.quarantine_location_id.id,
                            "location_dest_id": stock.id,
                        }
                    )
                ],
            }
        )
        picking.action_confirm()
        picking.action_assign()
        picking.move_ids.picked = True
        picking.button_validate()
        return picking
