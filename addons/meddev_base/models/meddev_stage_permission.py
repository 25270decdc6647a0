import re
from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .meddev_signature import MEANINGS

STATE_SPLIT = re.compile(r"[\s,;]+")


class MeddevStagePermission(models.Model):
    """Who may do which action of a controlled document type, from which states.

    One row per document type and action (and optionally per company). The
    model's action methods call ``_meddev_check_action`` of
    ``meddev.stage.permission.mixin``, which enforces the row on the server:
    roles, states, segregation of duties, electronic signature, approval tiers
    and training. An action without a row is refused (deny by default).

    Configuration that the QMS administrator edits; every change is audited.
    """

    _name = "meddev.stage.permission"
    _description = "Stage Permission"
    _inherit = ["meddev.audit.mixin"]
    _order = "model_id, sequence, id"
    _check_company_auto = True

    name = fields.Char(string="Label", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company",
        help="Leave empty for a rule of every company. A rule of the record's "
        "company takes precedence over one without company.",
    )
    model_id = fields.Many2one(
        "ir.model",
        string="Document Type",
        required=True,
        ondelete="cascade",
        domain="[('id', 'in', controlled_model_ids)]",
    )
    controlled_model_ids = fields.Many2many(
        "ir.model",
        string="Controlled Document Types",
        compute="_compute_controlled_model_ids",
        help="The document types that use stage permissions.",
    )
    model = fields.Char(
        related="model_id.model", store=True, precompute=True, index=True
    )
    action = fields.Char(
        required=True,
        help="Technical code of the action, as the document type declares it, "
        "e.g. submit, approve, release, cancel.",
    )
    from_states = fields.Char(
        string="Allowed From States (Codes)",
        help="Technical codes of the states the action may be done from, "
        "separated by spaces or commas. Empty: from any state. Set by picking "
        "the states in Allowed From States.",
    )
    from_state_ids = fields.Many2many(
        "ir.model.fields.selection",
        string="Allowed From States",
        compute="_compute_from_state_ids",
        inverse="_inverse_from_state_ids",
        domain="[('id', 'in', state_option_ids)]",
        help="The states of the document type the action may be done from. "
        "Empty: from any state.",
    )
    state_option_ids = fields.Many2many(
        "ir.model.fields.selection",
        string="States of the Document Type",
        compute="_compute_state_option_ids",
    )
    available_actions = fields.Char(
        string="Declared Actions", compute="_compute_available"
    )
    available_states = fields.Char(
        string="Declared States", compute="_compute_available"
    )
    group_ids = fields.Many2many(
        "res.groups",
        "meddev_stage_permission_group_rel",
        "permission_id",
        "group_id",
        string="Roles Allowed",
        help="Users in one of these groups (directly or implied) may do the action.",
    )
    signature_meaning = fields.Selection(
        MEANINGS,
        string="Required Signature Meaning",
        help="When set, the action may only be done by an electronic signature "
        "with this meaning (a signature rule of the same step).",
    )
    tier_validation = fields.Boolean(
        string="Approval Tiers Apply",
        help="The record must be validated by its approval tiers first (document "
        "types with tier validation only).",
    )
    training_document_ref = fields.Char(
        string="Required Training",
        help="Reference of the training document the user must be trained on to "
        "do the action. Checked by the training module.",
    )
    not_same_user_as_ids = fields.Many2many(
        "meddev.stage.permission",
        "meddev_stage_permission_sod_rel",
        "permission_id",
        "other_id",
        string="Not By the Performer Of",
        domain="[('model_id', '=', model_id), ('id', '!=', id)]",
        help="Segregation of duties: whoever did one of these actions on a record "
        "may not do this one on the same record (e.g. the requester cannot "
        "approve).",
    )

    @api.depends("model_id")
    def _compute_available(self):
        for permission in self:
            Model = permission._controlled_model()
            if Model is None:
                permission.available_actions = False
                permission.available_states = False
                continue
            permission.available_actions = ", ".join(Model._meddev_declared_actions())
            permission.available_states = ", ".join(Model._meddev_declared_states())

    def _compute_controlled_model_ids(self):
        names = [
            name
            for name, Model in self.env.registry.items()
            if not Model._abstract
            and not Model._transient
            and hasattr(Model, "_meddev_declared_actions")
        ]
        self.controlled_model_ids = self.env["ir.model"].search(
            [("model", "in", names)]
        )

    @api.depends("model_id")
    def _compute_state_option_ids(self):
        options = self._state_options()
        for permission in self:
            permission.state_option_ids = options[permission.model_id]

    @api.depends("model_id", "from_states")
    def _compute_from_state_ids(self):
        options = self._state_options()
        for permission in self:
            codes = permission._states()
            permission.from_state_ids = options[permission.model_id].filtered(
                lambda option, codes=codes: option.value in codes
            )

    def _inverse_from_state_ids(self):
        options = self._state_options()
        for permission in self:
            own = options[permission.model_id]
            foreign = permission.from_state_ids - own
            if foreign:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no state %(unknown)s; its states are "
                        "%(states)s.",
                        model=permission.model_id.name,
                        unknown=", ".join(foreign.mapped("name")),
                        states=", ".join(own.mapped("name")),
                    )
                )
            chosen = own & permission.from_state_ids
            permission.from_states = " ".join(chosen.mapped("value")) or False

    def _state_options(self):
        """{document type: the values of its state field} for these rows, as
        ``ir.model.fields.selection`` in their order (labels in the reader's
        language); no value for a type without stage permissions."""
        Selection = self.env["ir.model.fields.selection"]
        field_of = {}  # {ir.model: ir.model.fields of its state}
        for permission in self:
            Model = permission._controlled_model()
            if Model is not None:
                field_of[permission.model_id] = self.env["ir.model.fields"]._get(
                    Model._name, Model._meddev_state_field_name()
                )
        values = Selection.search(
            [("field_id", "in", [field.id for field in field_of.values()])],
            order="sequence, id",
        )
        result = defaultdict(lambda: Selection)
        for model, field in field_of.items():
            result[model] = values.filtered(
                lambda value, field=field: value.field_id.id == field.id
            )
        return result

    def _controlled_model(self):
        """The document type's model when it uses stage permissions, else None."""
        self.ensure_one()
        name = self.model_id.model
        if not name or name not in self.env:
            return None
        Model = self.env[name]
        if not hasattr(Model, "_meddev_declared_actions"):
            return None
        return Model

    def _states(self):
        self.ensure_one()
        return [s for s in STATE_SPLIT.split(self.from_states or "") if s]

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("model_id", "action", "from_states", "tier_validation")
    def _check_declared(self):
        for permission in self:
            Model = permission._controlled_model()
            if Model is None:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no stage permissions: only document types "
                        "that declare their actions can be controlled here.",
                        model=permission.model_id.name,
                    )
                )
            actions = Model._meddev_declared_actions()
            if permission.action not in actions:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no action %(action)s; its actions are "
                        "%(actions)s.",
                        model=permission.model_id.name,
                        action=permission.action,
                        actions=", ".join(actions),
                    )
                )
            states = Model._meddev_declared_states()
            unknown = [s for s in permission._states() if s not in states]
            if unknown:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no state %(unknown)s; its states are "
                        "%(states)s.",
                        model=permission.model_id.name,
                        unknown=", ".join(unknown),
                        states=", ".join(states),
                    )
                )
            if permission.tier_validation and "validation_status" not in Model._fields:
                raise ValidationError(
                    self.env._(
                        "%(model)s has no approval tiers: approval tiers cannot "
                        "apply to %(action)s.",
                        model=permission.model_id.name,
                        action=permission.action,
                    )
                )

    @api.constrains("model_id", "action", "company_id", "active")
    def _check_unique(self):
        domain = [
            ("model_id", "in", self.model_id.ids),
            ("action", "in", self.mapped("action")),
        ]
        # every company's rows count, whatever the editor's companies
        rows = self.sudo().with_context(active_test=True).search(domain)
        seen = set()
        for row in rows:
            key = (row.model_id.id, row.action, row.company_id.id)
            if key in seen:
                company = f" ({row.company_id.name})" if row.company_id else ""
                raise ValidationError(
                    self.env._(
                        "The action %(action)s of %(model)s already has a stage "
                        "permission%(company)s.",
                        action=row.action,
                        model=row.model_id.name,
                        company=company,
                    )
                )
            seen.add(key)

    @api.constrains("not_same_user_as_ids", "model_id")
    def _check_sod_same_model(self):
        for permission in self:
            others = permission.not_same_user_as_ids
            if permission in others or others.model_id - permission.model_id:
                raise ValidationError(
                    self.env._(
                        "Segregation of duties of %(name)s may only name other "
                        "actions of the same document type.",
                        name=permission.name,
                    )
                )

    @api.constrains("group_ids")
    def _check_group_ids(self):
        for permission in self:
            if not permission.group_ids:
                raise ValidationError(
                    self.env._(
                        "Stage permission %(name)s allows no role.",
                        name=permission.name,
                    )
                )
