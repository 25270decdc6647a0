from odoo import api, fields, models
from odoo.exceptions import AccessError


class ResUsers(models.Model):
    _inherit = "res.users"

    meddev_signing_locked = fields.Boolean(
        string="Signing Locked",
        readonly=True,
        copy=False,
        help="Set after too many failed signature attempts; a QMS administrator "
        "unlocks it.",
    )

    @api.model
    def meddev_welcome_data(self):
        """What the QMS welcome screen shows the current user: company, the QMS
        roles the user holds (directly or implied) and the installed modules."""
        category = self.env.ref("meddev_base.module_category_meddev")
        user = self.env.user
        roles = user.groups_id.filtered(lambda g: g.category_id == category)
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "meddev\\_%"), ("state", "=", "installed")],
            order="name",
        )
        return {
            "user": user.name,
            "company": self.env.company.name,
            "roles": roles.sorted("name").mapped("name"),
            "modules": [
                {"name": m.name, "title": m.shortdesc, "summary": m.summary or ""}
                for m in modules
            ],
        }

    def action_meddev_unlock_signing(self):
        """A QMS administrator gives back the signing right, with a trace."""
        if not self.env.user.has_group("meddev_base.group_meddev_admin"):
            raise AccessError(
                self.env._("Only a QMS administrator may unlock electronic signing.")
            )
        locked = self.filtered("meddev_signing_locked")
        # the flag is not writable by users, the administrator included
        locked.sudo().meddev_signing_locked = False
        Entry = self.env["meddev.audit.entry"]
        reason = self.env._("Unlocked by %(name)s", name=self.env.user.name)
        Entry._insert_rows(
            [Entry._row_for(user, "sign_unlocked", [], reason) for user in locked]
        )
        return True
