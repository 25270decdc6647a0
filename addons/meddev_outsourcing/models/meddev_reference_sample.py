from odoo import api, fields, models


class MeddevReferenceSample(models.Model):
    """A reference sample (封样) kept from a first article: what, where and
    until when, for comparison with later lots."""

    _name = "meddev.reference.sample"
    _description = "Reference Sample"
    _inherit = ["meddev.audit.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True

    name = fields.Char(string="Reference", required=True, default="/", copy=False)
    job_id = fields.Many2one(
        "meddev.outsourcing.job", index=True, check_company=True, ondelete="restrict"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    lot_id = fields.Many2one("stock.lot", check_company=True)
    quantity = fields.Float(default=1.0, digits="Product Unit of Measure")
    location = fields.Char(
        required=True, help="Where the sample is kept, e.g. QA sample cabinet B-2."
    )
    retained_until = fields.Date(required=True, tracking=True)
    state = fields.Selection(
        [("retained", "Retained"), ("disposed", "Disposed")],
        default="retained",
        required=True,
        tracking=True,
    )
    notes = fields.Text()

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                # numbered by the server whoever records the sample
                vals["name"] = (
                    self.env["ir.sequence"]
                    .sudo()
                    .next_by_code("meddev.reference.sample")
                    or "/"
                )
        return super().create(vals_list)
