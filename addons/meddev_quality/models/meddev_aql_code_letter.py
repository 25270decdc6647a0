from odoo import api, fields, models, tools
from odoo.exceptions import UserError

INSPECTION_LEVELS = [
    ("s1", "S-1"),
    ("s2", "S-2"),
    ("s3", "S-3"),
    ("s4", "S-4"),
    ("i", "I"),
    ("ii", "II"),
    ("iii", "III"),
]


class MeddevAqlCodeLetter(models.Model):
    """GB/T 2828.1-2012 (ISO 2859-1:1999) Table 1: the sample size code letter
    of a lot size band at each inspection level. Shipped as data; read-only."""

    _name = "meddev.aql.code.letter"
    _description = "Sample Size Code Letters (GB/T 2828.1 Table 1)"
    _order = "sequence"

    sequence = fields.Integer(required=True)
    lot_min = fields.Integer(string="Lot Size From", required=True)
    lot_max = fields.Integer(
        string="Lot Size To", help="0: no upper bound (500 001 and over)."
    )
    letter_s1 = fields.Char(string="S-1", required=True, size=1)
    letter_s2 = fields.Char(string="S-2", required=True, size=1)
    letter_s3 = fields.Char(string="S-3", required=True, size=1)
    letter_s4 = fields.Char(string="S-4", required=True, size=1)
    letter_i = fields.Char(string="I", required=True, size=1)
    letter_ii = fields.Char(string="II", required=True, size=1)
    letter_iii = fields.Char(string="III", required=True, size=1)

    @api.model
    @tools.ormcache()
    def _meddev_bands(self):
        # the standard's table, the same for every reader
        rows = self.sudo().search([("lot_min", ">", 0)])
        return tuple(
            (
                row.lot_min,
                row.lot_max,
                {code: row[f"letter_{code}"] for code, _label in INSPECTION_LEVELS},
            )
            for row in rows
        )

    @api.model
    def _meddev_letter(self, level, lot_size):
        """The code letter of a lot of ``lot_size`` units at ``level``."""
        for lot_min, lot_max, letters in self._meddev_bands():
            if lot_size >= lot_min and (not lot_max or lot_size <= lot_max):
                return letters[level]
        raise UserError(
            self.env._(
                "GB/T 2828.1 samples lots of 2 units or more; this lot has %(size)s.",
                size=lot_size,
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)
