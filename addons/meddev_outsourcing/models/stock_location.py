from odoo import fields, models


class StockLocation(models.Model):
    _inherit = "stock.location"

    meddev_quarantine = fields.Boolean(
        string="Quarantine",
        help="Goods of an outsourcing job received here leave it (transfer, "
        "consumption, delivery, scrap, inventory) only once the job is "
        "released.",
    )
