from odoo import api, fields, models, tools
from odoo.exceptions import ValidationError

from .meddev_signature import MEANINGS


class MeddevSignatureRule(models.Model):
    """Which step of which model needs which signature, from which roles.

    Data records that the QMS administrator edits; ``meddev.signature.mixin``
    enforces them on the server, whatever the client sends.
    """

    _name = "meddev.signature.rule"
    _description = "Electronic Signature Rule"
    _inherit = ["meddev.audit.mixin"]
    _order = "model_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    model_id = fields.Many2one(
        "ir.model", string="Document Type", required=True, ondelete="cascade"
    )
    model = fields.Char(
        related="model_id.model", store=True, precompute=True, index=True
    )
    action = fields.Char(
        string="Step",
        required=True,
        help="Technical name of the workflow step signed, e.g. approve or release.",
    )
    target_state = fields.Char(
        help="State the record may only reach through this signature, e.g. "
        "approved. Any other way of writing it is refused.",
    )
    meaning = fields.Selection(MEANINGS, required=True)
    group_ids = fields.Many2many(
        "res.groups",
        string="Roles Allowed",
        required=True,
        help="Users in one of these groups (directly or implied) may sign.",
    )

    _sql_constraints = [
        (
            "model_action_unique",
            "UNIQUE (model_id, action)",
            "A step of a document type has one signature rule.",
        ),
    ]

    @api.constrains("group_ids")
    def _check_group_ids(self):
        for rule in self:
            if not rule.group_ids:
                raise ValidationError(
                    self.env._(
                        "Signature rule %(name)s allows no role.", name=rule.name
                    )
                )

    # ------------------------------------------------------------------
    # rules by target state, read on every create and change of state of a
    # signed record: cached, cleared when a rule changes
    # ------------------------------------------------------------------
    @api.model
    @tools.ormcache("model_name")
    def _meddev_target_states(self, model_name):
        """{target state: ids of the active rules leading there} of
        ``model_name``."""
        # configuration, enforced whatever the user may read
        rules = (
            self.sudo()
            .with_context(active_test=True)
            .search([("model", "=", model_name), ("target_state", "!=", False)])
        )
        states = {}
        for rule in rules:
            states.setdefault(rule.target_state, []).append(rule.id)
        return {state: tuple(ids) for state, ids in states.items()}

    @api.model_create_multi
    def create(self, vals_list):
        rules = super().create(vals_list)
        self.env.registry.clear_cache()
        return rules

    def write(self, vals):
        result = super().write(vals)
        self.env.registry.clear_cache()
        return result

    def unlink(self):
        result = super().unlink()
        self.env.registry.clear_cache()
        return result
