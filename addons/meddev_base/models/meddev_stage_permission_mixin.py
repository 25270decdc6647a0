import re

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from .meddev_signature_mixin import SIGNED_KEY

# in the cursor's cache (never in the context an RPC caller controls): records
# whose action was just checked, each allowed one change of state
CHECKED_KEY = "meddev_stage_checked"
# in the cursor's cache too: records whose step is writing the fields only
# steps write (_meddev_server_fields)
SERVER_WRITE_KEY = "meddev_server_write"
# the step of a signing button: context="{'meddev_sign_action': 'approve'}"
SIGN_ACTION_RE = re.compile(r"""['"]meddev_sign_action['"]\s*:\s*['"](\w+)['"]""")


class MeddevStagePermissionMixin(models.AbstractModel):
    """Who may do what, at which stage, on which records, enforced on the server.

    A controlled model inherits this mixin (which brings the signature and
    audit mixins) and declares its actions and its state field::

        class OutsourcingJob(models.Model):
            _name = "meddev.outsourcing.job"
            _inherit = ["meddev.stage.permission.mixin", "mail.thread"]
            _meddev_actions = {"submit": "Submit", "approve": "Approve"}

            def action_approve(self):
                self._meddev_check_action("approve")
                self.write({"state": "approved"})

    A signed step (a signature rule of the same code) runs ``action_<step>``
    inside the signature, with the signer's comment as reason for change.
    Mixins that refine these hooks are listed before this one in ``_inherit``
    (checked when the registry loads).

    ``_meddev_check_action`` is the one call the action methods make: it checks
    the ``meddev.stage.permission`` of the action (roles, states, approval tiers,
    segregation of duties, training, electronic signature), raises without
    changing anything when one fails, and otherwise logs the action in
    ``meddev.stage.action.log``. An action without a permission row is refused:
    deny by default. ``meddev_allowed_actions`` lists the actions the current
    user may do now, for the form's buttons; the server check is what counts.
    """

    _name = "meddev.stage.permission.mixin"
    _inherit = ["meddev.signature.mixin"]
    _description = "Stage-Controlled Record"

    # {action code: label}; or override _meddev_declared_actions
    _meddev_actions = {}
    # the field holding the record's state; default: the audit mixin's, or state
    _meddev_state_field = None
    # the state changes only in a checked action (superuser code excepted)
    _meddev_state_guard = True
    # a training module that overrides _meddev_check_training sets it True
    _meddev_training_enforced = False
    # fields only the model's steps write (dates, decisions, what follows from
    # them), through _meddev_server_write: refused to any other write but the
    # superuser's
    _meddev_server_fields = ()
    # meanings of the signed steps a record waits for (the welcome screen's
    # signatures waiting); the others (rejected, revoked) are done on demand
    _meddev_awaited_meanings = ("authored", "reviewed", "approved", "released")

    meddev_allowed_actions = fields.Char(
        string="Actions Allowed Now",
        compute="_compute_meddev_allowed_actions",
        help="Codes of the actions the current user may do on the record now, "
        "each between spaces (' approve '), so that a view tests one exactly.",
    )
    meddev_action_log_ids = fields.One2many(
        "meddev.stage.action.log",
        "res_id",
        string="Stage Actions",
        domain=lambda self: [("res_model", "=", self._name)],
        readonly=True,
    )

    # ------------------------------------------------------------------
    # what the model declares
    # ------------------------------------------------------------------
    @api.model
    def _meddev_declared_actions(self):
        """{action code: label} of the model's controlled actions."""
        return dict(self._meddev_actions)

    @api.model
    def _meddev_state_field_name(self):
        return self._meddev_state_field or getattr(self, "_audit_state_field", "state")

    @api.model
    def _meddev_declared_states(self):
        """State codes of the model, from its state field's selection."""
        field = self._fields.get(self._meddev_state_field_name())
        if field is None or field.type != "selection":
            return []
        return [code for code, _label in field._description_selection(self.env)]

    @api.model
    def _meddev_awaiting_domain(self, action, permission):
        """Domain of the records waiting for the signed step ``action``
        (``permission`` its stage permission), for the welcome screen; None
        when the step is not awaited but done on demand. The user's roles and
        record rules are applied by the caller."""
        states = permission._states()
        if permission.signature_meaning not in self._meddev_awaited_meanings:
            return None
        if not states:
            return None
        return [(self._meddev_state_field_name(), "in", states)]

    @api.model
    def _audit_fields(self, fnames=None):
        # the action log and the allowed actions are about the record, not in it:
        # neither recorded as its change nor part of its signed content
        return [
            field
            for field in super()._audit_fields(fnames)
            if field.name not in ("meddev_action_log_ids", "meddev_allowed_actions")
        ]

    # ------------------------------------------------------------------
    # hooks for other modules
    # ------------------------------------------------------------------
    def _meddev_check_training(self, user, permission):
        """Hook: whether ``user`` is trained for ``permission`` (its
        ``training_document_ref``). The training module overrides it."""
        return True

    # ------------------------------------------------------------------
    # the check
    # ------------------------------------------------------------------
    @api.model
    def _meddev_permissions(self):
        """{action: permissions} of this model. Configuration, enforced whatever
        the user may read: read as superuser."""
        rows = (
            self.env["meddev.stage.permission"]
            .sudo()
            .search([("model", "=", self._name)])
        )
        result = {}
        for row in rows:
            result.setdefault(row.action, self.env["meddev.stage.permission"].sudo())
            result[row.action] |= row
        return result

    def _meddev_permission_for(self, rows):
        """The row that applies to this record: its company's, else the one
        without company."""
        self.ensure_one()
        if not rows:
            return rows
        company = (
            self.company_id if "company_id" in self._fields else self.env["res.company"]
        ) or self.env.company
        own = rows.filtered(lambda row: row.company_id == company)
        return own[:1] or rows.filtered(lambda row: not row.company_id)[:1]

    def _meddev_action_label(self, action, permission):
        if permission:
            return permission.name
        return self._meddev_declared_actions().get(action, action)

    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        """The exception refusing ``action`` on this record to ``user``, or None.

        ``logs``: {(record id, action): first log} of the records; ``signature``:
        whether to require being inside the electronic signature of the step.
        """
        self.ensure_one()
        permission = self._meddev_permission_for(permissions.get(action))
        label = self._meddev_action_label(action, permission)
        record = self.sudo().display_name  # named even if partly unreadable
        if not permission:
            return AccessError(
                self.env._(
                    "No stage permission is configured for the action %(action)s "
                    "of %(model)s, so nobody may do it. Ask your QMS administrator.",
                    action=label,
                    model=self._description,
                )
            )
        if not permission.group_ids & user.groups_id:
            return AccessError(
                self.env._(
                    "%(user)s may not %(action)s %(record)s: it needs one of the "
                    "roles %(roles)s.",
                    user=user.name,
                    action=label,
                    record=record,
                    roles=", ".join(permission.group_ids.mapped("name")),
                )
            )
        states = permission._states()
        state_field = self._meddev_state_field_name()
        if states and self[state_field] not in states:
            labels = dict(self._fields[state_field]._description_selection(self.env))
            return UserError(
                self.env._(
                    "%(record)s is %(state)s: %(action)s is only possible when it "
                    "is %(states)s.",
                    record=record,
                    state=labels.get(self[state_field], self[state_field]),
                    action=label,
                    states=", ".join(str(labels.get(s, s)) for s in states),
                )
            )
        if permission.tier_validation and self._meddev_tiers_pending():
            return UserError(
                self.env._(
                    "%(record)s must first be validated by its approval tiers: "
                    "%(action)s is refused.",
                    record=record,
                    action=label,
                )
            )
        for other in permission.not_same_user_as_ids:
            log = logs.get((self.id, other.action))
            if log and log.user_id == user:
                return UserError(
                    self.env._(
                        "%(user)s did %(earlier)s on %(record)s (%(when)s UTC), so "
                        "may not %(action)s it as well: segregation of duties.",
                        user=user.name,
                        earlier=other.name,
                        record=record,
                        when=log.timestamp,
                        action=label,
                    )
                )
        if not self._meddev_check_training(user, permission):
            return UserError(
                self.env._(
                    "%(user)s is not trained on %(training)s, which %(action)s "
                    "requires.",
                    user=user.name,
                    training=permission.training_document_ref or "",
                    action=label,
                )
            )
        if signature and permission.signature_meaning:
            return self._meddev_signature_refusal(action, permission, label, record)
        return None

    def _meddev_tiers_pending(self):
        """Whether the record's approval tiers (OCA ``base_tier_validation``)
        still hold an action whose permission row requires them. A model whose
        tiers apply only to some records (by a tier definition's domain)
        refines it."""
        return "validation_status" in self._fields and (
            self.validation_status != "validated"
        )

    def _meddev_signature_refusal(self, action, permission, label, record):
        meanings = dict(
            self.env["meddev.stage.permission"]
            ._fields["signature_meaning"]
            ._description_selection(self.env)
        )
        meaning = meanings[permission.signature_meaning]
        # rules are configuration, enforced whatever the user may read
        rule = (
            self.env["meddev.signature.rule"]
            .sudo()
            .search([("model", "=", self._name), ("action", "=", action)], limit=1)
        )
        if not rule or rule.meaning != permission.signature_meaning:
            return UserError(
                self.env._(
                    "%(action)s needs an electronic signature meaning %(meaning)s, "
                    "but no signature rule of that meaning is configured for it. "
                    "Ask your QMS administrator.",
                    action=label,
                    meaning=meaning,
                )
            )
        signed = self.env.cr.cache.get(SIGNED_KEY, set())
        if (self._name, self.id, action) not in signed:
            return UserError(
                self.env._(
                    "%(action)s of %(record)s needs your electronic signature "
                    "(%(meaning)s): use its Sign button.",
                    action=label,
                    record=record,
                    meaning=meaning,
                )
            )
        return None

    def _meddev_action_logs(self, actions):
        """{(record id, action): the current user's earliest log} of these
        records, for segregation of duties."""
        if not self.ids or not actions:
            return {}
        # the log is read for the check whatever the user may read
        logs = (
            self.env["meddev.stage.action.log"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("action", "in", list(actions)),
                    ("user_id", "=", self.env.uid),
                ],
                order="timestamp, id",
            )
        )
        result = {}
        for log in logs:
            result.setdefault((log.res_id, log.action), log)
        return result

    def _meddev_raise_refusal(self, action, permissions, signature):
        """Raise the first refusal of ``action`` on these records, if any."""
        sod_actions = (
            set(permissions[action].mapped("not_same_user_as_ids.action"))
            if action in permissions
            else set()
        )
        logs = self._meddev_action_logs(sod_actions)
        for record in self:
            refusal = record._meddev_refusal(
                action, permissions, logs, self.env.user, signature=signature
            )
            if refusal:
                raise refusal

    def _meddev_check_action(self, action):
        """Check that the current user may do ``action`` on these records now;
        raise AccessError (role) or UserError (state, approval tiers,
        segregation of duties, training, signature) and change nothing if not.
        On success, log the action (who, which, when, on which record)."""
        if action not in self._meddev_declared_actions():
            raise UserError(
                self.env._(
                    "%(model)s has no action %(action)s.",
                    model=self._description,
                    action=action,
                )
            )
        permissions = self._meddev_permissions()
        self._meddev_raise_refusal(action, permissions, signature=True)
        self._meddev_record_action(action, permissions)
        self.env.cr.cache.setdefault(CHECKED_KEY, set()).update(
            (self._name, record.id) for record in self
        )
        return True

    def _meddev_record_action(self, action, permissions=None):
        """Append who did ``action`` when on each record to the action log."""
        if not self:
            return
        permissions = self._meddev_permissions() if permissions is None else permissions
        rows = permissions.get(action)
        # the log is append-only and no user may write it: the server does
        self.env["meddev.stage.action.log"].sudo().create(
            [
                {
                    "res_model": self._name,
                    "res_id": record.id,
                    # the name as done, in full, whatever the actor may read
                    "res_name": record.sudo().display_name,
                    "action": action,
                    "action_label": record._meddev_action_label(
                        action, record._meddev_permission_for(rows)
                    ),
                    "user_id": self.env.uid,
                }
                for record in self
            ]
        )
        self.invalidate_recordset(["meddev_action_log_ids", "meddev_allowed_actions"])

    def action_meddev_sign(self):
        """Before the signing dialog opens (signature mixin), tell at once why
        the user may not do the step; the signature re-checks everything."""
        action = self.env.context.get("meddev_sign_action")
        if action in self._meddev_declared_actions():
            self._meddev_raise_refusal(
                action, self._meddev_permissions(), signature=False
            )
        return super().action_meddev_sign()

    def _meddev_signed_step(self, action, comment):
        """A signed step of a declared action runs ``action_<step>`` (which
        checks the action), the signer's comment as reason for change."""
        if action not in self._meddev_declared_actions():
            return super()._meddev_signed_step(action, comment)
        record = self.with_context(audit_reason=comment) if comment else self
        return getattr(record, f"action_{action}")()

    def _meddev_action_allowed(self, action):
        """Whether the current user may do ``action`` on the record now (the
        signature left aside): the exact test views and code use."""
        self.ensure_one()
        return action in (self.meddev_allowed_actions or "").split()

    @api.model
    def _meddev_initial_state(self):
        field = self._fields[self._meddev_state_field_name()]
        return field.default(self) if field.default else False

    def _meddev_refuse_skipped_stage(self, names):
        raise UserError(
            self.env._(
                "%(records)s must start in the first stage; its state changes "
                "only through its actions (%(actions)s).",
                records=", ".join(names),
                actions=", ".join(self._meddev_declared_actions().values()),
            )
        )

    @api.model
    def _meddev_state_guarded(self):
        field = self._meddev_state_field_name()
        return self._meddev_state_guard and not self.env.su and field in self._fields

    @api.model
    def _meddev_check_create_state(self, vals_list):
        """Refuse records asked for in another state than the first, before
        anything is written (a model's own create checks call it first)."""
        if not self._meddev_state_guarded():
            return
        field, initial = self._meddev_state_field_name(), self._meddev_initial_state()
        given = [v for v in vals_list if v.get(field, initial) != initial]
        if given:
            self._meddev_refuse_skipped_stage(
                [str(v.get("name") or self._description) for v in given]
            )

    @api.model_create_multi
    def create(self, vals_list):
        field = self._meddev_state_field_name()
        guarded = self._meddev_state_guarded()
        if guarded:
            initial = self._meddev_initial_state()
            self._meddev_check_create_state(vals_list)
        records = super().create(vals_list)
        if guarded:
            # after the defaults, so that a default_<state> context key counts
            skipped = records.filtered(lambda record: record[field] != initial)
            if skipped:
                self._meddev_refuse_skipped_stage(skipped.mapped("display_name"))
        return records

    def _meddev_server_write(self, vals):
        """Write, in a step already checked, fields of ``_meddev_server_fields``
        (with any other values)."""
        marks = {(self._name, record_id) for record_id in self.ids}
        writing = self.env.cr.cache.setdefault(SERVER_WRITE_KEY, set())
        writing.update(marks)
        try:
            return self.write(vals)
        finally:
            writing.difference_update(marks)

    def _meddev_check_server_fields(self, vals):
        server = [name for name in self._meddev_server_fields if name in vals]
        if not server or self.env.su:
            return
        writing = self.env.cr.cache.get(SERVER_WRITE_KEY, set())
        if all((self._name, record_id) in writing for record_id in self.ids):
            return
        raise UserError(
            self.env._(
                "%(fields)s of %(document)s are set by its steps, not written "
                "directly.",
                fields=", ".join(self._fields[name].string for name in server),
                document=self._description,
            )
        )

    def write(self, vals):
        self._meddev_check_server_fields(vals)
        field = self._meddev_state_field_name()
        if self._meddev_state_guard and self and field in vals and not self.env.su:
            checked = self.env.cr.cache.setdefault(CHECKED_KEY, set())
            unchecked = self.filtered(
                lambda record: record[field] != vals[field]
                and (record._name, record.id) not in checked
            )
            if unchecked:
                raise UserError(
                    self.env._(
                        "The state of %(records)s changes only through its "
                        "actions (%(actions)s).",
                        records=", ".join(unchecked.mapped("display_name")),
                        actions=", ".join(self._meddev_declared_actions().values()),
                    )
                )
            # each check allows one change of state
            checked.difference_update((record._name, record.id) for record in self)
        return super().write(vals)

    # ------------------------------------------------------------------
    # form
    # ------------------------------------------------------------------
    @api.depends_context("uid", "company")
    @api.depends(
        lambda self: [
            name for name in (self._meddev_state_field_name(),) if name in self._fields
        ]
    )
    def _compute_meddev_allowed_actions(self):
        actions = list(self._meddev_declared_actions())
        permissions = self._meddev_permissions()
        sod_actions = {
            other
            for rows in permissions.values()
            for other in rows.mapped("not_same_user_as_ids.action")
        }
        real = self.filtered("id")
        logs = real._meddev_action_logs(sod_actions)
        user = self.env.user
        for record in self:
            if not record.id:
                record.meddev_allowed_actions = ""
                continue
            allowed = [
                action
                for action in actions
                if record._meddev_refusal(
                    action, permissions, logs, user, signature=False
                )
                is None
            ]
            # ' a b ': a view tests "' a ' in meddev_allowed_actions" exactly
            record.meddev_allowed_actions = f" {' '.join(allowed)} " if allowed else ""

    @api.model
    def _meddev_button_action(self, button):
        """The declared action a form button does (``action_<code>``, or the
        signing button of step ``<code>``), or None."""
        name = button.get("name") or ""
        if name == "action_meddev_sign":
            found = SIGN_ACTION_RE.search(button.get("context") or "")
            code = found and found.group(1)
        else:
            code = name.removeprefix("action_") if name.startswith("action_") else None
        return code if code in self._meddev_declared_actions() else None

    @api.model
    def _meddev_hide_refused_buttons(self, arch):
        """Hide every button of a declared action from users who may not do it
        now: the form needs no condition of its own, and the test is exact."""
        for button in arch.xpath("//button[@type='object']"):
            code = self._meddev_button_action(button)
            if not code:
                continue
            refused = f"' {code} ' not in (meddev_allowed_actions or '')"
            shown = button.get("invisible")
            button.set("invisible", f"({shown}) or {refused}" if shown else refused)

    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        sheet = arch.xpath("//sheet")
        if view_type != "form" or not sheet:
            return arch, view
        if not arch.xpath("//field[@name='meddev_allowed_actions']"):
            etree.SubElement(
                sheet[0], "field", {"name": "meddev_allowed_actions", "invisible": "1"}
            )
        self._meddev_hide_refused_buttons(arch)
        if not arch.xpath("//field[@name='meddev_action_log_ids']"):
            separator = etree.SubElement(
                sheet[0], "separator", {"string": self.env._("Stage Actions")}
            )
            separator.tail = None
            logs = etree.SubElement(
                sheet[0],
                "field",
                {"name": "meddev_action_log_ids", "readonly": "1", "nolabel": "1"},
            )
            listing = etree.SubElement(logs, "list", {"create": "0", "delete": "0"})
            for name, extra in (
                ("action_label", {}),
                ("user_id", {}),
                # wide enough for the Chinese format (2026年11月28日 10时15分03秒)
                ("timestamp", {"width": "210px"}),
            ):
                etree.SubElement(listing, "field", {"name": name, **extra})
        return arch, view
