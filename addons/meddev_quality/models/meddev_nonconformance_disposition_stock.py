from collections import defaultdict

from odoo import models
from odoo.exceptions import UserError


class MeddevNonconformanceDisposition(models.Model):
    """How an approved disposition is carried out in stock: only from the
    lot's quantity in quarantine, through Odoo's own operations."""

    _inherit = "meddev.nonconformance.disposition"

    def _meddev_quarantine_quantities(self):
        """{location: quantity} of the lot in quarantine, up to the
        disposition's quantity (oldest first)."""
        self.ensure_one()
        quants = self.env["stock.quant"].search(
            [
                ("lot_id", "=", self.lot_id.id),
                ("product_id", "=", self.product_id.id),
                ("location_id.usage", "=", "internal"),
                ("location_id.meddev_quarantine", "=", True),
                ("quantity", ">", 0),
            ],
            order="in_date, id",
        )
        left, taken = self.quantity, defaultdict(float)
        for quant in quants:
            qty = min(left, quant.quantity - max(quant.reserved_quantity, 0))
            if qty <= 0:
                continue
            taken[quant.location_id] += qty
            left -= qty
            if left <= 0:
                break
        if left > self.uom_id.rounding:
            raise UserError(
                self.env._(
                    "%(lot)s: only %(qty)s %(unit)s are free in quarantine for "
                    "this disposition.",
                    lot=self.lot_id.name,
                    qty=self.quantity - left,
                    unit=self.uom_id.name,
                )
            )
        return taken

    def _meddev_move_values(self, location, destination, qty, picking=False):
        return {
            "name": self.nonconformance_id.name,
            "origin": self.nonconformance_id.name,
            "product_id": self.product_id.id,
            "product_uom": self.uom_id.id,
            "product_uom_qty": qty,
            "location_id": location.id,
            "location_dest_id": destination.id,
            "company_id": self.company_id.id,
            "picking_id": picking.id if picking else False,
            "picking_type_id": picking.picking_type_id.id if picking else False,
            "partner_id": picking.partner_id.id if picking else False,
            "meddev_disposition_id": self.id,
        }

    def _meddev_make_moves(self, destination_of, picking_of=None):
        """One move per quarantine location, its line on the held lot."""
        moves = self.env["stock.move"]
        for location, qty in self._meddev_quarantine_quantities().items():
            picking = picking_of(location) if picking_of else False
            move = moves.create(
                self._meddev_move_values(
                    location, destination_of(location), qty, picking
                )
            )
            move._action_confirm()
            # a transfer type that reserves at confirmation took any lot of
            # the product: the held lot's own line replaces that reservation
            move.move_line_ids.unlink()
            self.env["stock.move.line"].create(
                {
                    "move_id": move.id,
                    "product_id": self.product_id.id,
                    "product_uom_id": self.uom_id.id,
                    "lot_id": self.lot_id.id,
                    "quantity": qty,
                    "location_id": location.id,
                    "location_dest_id": move.location_dest_id.id,
                    "picking_id": move.picking_id.id,
                    "company_id": self.company_id.id,
                }
            )
            moves |= move
        return moves

    def _meddev_done_at_once(self, moves):
        moves.picked = True
        moves._action_done()

    def _meddev_execute_use_as_is(self):
        moves = self._meddev_make_moves(
            lambda location: location.warehouse_id.lot_stock_id
        )
        self._meddev_done_at_once(moves)

    def _meddev_execute_concession(self):
        self._meddev_execute_use_as_is()

    def _meddev_execute_scrap(self):
        Scrap = self.env["stock.scrap"]
        for location, qty in self._meddev_quarantine_quantities().items():
            scrap = Scrap.create(
                {
                    "product_id": self.product_id.id,
                    "product_uom_id": self.uom_id.id,
                    "lot_id": self.lot_id.id,
                    "scrap_qty": qty,
                    "location_id": location.id,
                    "company_id": self.company_id.id,
                    "origin": self.nonconformance_id.name,
                    "meddev_disposition_id": self.id,
                }
            )
            scrap.do_scrap()

    def _meddev_picking(self, location, picking_type, destination, partner):
        return self.env["stock.picking"].create(
            {
                "picking_type_id": picking_type.id,
                "location_id": location.id,
                "location_dest_id": destination.id,
                "partner_id": partner.id,
                "origin": self.nonconformance_id.name,
                "company_id": self.company_id.id,
            }
        )

    def _meddev_execute_return(self):
        """A transfer back to the supplier, validated by the warehouse."""
        supplier = self.nonconformance_id.partner_id
        if not supplier:
            raise UserError(
                self.env._(
                    "%(record)s names no supplier to return the lot to.",
                    record=self.nonconformance_id.name,
                )
            )
        taken = self._meddev_quarantine_quantities()
        origin = self._meddev_receipt_move(supplier)
        if origin and len(taken) == 1:
            self._meddev_return_receipt(origin, *next(iter(taken.items())))
            return
        destination = supplier.property_stock_supplier
        pickings = {}

        def picking_of(location):
            warehouse = location.warehouse_id
            if location not in pickings:
                pickings[location] = self._meddev_picking(
                    location, warehouse.out_type_id, destination, supplier
                )
            return pickings[location]

        self._meddev_make_moves(lambda location: destination, picking_of)
        self._meddev_link_picking(pickings)

    def _meddev_receipt_move(self, supplier):
        """The done receipt move that brought the held lot from ``supplier``,
        if any (the latest)."""
        line = self.env["stock.move.line"].search(
            [
                ("lot_id", "=", self.lot_id.id),
                ("state", "=", "done"),
                ("location_id.usage", "=", "supplier"),
                ("picking_id.partner_id", "child_of", supplier.id),
            ],
            order="id desc",
            limit=1,
        )
        return line.move_id

    def _meddev_return_receipt(self, origin, location, qty):
        """Odoo's return of the receipt ``origin`` (the purchase's received
        quantity goes down), from the quarantine ``location``, on the held
        lot."""
        wizard = (
            self.env["stock.return.picking"]
            .with_context(active_id=origin.picking_id.id, active_model="stock.picking")
            .create({"picking_id": origin.picking_id.id})
        )
        wizard.product_return_moves.filtered(lambda line: line.move_id == origin).write(
            {"quantity": qty, "to_refund": True}
        )
        picking = wizard._create_return()
        picking.do_unreserve()
        picking.write({"location_id": location.id})
        picking.move_ids.write(
            {"location_id": location.id, "meddev_disposition_id": self.id}
        )
        self.env["stock.move.line"].create(
            {
                "move_id": picking.move_ids.id,
                "product_id": self.product_id.id,
                "product_uom_id": self.uom_id.id,
                "lot_id": self.lot_id.id,
                "quantity": qty,
                "location_id": location.id,
                "location_dest_id": picking.move_ids.location_dest_id.id,
                "picking_id": picking.id,
                "company_id": self.company_id.id,
            }
        )
        self._meddev_link_picking({location: picking})

    def _meddev_execute_rework(self):
        """A transfer to the rework area (in quarantine), validated when the
        goods are taken there; the reworked quantity comes back to the hold
        for its next decision."""
        pickings = {}

        def picking_of(location):
            warehouse = location.warehouse_id
            if location not in pickings:
                pickings[location] = self._meddev_picking(
                    location,
                    warehouse.int_type_id,
                    warehouse._meddev_rework_location(),
                    self.env["res.partner"],
                )
            return pickings[location]

        self._meddev_make_moves(
            lambda location: location.warehouse_id._meddev_rework_location(),
            picking_of,
        )
        self._meddev_link_picking(pickings)

    def _meddev_link_picking(self, pickings):
        if pickings:
            self._meddev_server_write({"picking_id": next(iter(pickings.values())).id})

    def _meddev_expected_destination(self, location):
        """Whether ``location`` is where this disposition sends the goods."""
        self.ensure_one()
        if self.disposition in ("use_as_is", "concession"):
            return location.usage == "internal" and not location.meddev_quarantine
        if self.disposition == "scrap":
            return location.usage == "inventory" and location.scrap_location
        if self.disposition == "return":
            return location.usage == "supplier"
        return location.meddev_quarantine
