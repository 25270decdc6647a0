from odoo import fields, models


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    meddev_manufacturing_licence = fields.Char(
        related="company_id.meddev_manufacturing_licence", readonly=False
    )
    meddev_gs1_company_prefix = fields.Char(
        related="company_id.meddev_gs1_company_prefix", readonly=False
    )
    meddev_signature_max_failures = fields.Integer(
        string="Failed Signatures Before Lock",
        config_parameter="meddev_base.signature_max_failures",
        default=3,
    )
    meddev_signature_window_minutes = fields.Integer(
        string="Within (minutes)",
        config_parameter="meddev_base.signature_window_minutes",
        default=15,
    )
    meddev_audit_review_interval_days = fields.Integer(
        string="Audit Trail Review Every (days)",
        config_parameter="meddev_base.audit_review_interval_days",
        default=30,
    )
    meddev_signature_require_2fa_all = fields.Boolean(
        string="Every signer must use two-factor authentication",
        config_parameter="meddev_base.signature_require_2fa_all",
        help="When set, nobody may sign electronically without two-factor "
        "authentication; otherwise only the roles marked on their form require it.",
    )
    meddev_role_grant_max_days = fields.Integer(
        string="Temporary Roles Last at Most (days)",
        config_parameter="meddev_base.role_grant_max_days",
        default=90,
    )
