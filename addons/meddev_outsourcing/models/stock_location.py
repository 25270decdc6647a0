from odoo import fields, models
from odoo.exceptions import UserError


class StockLocation(models.Model):
    _inherit = "stock.location"

    meddev_quarantine = fields.Boolean(
        string="Quarantine",
        help="Goods of an outsourcing job received here leave it (transfer, "
        "consumption, delivery, scrap, inventory) only once the job is "
        "released.",
    )

    def write(self, vals):
        if "meddev_quarantine" in vals and not vals["meddev_quarantine"]:
            self._meddev_check_unflag()
        return super().write(vals)

    def _meddev_check_unflag(self):
        """A quarantine location holding goods stays one: unflagging it would
        release them without their job's release."""
        # the goods are counted whatever the stock manager may read
        holding = (
            self.filtered("meddev_quarantine")
            .sudo()
            .quant_ids.filtered(lambda quant: quant.quantity > 0)
            .location_id
        )
        if holding:
            raise UserError(
                self.env._(
                    "%(locations)s holds goods in quarantine: it stays a quarantine "
                    "location until they have left it through their job's release.",
                    locations=", ".join(holding.mapped("complete_name")),
                )
            )
