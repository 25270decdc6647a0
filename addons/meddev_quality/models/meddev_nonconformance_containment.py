from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevNonconformance(models.Model):
    """Containment and disposition of an exception's lots: held at once, in
    quarantine, until the MRB has signed a disposition for every quantity."""

    _inherit = "meddev.nonconformance"  # pylint: disable=consider-merging-classes-inherited

    hold_ids = fields.One2many(
        "meddev.nonconformance.hold", "nonconformance_id", string="Holds"
    )
    disposition_ids = fields.One2many(
        "meddev.nonconformance.disposition",
        "nonconformance_id",
        string="Dispositions",
    )
    holds_active = fields.Boolean(
        string="Lots Held",
        compute="_compute_holds_active",
        store=True,
        precompute=True,
        index=True,
    )

    @api.depends("hold_ids.state")
    def _compute_holds_active(self):
        for record in self:
            record.holds_active = any(h.state == "held" for h in record.hold_ids)

    def write(self, vals):
        if "lot_ids" in vals:
            before = {record: record.lot_ids for record in self}
        result = super().write(vals)
        if "lot_ids" in vals:
            for record, lots in before.items():
                record._meddev_check_lots_kept(lots)
            self._meddev_contain()
        return result

    def _meddev_check_lots_kept(self, lots_before):
        removed = lots_before - self.lot_ids
        held = self.hold_ids.filtered(
            lambda hold: hold.state == "held" and hold.lot_id in removed
        )
        if held:
            raise UserError(
                self.env._(
                    "%(lots)s is held by %(record)s: it stays on the exception "
                    "until its quantity is dispositioned.",
                    lots=", ".join(held.lot_id.mapped("name")),
                    record=self.name,
                )
            )

    def _meddev_contain(self):
        """Hold the lots not yet held: their quantity on hand outside
        quarantine is moved into it at once."""
        super()._meddev_contain()
        todo = [
            (record, lot)
            for record in self.filtered(lambda r: r.state in ("new", "open"))
            for lot in record.lot_ids - record.hold_ids.lot_id
        ]
        if not todo:
            return
        # the server contains the lots for whoever records the exception
        quants = self._meddev_lot_quants([lot for _r, lot in todo]).sudo()
        quants._meddev_move_to_quarantine()
        self.env["meddev.nonconformance.hold"].sudo().create(
            [
                {
                    "nonconformance_id": record.id,
                    "product_id": lot.product_id.id,
                    "lot_id": lot.id,
                }
                for record, lot in todo
            ]
        )

    def _meddev_lot_quants(self, lots):
        lot_ids = [lot.id for lot in lots]
        # the contained quantity is the stock's, whatever the reporter reads
        return (
            self.env["stock.quant"]
            .sudo()
            .search(
                [
                    ("lot_id", "in", lot_ids),
                    ("location_id.usage", "=", "internal"),
                    ("quantity", ">", 0),
                ]
            )
        )

    def _meddev_close_problems(self):
        problems = super()._meddev_close_problems()
        for hold in self.hold_ids.filtered(lambda h: h.state == "held"):
            problems.append(
                self.env._(
                    "%(lot)s: %(pending)s %(unit)s still to disposition, or a "
                    "disposition not yet done",
                    lot=hold.lot_id.name,
                    pending=hold.qty_pending,
                    unit=hold.uom_id.name,
                )
            )
        return problems

    def _meddev_on_cancel(self):
        result = super()._meddev_on_cancel()
        running = self.disposition_ids.filtered(lambda d: d.state == "approved")
        if running:
            raise UserError(
                self.env._(
                    "%(dispositions)s is approved and being carried out: the "
                    "exception cannot be cancelled.",
                    dispositions=", ".join(running.mapped("display_name")),
                )
            )
        self.hold_ids.filtered(lambda h: h.state == "held")._meddev_release()
        # the proposals fall with the exception, cancelled by the QA
        # manager's signed step
        self.disposition_ids.filtered(lambda d: d.state == "draft").sudo().write(
            {"state": "cancel"}
        )
        return result
