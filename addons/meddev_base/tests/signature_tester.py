from odoo import fields, models


class MeddevSignatureTester(models.Model):
    """A model of the tests that opts into electronic signatures."""

    _name = "meddev.signature.tester"
    _inherit = ["meddev.signature.mixin"]
    _description = "Signed test record"
    _audit_controlled_states = ("approved",)

    name = fields.Char(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")], default="draft"
    )
    spec = fields.Text()
