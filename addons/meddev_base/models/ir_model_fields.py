from odoo import models


class IrModelFields(models.Model):
    _inherit = "ir.model.fields"

    def _drop_column(self):
        """Columns dropped from an audited table (a module that added fields is
        uninstalled) leave its capture trigger: make it again without them, so
        the next change of a row does not fail on a missing column."""
        audited = {
            field.model
            for field in self
            if field.model in self.env
            and hasattr(self.env[field.model], "_audit_install_trigger")
            and not self.env[field.model]._abstract
        }
        result = super()._drop_column()
        for model_name in sorted(audited):
            self.env[model_name]._audit_install_trigger()
        return result
