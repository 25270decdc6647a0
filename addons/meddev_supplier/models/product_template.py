from odoo import fields, models


class ProductTemplate(models.Model):
    _inherit = "product.template"

    meddev_qualification_scope_id = fields.Many2one(
        "meddev.supplier.scope",
        string="Supplier Qualification Required",
        ondelete="restrict",
        help="The product is bought and received only from suppliers qualified "
        "(or conditionally qualified) for this scope. Empty: the scope of its "
        "category, if any.",
    )

    def _meddev_required_scope(self):
        """The scope the product's suppliers must be qualified for: the
        product's own, else the nearest one of its category and its parents."""
        self.ensure_one()
        if self.meddev_qualification_scope_id:
            return self.meddev_qualification_scope_id
        # configuration, checked whatever the user may read
        category = self.sudo().categ_id
        while category:
            if category.meddev_qualification_scope_id:
                return category.meddev_qualification_scope_id
            category = category.parent_id
        return self.env["meddev.supplier.scope"]
