from odoo import api, models


class ResUsers(models.Model):
    _inherit = "res.users"

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
