from odoo import fields, models


class MeddevSupplierScopeTester(models.Model):
    """A model of the tests whose records belong to one supplier each."""

    _name = "meddev.supplier.scope.tester"
    _inherit = ["meddev.supplier.scope.mixin"]
    _description = "Supplier-scoped test record"
    _meddev_portal_fields = ("name", "partner_id")

    name = fields.Char(required=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", required=True)
    notes = fields.Text(help="Internal: not on the supplier's whitelist.")
