from odoo import fields, models


class MeddevSupplierScopeTester(models.Model):
    """A model of the tests whose records belong to one supplier each."""

    _name = "meddev.supplier.scope.tester"
    _inherit = ["meddev.supplier.scope.mixin"]
    _description = "Supplier-scoped test record"

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", required=True)
