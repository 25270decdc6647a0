from odoo import api, fields, models
from odoo.tools import SQL

from ..models.meddev_signature import MEANINGS


class MeddevSignatureWizard(models.TransientModel):
    """The signing dialog: shows what is signed and what the signature means,
    re-asks the password (and the 2FA code), then signs on the server."""

    _name = "meddev.signature.wizard"
    _description = "Electronic Signature Dialog"

    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_id = fields.Integer(string="Record ID", required=True, readonly=True)
    action = fields.Char(string="Step Code", required=True, readonly=True)
    res_name = fields.Char(string="Record", compute="_compute_rule_info")
    step = fields.Char(compute="_compute_rule_info")
    meaning = fields.Selection(MEANINGS, compute="_compute_rule_info")
    printed_name = fields.Char(
        string="Signer", default=lambda self: self.env.user.name, readonly=True
    )
    needs_totp = fields.Boolean(
        string="Two-factor Code Needed",
        default=lambda self: bool(getattr(self.env.user, "totp_enabled", False)),
        readonly=True,
    )
    password = fields.Char()
    totp_code = fields.Char(string="Authenticator Code")
    comment = fields.Text()

    @api.depends("res_model", "res_id", "action")
    def _compute_rule_info(self):
        for wizard in self:
            record = wizard._record()
            rule = record._meddev_signature_rule(wizard.action)
            wizard.res_name = record.display_name
            wizard.step = rule.name
            wizard.meaning = rule.meaning

    def _record(self):
        self.ensure_one()
        return self.env[self.res_model].browse(self.res_id)

    def action_sign(self):
        self.ensure_one()
        password, code = self.password, self.totp_code
        try:
            self._record()._meddev_sign(
                self.action, password, totp_code=code, comment=self.comment
            )
        except Exception:
            self._forget_secrets()
            raise
        # the secrets are not kept, not even in the dialog's transient record
        self.write({"password": False, "totp_code": False})
        return {"type": "ir.actions.act_window_close"}

    def _forget_secrets(self):
        """Clear the typed password and code in a transaction of their own: a
        refused signature rolls back the caller's, and the dialog's row (saved
        by the web client before the button ran) would keep them."""
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
            cr.execute(
                SQL(
                    "UPDATE meddev_signature_wizard SET password = NULL, "
                    "totp_code = NULL WHERE id IN %s",
                    tuple(self.ids),
                )
            )
