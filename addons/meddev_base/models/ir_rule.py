from odoo import Command, api, models
from odoo.tools import SQL


class IrRule(models.Model):
    _inherit = "ir.rule"

    @api.model
    def _meddev_ensure_model_rule(self, records, prefix, label, domain, groups=None):
        """Create, once, the record rule a meddev mixin gives the model of
        ``records``: xml id ``<model's module>.<prefix><table>`` (so that it
        goes with the module), named ``<model>: <label>``. Called after the
        model is reflected in ir.model."""
        model = self.env["ir.model"]._get(records._name)
        if not model:
            return self.browse()
        module = records._original_module or "meddev_base"
        xmlid = prefix + records._table
        self.env.cr.execute(
            SQL(
                "SELECT 1 FROM ir_model_data WHERE module = %s AND name = %s",
                module,
                xmlid,
            )
        )
        if self.env.cr.fetchone():
            return self.browse()
        # record rules are configuration the module sets up at install
        rule = self.sudo().create(
            {
                "name": f"{model.name}: {label}",
                "model_id": model.id,
                "groups": [Command.link(group.id) for group in groups or ()],
                "domain_force": domain,
            }
        )
        # its xml id, so that the rule goes with the module
        self.env["ir.model.data"].sudo().create(
            {
                "module": module,
                "name": xmlid,
                "model": "ir.rule",
                "res_id": rule.id,
                "noupdate": True,
            }
        )
        return rule
