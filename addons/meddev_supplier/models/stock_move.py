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
    any supplier is refused (nobody could be qualified for it). Returns of
    goods we delivered (to a customer, from the same partner, outside any
    purchase order) are goods coming back, not receipts from a supplier: not
    checked; goods coming back from a supplier we returned them to are.
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
        """Goods we sent out (to a customer, not to a supplier) coming back
        from the same partner, outside any purchase order. Goods coming back
        from a supplier (after a return to it, e.g. for rework) are received
        from that supplier and checked; a purchase line always makes the move
        a receipt from its order's supplier, whatever return it claims."""
        self.ensure_one()
        # read whatever the warehouse user may read of the earlier move
        move = self.sudo()
        origin = move.origin_returned_move_id
        return (
            bool(origin)
            and not move.purchase_line_id
            and origin.product_id == move.product_id
            and origin.location_dest_id.usage != "supplier"
            and origin.picking_id.partner_id.commercial_partner_id
            == move.picking_id.partner_id.commercial_partner_id
        )

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
