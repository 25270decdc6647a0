from odoo import api, models

from .purchase_order import CONFIRMED_STATES

# what makes a line of a confirmed order another purchase from its supplier
SUBJECT_FIELDS = ("order_id", "product_id")


class PurchaseOrderLine(models.Model):
    """A line added to a confirmed order, or moved to another product or
    order once confirmed, is checked against the approved supplier list like
    the order's confirmation (the lines of an order being confirmed are
    checked by the order's ``write``). Checked before anything is written."""

    _inherit = "purchase.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        subjects = [
            (vals.get("order_id"), vals.get("product_id"))
            for vals in vals_list
            if not vals.get("display_type")
        ]
        overridden, orders = self._meddev_check_confirmed(subjects)
        lines = super().create(vals_list)
        orders._meddev_record_supplier_override(overridden)
        return lines

    def write(self, vals):
        overridden, orders = None, self.env["purchase.order"]
        if any(name in vals for name in SUBJECT_FIELDS):
            overridden, orders = self._meddev_check_confirmed(
                self._meddev_changed_subjects(vals)
            )
        result = super().write(vals)
        orders._meddev_record_supplier_override(overridden)
        return result

    def _meddev_changed_subjects(self, vals):
        """(order id, product id) of the lines this write moves to another
        order or product."""
        subjects = []
        for line in self.filtered(lambda line: not line.display_type):
            current = (line.order_id.id, line.product_id.id)
            subject = (
                vals.get("order_id", current[0]),
                vals.get("product_id", current[1]),
            )
            if subject != current:
                subjects.append(subject)
        return subjects

    @api.model
    def _meddev_check_confirmed(self, subjects):
        """Check the (order id, product id) of lines written on confirmed
        orders; return the check's result and those orders."""
        Order = self.env["purchase.order"]
        Product = self.env["product.product"]
        items = [
            (Order.browse(order_id), Product.browse(product_id))
            for order_id, product_id in subjects
            if order_id and product_id
        ]
        items = [item for item in items if item[0].state in CONFIRMED_STATES]
        if not items:
            return None, Order
        orders = Order.union(*(order for order, _product in items))
        lines = [
            (
                self.env._("Changing %(order)s", order=order.display_name),
                order.partner_id.commercial_partner_id,
                product,
            )
            for order, product in items
        ]
        overridden = self.env["meddev.supplier.qualification"]._meddev_check_qualified(
            lines, documents=orders
        )
        return overridden, orders
