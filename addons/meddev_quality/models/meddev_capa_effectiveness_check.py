from odoo import fields, models


class MeddevCapaEffectivenessCheck(models.Model):
    """One verification of a CAPA's effectiveness, as signed: the criterion
    and date checked, the result, who judged it and what was seen. Written by
    the server when the check is signed; a failed check stays here when the
    CAPA is reopened."""

    _name = "meddev.capa.effectiveness.check"
    _description = "CAPA Effectiveness Check"
    _inherit = ["meddev.audit.mixin"]
    _order = "capa_id, id"

    capa_id = fields.Many2one(
        "meddev.capa",
        string="CAPA",
        required=True,
        index=True,
        # a CAPA is never deleted: its history never goes with it
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="capa_id.company_id", store=True, precompute=True, index=True
    )
    result = fields.Selection(
        [("effective", "Effective"), ("not_effective", "Not Effective")],
        required=True,
        readonly=True,
    )
    criterion = fields.Text(readonly=True)
    check_date = fields.Date(string="Check Due On", readonly=True)
    comment = fields.Text(string="What Was Seen", readonly=True)
    user_id = fields.Many2one("res.users", string="Checked By", readonly=True)
    checked_on = fields.Datetime(default=fields.Datetime.now, readonly=True)
