from odoo import fields, models


class StockScrap(models.Model):
    """A scrap made by an exception's approved disposition carries it to its
    move, which the hold lets out of quarantine."""

    _inherit = "stock.scrap"

    meddev_disposition_id = fields.Many2one(
        "meddev.nonconformance.disposition",
        string="Disposition",
        readonly=True,
        index="btree_not_null",
        copy=False,
    )

    def _prepare_move_values(self):
        vals = super()._prepare_move_values()
        if self.meddev_disposition_id:
            vals["meddev_disposition_id"] = self.meddev_disposition_id.id
        return vals
