from odoo import fields, models


class MeddevSupplierChangeNotice(models.Model):
    _inherit = "meddev.supplier.change.notice"

    first_article_required = fields.Boolean(
        tracking=True,
        help="The supplier's next outsourcing job for the scopes of the change "
        "is a first article: its lot is released only after a signed "
        "first-article decision.",
    )
    first_article_job_id = fields.Many2one(
        "meddev.outsourcing.job",
        readonly=True,
        copy=False,
    )
