from odoo import Command

from .common import PASSWORD, MeddevQualityCase


class MeddevNonconformanceCase(MeddevQualityCase):
    """A rejected syringe-barrel lot and its exception, and helpers to record
    exceptions and decide their dispositions as the roles."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.NC = cls.env["meddev.nonconformance"]
        cls.Disposition = cls.env["meddev.nonconformance.disposition"]
        cls.type_transport = cls.env.ref(
            "meddev_quality.nonconformance_type_transport_delay"
        )
        cls.type_material = cls.env.ref(
            "meddev_quality.nonconformance_type_material_lot"
        )
        cls.users["quality_director"].password = PASSWORD
        cls.users["quality_director"].groups_id |= cls.env.ref("stock.group_stock_user")
        cls.users["planner"].password = PASSWORD

    def rejected_lot(self, lot_name="BRL-NC-01", qty=1000):
        """A received lot rejected at inspection (3 major defects over Re 3);
        its exception, opened by the server."""
        picking = self.purchase_receipt({lot_name: qty})
        inspection = self.inspections_of(picking)
        self.answer(inspection)
        self.defect(inspection, "major", 3)
        self.sign_result(inspection)
        self.assertEqual(inspection.meddev_state, "rejected")
        return inspection.meddev_nonconformance_ids

    def confirm(self, nc, role="qa_engineer"):
        nc.with_user(self.users[role]).action_confirm()

    def propose(self, nc, disposition, qty, justification=None, role="qa_engineer"):
        return self.Disposition.with_user(self.users[role]).create(
            {
                "nonconformance_id": nc.id,
                "hold_id": nc.hold_ids[:1].id,
                "disposition": disposition,
                "quantity": qty,
                "justification": justification,
            }
        )

    def sign(self, record, action, role="qa_manager", comment=None):
        record.with_user(self.users[role])._meddev_sign(
            action, PASSWORD, comment=comment
        )

    def quantity_at(self, lot, location):
        quants = self.env["stock.quant"].search(
            [("lot_id", "=", lot.id), ("location_id", "child_of", location.id)]
        )
        return sum(quants.mapped("quantity"))

    def manual_exception(self, role="qc_inspector", **vals):
        values = {
            "type_id": self.type_transport.id,
            "description": "Sterile pouches arrived two days late",
            "location": "Dock 2",
        }
        values.update(vals)
        return self.NC.with_user(self.users[role]).create(values)

    def ship_to_stock(self, lot, qty):
        """An internal transfer of ``lot`` from stock to stock/shelf, as the
        warehouse user (the lot moves freely)."""
        stock = self.warehouse.lot_stock_id
        shelf = self.env["stock.location"].search(
            [("location_id", "=", stock.id)], limit=1
        ) or self.env["stock.location"].create(
            {"name": "Shelf 1", "location_id": stock.id, "usage": "internal"}
        )
        Picking = self.env["stock.picking"].with_user(self.users["warehouse"])
        picking = Picking.create(
            {
                "picking_type_id": self.warehouse.int_type_id.id,
                "location_id": stock.id,
                "location_dest_id": shelf.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "to the shelf",
                            "product_id": lot.product_id.id,
                            "product_uom_qty": qty,
                            "location_id": stock.id,
                            "location_dest_id": shelf.id,
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

    def reinspect(self, inspection, reason="After rework"):
        """A re-inspection, signed by the QA manager; the new inspection."""
        self.sign(inspection, "reinspect", comment=reason)
        return inspection.meddev_reinspection_ids
