from odoo import Command, fields

from odoo.addons.meddev_outsourcing.tests.common import PASSWORD, MeddevOutsourcingCase

__all__ = ["PASSWORD", "MeddevQualityCase"]


class MeddevQualityCase(MeddevOutsourcingCase):
    """The machined bone screw's return inspection plan at the CNC supplier
    (GB/T 2828.1 level II; critical 0, major 0.65, minor 2.5; second-person
    review) with its test (thread OD measured, burrs checked), and a purchased
    lot-tracked syringe barrel inspected on receipt (IQC) by category."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.Inspection = cls.env["qc.inspection"]
        cls.Plan = cls.env["meddev.sampling.plan"]
        mm = cls.env.ref("uom.product_uom_millimeter")
        cls.test = cls.env["qc.test"].create(
            {
                "name": "Bone screw return inspection",
                "test_lines": [
                    Command.create(
                        {
                            "name": "Thread outer diameter",
                            "type": "quantitative",
                            "min_value": 4.45,
                            "max_value": 4.55,
                            "uom_id": mm.id,
                            "meddev_defect_class": "major",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Burrs",
                            "type": "qualitative",
                            "meddev_defect_class": "minor",
                            "ql_values": [
                                Command.create({"name": "None", "ok": True}),
                                Command.create({"name": "Burrs found", "ok": False}),
                            ],
                        }
                    ),
                ],
            }
        )
        cls.plan = cls.Plan.create(
            {
                "name": "Bone screw return inspection",
                "product_id": cls.screw.id,
                "partner_id": cls.machining.id,
                "test_id": cls.test.id,
                "inspection_level": "ii",
                "aql_critical": "0",
                "aql_major": "0.65",
                "aql_minor": "2.5",
                "review_required": True,
            }
        )
        cls.barrel_categ = cls.env["product.category"].create(
            {"name": "Syringe components"}
        )
        cls.barrel = cls.env["product.product"].create(
            {
                "name": "Syringe barrel 5 ml",
                "is_storable": True,
                "tracking": "lot",
                "categ_id": cls.barrel_categ.id,
            }
        )
        cls.moulder = cls.env["res.partner"].create(
            {"name": "Ningbo Medical Moulding", "is_company": True}
        )
        cls.plan_barrel = cls.Plan.create(
            {
                "name": "Syringe components IQC",
                "categ_id": cls.barrel_categ.id,
                "test_id": cls.test.id,
                "inspection_level": "ii",
                "aql_critical": "0",
                "aql_major": "1.0",
                "aql_minor": "2.5",
                "review_required": False,
            }
        )
        for role in ("qc_inspector", "qa_engineer", "qa_manager", "warehouse"):
            cls.users[role].password = PASSWORD
        # the receiving clerk moves goods with Odoo's inventory rights
        cls.users["warehouse"].groups_id |= cls.env.ref("stock.group_stock_user")

    def purchase_receipt(self, lots, product=None, partner=None):
        """Confirm a purchase order and validate its receipt with ``lots``
        ({lot name: quantity}), as the superuser; the receipt."""
        product = product or self.barrel
        order = self.env["purchase.order"].create(
            {
                "partner_id": (partner or self.moulder).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": sum(lots.values()),
                            "price_unit": 0.3,
                            "date_planned": fields.Datetime.now(),
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": product.id,
                    "lot_name": name,
                    "quantity": qty,
                    "location_id": move.location_id.id,
                    "location_dest_id": move.location_dest_id.id,
                }
                for name, qty in lots.items()
            ]
        )
        move.picked = True
        picking.button_validate()
        return picking

    def purchase_receipt_redirected(self, lots):
        """A receipt whose destination the warehouse user sets back to stock
        before validating it (as the warehouse user)."""
        order = self.env["purchase.order"].create(
            {
                "partner_id": self.moulder.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.barrel.id,
                            "product_qty": sum(lots.values()),
                            "price_unit": 0.3,
                            "date_planned": fields.Datetime.now(),
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        picking = order.picking_ids.with_user(self.users["warehouse"])
        stock = self.warehouse.lot_stock_id
        picking.move_ids.write({"location_dest_id": stock.id})
        picking.location_dest_id = stock
        move = picking.move_ids
        move.move_line_ids.unlink()
        self.env["stock.move.line"].with_user(self.users["warehouse"]).create(
            [
                {
                    "move_id": move.id,
                    "picking_id": picking.id,
                    "product_id": self.barrel.id,
                    "lot_name": name,
                    "quantity": qty,
                    "location_id": move.location_id.id,
                    "location_dest_id": stock.id,
                }
                for name, qty in lots.items()
            ]
        )
        move.picked = True
        picking.button_validate()
        return picking

    def inspections_of(self, picking):
        return self.Inspection.search(
            [("object_id", "in", [f"stock.move,{m.id}" for m in picking.move_ids])],
            order="id",
        )

    def answer(self, inspection, od=4.50, burrs=True, role="qc_inspector"):
        lines = inspection.with_user(self.users[role]).inspection_lines
        for line in lines:
            if line.question_type == "quantitative":
                line.write({"quantitative_value": od, "uom_id": line.test_uom_id.id})
            else:
                value = line.possible_ql_values.filtered(lambda v: v.ok == burrs)
                line.qualitative_value = value

    def defect(self, inspection, klass, qty=1, role="qc_inspector"):
        return (
            self.env["meddev.inspection.defect"]
            .with_user(self.users[role])
            .create(
                {
                    "inspection_id": inspection.id,
                    "defect_class": klass,
                    "quantity": qty,
                    "name": f"{klass} defect",
                }
            )
        )

    def sign_result(self, inspection, role="qc_inspector", comment=None):
        inspection.with_user(self.users[role])._meddev_sign(
            "record", PASSWORD, comment=comment
        )

    def review(self, inspection, role="qa_engineer"):
        inspection.with_user(self.users[role])._meddev_sign("review", PASSWORD)

    def move_lot(self, lot, source, qty):
        """An internal transfer of ``lot`` from ``source`` to stock, validated
        as the warehouse user; the picking."""
        stock = self.warehouse.lot_stock_id
        Picking = self.env["stock.picking"].with_user(self.users["warehouse"])
        picking = Picking.create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": source.id,
                "location_dest_id": stock.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "out of quarantine",
                            "product_id": lot.product_id.id,
                            "product_uom_qty": qty,
                            "location_id": source.id,
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
