from odoo import fields, models


class MeddevCategoryScopeTester(models.Model):
    """A model of the tests whose records concern one product each."""

    _name = "meddev.category.scope.tester"
    _inherit = ["meddev.category.scope.mixin"]
    _description = "Category-scoped test record"

    name = fields.Char(required=True)
    product_id = fields.Many2one("product.product")
