from odoo import fields, models


class MeddevAuditTester(models.Model):
    """A model of the tests that opts into the audit trail."""

    _name = "meddev.audit.tester"
    _inherit = ["meddev.audit.mixin"]
    _description = "Audited test record"
    _audit_controlled_states = ("approved",)

    name = fields.Char(required=True)
    state = fields.Selection(
        [("draft", "Draft"), ("approved", "Approved")], default="draft"
    )
    qty = fields.Float()
    note = fields.Text()
    partner_id = fields.Many2one("res.partner")
    tag_ids = fields.Many2many("res.partner.category")
    company_id = fields.Many2one("res.company", default=lambda self: self.env.company)
    document = fields.Binary(attachment=True)
    document_name = fields.Char()


class MeddevAuditDollarTester(models.Model):
    """An audited model whose column names contain ``$``, as PostgreSQL and
    Odoo allow, including the dollar-quote tag the capture function used."""

    _name = "meddev.audit.dollar.tester"
    _inherit = ["meddev.audit.mixin"]
    _description = "Audited test record with dollar column names"

    name = fields.Char()
    vars()["x_note$fn$"] = fields.Char()
    vars()["x$body$"] = fields.Integer()
