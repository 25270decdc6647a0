from odoo import fields, models


class ResGroups(models.Model):
    _inherit = "res.groups"

    meddev_signature_requires_2fa = fields.Boolean(
        string="2FA Required to Sign",
        help="Members of this role (also those who hold it through another role) "
        "must have two-factor authentication enabled before they may sign "
        "electronically.",
    )

    def write(self, vals):
        if "users" not in vals and "implied_ids" not in vals:
            return super().write(vals)
        Conflict = self.env["meddev.sod.conflict"]
        affected = (
            self.users
            | self.with_context(active_test=False)
            .search([("implied_ids", "in", self.ids)])
            .users
        )
        before = Conflict._violations(affected)
        result = super().write(vals)
        Conflict._check_users(affected | self.users, ignore=before)
        return result
