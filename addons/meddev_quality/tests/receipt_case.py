from odoo import Command, fields

from odoo.addons.meddev_outsourcing.tests.common import PASSWORD, MeddevOutsourcingCase

__all__ = ["PASSWORD", "MeddevReceiptInspectionCase"]


class MeddevReceiptInspectionCase(MeddevOutsourcingCase):
    """Helpers for lot inspections made the real way: a sampling plan with
    its test (a measured seal width, a visual check), a purchase receipt of a
    lot validated (which makes the inspection), the answers and defects
    entered by the QC inspector, the result signed by the inspector and
    reviewed by a QA engineer. Nothing is set up until a helper is called."""

    @classmethod
    def inspection_test(cls):
        """A test: seal width 6.0 – 8.0 mm (major), visual check (minor)."""
        return cls.env["qc.test"].create(
            {
                "name": "Sterile barrier pouch incoming test",
                "test_lines": [
                    Command.create(
                        {
                            "name": "Seal width",
                            "type": "quantitative",
                            "min_value": 6.0,
                            "max_value": 8.0,
                            "uom_id": cls.env.ref("uom.product_uom_millimeter").id,
                            "meddev_defect_class": "major",
                        }
                    ),
                    Command.create(
                        {
                            "name": "Visual: print and seal free of defects",
                            "type": "qualitative",
                            "meddev_defect_class": "minor",
                            "ql_values": [
                                Command.create({"name": "Conforming", "ok": True}),
                                Command.create({"name": "Defective", "ok": False}),
                            ],
                        }
                    ),
                ],
            }
        )

    @classmethod
    def lot_product(cls, name="Sterile barrier pouch 150 × 250 mm"):
        return cls.env["product.product"].create(
            {"name": name, "is_storable": True, "tracking": "lot"}
        )

    @classmethod
    def sampling_plan(cls, product, partner, test=None, **vals):
        """A plan for ``product`` from ``partner``: level II, AQL 0 / 0.65 /
        2.5, reviewed by a second person (set up by a QA engineer)."""
        return (
            cls.env["meddev.sampling.plan"]
            .with_user(cls.users["qa_engineer"])
            .create(
                {
                    "name": f"{product.name} from {partner.name}",
                    "product_id": product.id,
                    "partner_id": partner.id,
                    "test_id": (test or cls.inspection_test()).id,
                    "inspection_level": "ii",
                    "aql_critical": "0",
                    "aql_major": "0.65",
                    "aql_minor": "2.5",
                    **vals,
                }
            )
        )

    @classmethod
    def receive_lot(cls, partner, product, qty, lot_name, done=None):
        """Confirm a purchase order of ``qty`` units and validate its receipt
        of lot ``lot_name`` (as the superuser: the buyer's and the
        warehouse's controls are tested in meddev_supplier); the inspection
        the receipt made. ``done``: the receipt's date done, if not now."""
        order = cls.env["purchase.order"].create(
            {
                "partner_id": partner.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": product.id,
                            "product_qty": qty,
                            "price_unit": 1.5,
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
        cls.env["stock.move.line"].create(
            {
                "move_id": move.id,
                "picking_id": picking.id,
                "product_id": product.id,
                "lot_name": lot_name,
                "quantity": qty,
                "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            }
        )
        move.picked = True
        picking.button_validate()
        if done:
            picking.date_done = done
        return cls.env["qc.inspection"].search(
            [("object_id", "=", f"stock.move,{move.id}")]
        )

    def answer(self, inspection, width=7.0, visual_ok=True, role="qc_inspector"):
        """The QC inspector answers the questions."""
        for line in inspection.with_user(self.users[role]).inspection_lines:
            if line.question_type == "quantitative":
                line.quantitative_value = width
            else:
                line.qualitative_value = line.possible_ql_values.filtered(
                    lambda value: value.ok == visual_ok
                )[:1]

    def add_defect(self, inspection, name, quantity=1, defect_class="major", line=None):
        return (
            self.env["meddev.inspection.defect"]
            .with_user(self.users["qc_inspector"])
            .create(
                {
                    "inspection_id": inspection.id,
                    "name": name,
                    "quantity": quantity,
                    "defect_class": defect_class,
                    "line_id": line.id if line else False,
                }
            )
        )

    def sign_result(self, inspection, comment=None):
        """Signed by the QC inspector, then (where the plan asks for it)
        reviewed and signed by the QA engineer."""
        inspection.with_user(self.users["qc_inspector"])._meddev_sign(
            "record", PASSWORD, comment=comment
        )
        if inspection.meddev_review_required:
            inspection.with_user(self.users["qa_engineer"])._meddev_sign(
                "review", PASSWORD, comment="Counts and answers checked"
            )
        return inspection

    def reinspect(self, inspection, reason):
        """A re-inspection, signed by the QA manager with ``reason`` (the
        rejected lot's exception confirmed first)."""
        inspection.meddev_nonconformance_ids.filtered(
            lambda nc: nc.state == "new"
        ).with_user(self.users["qa_engineer"]).action_confirm()
        inspection.with_user(self.users["qa_manager"])._meddev_sign(
            "reinspect", PASSWORD, comment=reason
        )
        return inspection.meddev_reinspection_ids
