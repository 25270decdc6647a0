from odoo import fields, models

from .meddev_sampling_switch import SWITCH_STATES


class MeddevSamplingSwitchEvent(models.Model):
    """One change of inspection severity of a supplier × product: when, from,
    to, why (the rule or the signer's reason), after which inspection, by
    whom. Written by the server only; never changed."""

    _name = "meddev.sampling.switch.event"
    _description = "Inspection Severity Change"
    _order = "date desc, id desc"

    switch_id = fields.Many2one(
        "meddev.sampling.switch", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(
        related="switch_id.company_id", store=True, precompute=True
    )
    partner_id = fields.Many2one(
        related="switch_id.partner_id", store=True, precompute=True
    )
    product_id = fields.Many2one(
        related="switch_id.product_id", store=True, precompute=True
    )
    date = fields.Datetime(required=True, default=fields.Datetime.now)
    severity_from = fields.Selection(SWITCH_STATES, string="From", required=True)
    severity_to = fields.Selection(SWITCH_STATES, string="To", required=True)
    reason = fields.Char(required=True)
    inspection_id = fields.Many2one("qc.inspection", ondelete="restrict")
    user_id = fields.Many2one(
        "res.users",
        string="Decided By",
        help="The signer of a QA decision; empty: the rule applied by the system.",
    )
