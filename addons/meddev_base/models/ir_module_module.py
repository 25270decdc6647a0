from odoo import models
from odoo.exceptions import UserError
from odoo.tools import SQL


class IrModuleModule(models.Model):
    _inherit = "ir.module.module"

    def _meddev_check_audit_trail_kept(self):
        """Refuse to remove meddev_base while its audit trail holds entries,
        also when it would go as a dependent of a module being uninstalled
        (``mail``, ``product``...)."""
        removed = self | self.downstream_dependencies()
        if "meddev_base" not in removed.mapped("name"):
            return
        self.env.cr.execute(SQL("SELECT EXISTS (SELECT 1 FROM meddev_audit_entry)"))
        if not self.env.cr.fetchone()[0]:
            return
        if self.filtered(lambda module: module.name == "meddev_base"):
            raise UserError(
                self.env._(
                    "Medical Device QMS: Base cannot be uninstalled: its audit trail "
                    "holds entries that regulations require to be kept as long as "
                    "the records they describe. Archive the database instead."
                )
            )
        raise UserError(
            self.env._(
                "%(modules)s cannot be uninstalled: Medical Device QMS: Base "
                "depends on it and would be uninstalled too, but its audit trail "
                "holds entries that regulations require to be kept as long as the "
                "records they describe. Archive the database instead.",
                modules=", ".join(self.mapped("shortdesc")),
            )
        )

    def button_uninstall(self):
        self._meddev_check_audit_trail_kept()
        return super().button_uninstall()

    def button_immediate_uninstall(self):
        # refused before Odoo locks the scheduled actions and reloads the
        # registry
        self._meddev_check_audit_trail_kept()
        return super().button_immediate_uninstall()

    def module_uninstall(self):
        self._meddev_check_audit_trail_kept()
        return super().module_uninstall()
