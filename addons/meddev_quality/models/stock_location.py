from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    meddev_rework = fields.Boolean(
        string="Rework Area",
        help="Where the dispositions of exceptions send goods to rework: a "
        "quarantine location, the goods stay held there.",
    )
