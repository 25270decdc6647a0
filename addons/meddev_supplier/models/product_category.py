from odoo import fields, models


class ProductCategory(models.Model):
    _inherit = "product.category"

    meddev_qualification_scope_id = fields.Many2one(
        "meddev.supplier.scope",
        string="Supplier Qualification Required",
        ondelete="restrict",
        help="Products of this category (and of its subcategories) are bought "
        "and received only from suppliers qualified (or conditionally qualified) "
        "for this scope, unless the product names its own scope.",
    )
