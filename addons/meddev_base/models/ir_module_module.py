from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _meddev_check_audit_trail_kept(self):
        if "meddev_base" not in self.mapped("name"):
            return
        self.env.cr.execute(SQL("SELECT EXISTS (SELECT 1 FROM meddev_audit_entry)"))
        if self.env.cr.fetchone()[0]:
            raise UserError(
                self.env._(
                    "Medical Device QMS: Base cannot be uninstalled: its audit trail "
                    "holds entries that regulations require to be kept as long as "
                    "the records they describe. Archive the database instead."
                )
            )

    def button_uninstall(self):
        self._meddev_check_audit_trail_kept()
        return super().button_uninstall()

    def module_uninstall(self):
        self._meddev_check_audit_trail_kept()
        return super().module_uninstall()
