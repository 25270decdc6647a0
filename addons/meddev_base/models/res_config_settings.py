from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    meddev_manufacturing_licence = fields.Char(
        related="company_id.meddev_manufacturing_licence", readonly=False
    )
    meddev_gs1_company_prefix = fields.Char(
        related="company_id.meddev_gs1_company_prefix", readonly=False
    )
