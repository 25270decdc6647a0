from odoo import models


class StockMove(models.Model):
    """The approved supplier list is checked where a receipt's goods enter
    stock: ``_action_done``, which validating a receipt (with or without the
    backorder dialog), a subcontracting receipt (before its manufacturing
    orders are completed) and other modules' code all go through.

    A move is a receipt from a supplier when it has a purchase line, comes
    from a supplier location or belongs to a receipt operation, and does not
    go to a supplier location (a return to the supplier); the supplier
    is the commercial partner of its purchase order, not the receipt's
    editable *Receive From*; only a move without purchase line is checked
    against the receipt's partner, and a controlled product received without
    any supplier is refused (nobody could be qualified for it). Returns
    (moves returning an earlier move of the same product) are goods coming
    back, not receipts from a supplier: not checked.
    """

    _inherit = "stock.move"

    def _action_done(self, cancel_backorder=False):
        receipts = self._meddev_supplier_receipts()
        overridden = receipts._meddev_check_supplier_qualified()
        moves = super()._action_done(cancel_backorder=cancel_backorder)
        if isinstance(overridden, str):
            receipts._meddev_record_supplier_override(overridden)
        return moves

    def _meddev_supplier_receipts(self):
        """The moves to be done that receive goods from a supplier."""
        return self.filtered(
            lambda move: move.state not in ("done", "cancel")
            and not move._meddev_is_return()
            and move.location_dest_id.usage != "supplier"
            and (
                move.purchase_line_id
                or move.location_id.usage == "supplier"
                or "incoming" in (move.picking_code, move.picking_type_id.code)
            )
        )

    def _meddev_is_return(self):
        self.ensure_one()
        origin = self.origin_returned_move_id
        return bool(origin) and origin.product_id == self.product_id

    def _meddev_supplier(self):
        """The supplier the move receives from: the purchase order's, else
        the receipt's partner (commercial partners; empty if none)."""
        self.ensure_one()
        # the supplier is named whatever purchase orders the warehouse user
        # may read
        move = self.sudo()
        if move.purchase_line_id:
            partner = move.purchase_line_id.order_id.partner_id
        else:
            partner = move.picking_id.partner_id
        return partner.commercial_partner_id.with_env(self.env)

    def _meddev_check_supplier_qualified(self):
        """Refuse to receive a controlled product from a supplier not
        approved for its scope (ISO 13485 §7.4)."""
        lines = [
            (
                self.env._(
                    "Receiving %(picking)s",
                    picking=(move.picking_id or move).display_name,
                ),
                move._meddev_supplier(),
                move.product_id,
            )
            for move in self
        ]
        return self.env["meddev.supplier.qualification"]._meddev_check_qualified(
            lines, documents=self.picking_id or self
        )

    def _meddev_record_supplier_override(self, overridden):
        """Record the override on the receipts (or the moves without one)
        that went ahead."""
        done = self.filtered(lambda move: move.state == "done")
        Qualification = self.env["meddev.supplier.qualification"]
        Qualification._meddev_record_override(done.picking_id, overridden)
        Qualification._meddev_record_override(
            done.filtered(lambda move: not move.picking_id), overridden
        )
