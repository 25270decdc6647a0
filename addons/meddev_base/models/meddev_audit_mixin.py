import hashlib
import json

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

# Fields that say nothing about the record's content, or that the chatter and
# the ORM maintain on their own.
AUDIT_SKIP_FIELDS = frozenset(
    {
        "id",
        "create_date",
        "create_uid",
        "write_date",
        "write_uid",
        "display_name",
        "audit_reason",
        "message_main_attachment_id",
        "has_message",
    }
)
AUDIT_SKIP_PREFIXES = ("message_", "activity_", "website_message", "rating_")
# An x2many field's display value lists at most this many record names.
X2MANY_DISPLAY_LIMIT = 20


class MeddevAuditMixin(models.AbstractModel):
    """Opt-in Part 11 audit trail for a model.

    Every create, write and unlink of a model inheriting this mixin is recorded
    as one append-only ``meddev.audit.entry`` per record and operation, in the
    same transaction: who, when (UTC), what (per field: old and new value, raw
    and as displayed), why (the reason for change) and from where (IP, session).

    A model declares its controlled states; changing or deleting a record in
    such a state needs a reason: the ``audit_reason`` field in the form, or the
    ``audit_reason`` context key over RPC.

    Class attributes a model may set:

    - ``_audit_state_field``: the field holding the record's state (``state``);
    - ``_audit_controlled_states``: states in which a change needs a reason;
    - ``_audit_exclude_fields``: more fields not to record.

    There is deliberately no switch (context key or setting) that turns the
    recording off: RPC callers choose their context.
    """

    _name = "meddev.audit.mixin"
    _description = "Audited Record (Part 11 audit trail)"

    _audit_state_field = "state"
    _audit_controlled_states = ()
    _audit_exclude_fields = ()

    audit_reason = fields.Char(
        string="Reason for Change",
        compute="_compute_audit_reason",
        readonly=False,
        help="Why this approved or released record is being changed. Recorded "
        "in the audit trail with the change.",
    )
    audit_reason_required = fields.Boolean(compute="_compute_audit_reason_required")
    audit_entry_count = fields.Integer(
        string="Audit Trail", compute="_compute_audit_entry_count"
    )

    def _compute_audit_reason(self):
        for record in self:
            record.audit_reason = False

    def _compute_audit_reason_required(self):
        controlled = self._audit_controlled()
        for record in self:
            record.audit_reason_required = record in controlled

    def _compute_audit_entry_count(self):
        counts = {}
        if self.ids:
            # counted without the per-record read filter: the button is on a
            # record the user reads already
            self.env.cr.execute(
                SQL(
                    "SELECT res_id, count(*) FROM meddev_audit_entry "
                    "WHERE res_model = %s AND res_id IN %s GROUP BY res_id",
                    self._name,
                    tuple(self.ids),
                )
            )
            counts = dict(self.env.cr.fetchall())
        for record in self:
            record.audit_entry_count = counts.get(record.id, 0)

    def action_view_audit_trail(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_base.meddev_audit_entry_action"
        )
        action["domain"] = [("res_model", "=", self._name), ("res_id", "=", self.id)]
        action["context"] = {"create": False}
        action["name"] = self.env._("Audit Trail: %(name)s", name=self.display_name)
        return action

    # ------------------------------------------------------------------
    # what is recorded
    # ------------------------------------------------------------------
    @api.model
    def _audit_fields(self, fnames=None):
        """The stored fields of this model whose changes are recorded."""
        exclude = AUDIT_SKIP_FIELDS.union(self._audit_exclude_fields)
        names = self._fields if fnames is None else fnames
        result = []
        for name in names:
            field = self._fields.get(name)
            if (
                field is None
                or not field.store
                or name in exclude
                or name.startswith(AUDIT_SKIP_PREFIXES)
            ):
                continue
            result.append(field)
        return result

    def _audit_controlled(self):
        """The records of ``self`` in a controlled state."""
        states = self._audit_controlled_states
        if not states or self._audit_state_field not in self._fields:
            return self.browse()
        field = self._audit_state_field
        return self.filtered(lambda record: record[field] in states)

    def _audit_values(self, audit_fields):
        """{record id: {field name: (raw, display)}} for the given fields."""
        # read as superuser: the trail records every value the change touched,
        # also values of related records the current user may not read
        records = self.sudo()
        selections = {
            field.name: dict(field._description_selection(self.env))
            for field in audit_fields
            if field.type == "selection"
        }
        result = {}
        for record in records:
            values = {}
            for field in audit_fields:
                values[field.name] = _audit_value(
                    field, record[field.name], selections.get(field.name)
                )
            result[record.id] = values
        return result

    def _audit_reason_for(self, vals):
        reason = vals.pop("audit_reason", None) or self.env.context.get("audit_reason")
        return reason.strip() if isinstance(reason, str) and reason.strip() else None

    def _audit_require_reason(self, reason, operation):
        if reason:
            return
        controlled = self._audit_controlled()
        if controlled:
            state_field = self._fields[self._audit_state_field]
            labels = dict(state_field._description_selection(self.env))
            raise ValidationError(
                self.env._(
                    "A reason for change is required to %(operation)s %(records)s: "
                    "the record is %(state)s. Enter it in the Reason for Change "
                    "field (or pass the audit_reason context key).",
                    operation=self.env._("delete")
                    if operation == "unlink"
                    else self.env._("change"),
                    records=", ".join(controlled.mapped("display_name")),
                    state=", ".join(
                        sorted(
                            {
                                str(labels.get(s, s))
                                for s in controlled.mapped(self._audit_state_field)
                            }
                        )
                    ),
                )
            )

    # ------------------------------------------------------------------
    # ORM hooks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        reasons = []
        for vals in vals_list:
            reasons.append(self._audit_reason_for(vals))
        records = super().create(vals_list)
        rows = []
        for record, vals, reason in zip(records, vals_list, reasons, strict=True):
            audit_fields = self._audit_fields(vals)
            new = record._audit_values(audit_fields)[record.id]
            changes = [
                _change(field, (False, ""), new[field.name]) for field in audit_fields
            ]
            rows.append(record._audit_row("create", changes, reason))
        self._audit_insert(rows)
        return records

    def write(self, vals):
        if not self:
            vals.pop("audit_reason", None)
            return super().write(vals)
        reason = self._audit_reason_for(vals)
        audit_fields = self._audit_fields(vals)
        if not audit_fields:
            return super().write(vals)
        self._audit_require_reason(reason, "write")
        old = self._audit_values(audit_fields)
        result = super().write(vals)
        new = self._audit_values(audit_fields)
        rows = []
        for record in self:
            changes = [
                _change(field, old[record.id][field.name], new[record.id][field.name])
                for field in audit_fields
                if old[record.id][field.name][0] != new[record.id][field.name][0]
            ]
            if changes:
                rows.append(record._audit_row("write", changes, reason))
        self._audit_insert(rows)
        return result

    def unlink(self):
        if not self:
            return super().unlink()
        reason = self._audit_reason_for({})
        self._audit_require_reason(reason, "unlink")
        audit_fields = self._audit_fields()
        old = self._audit_values(audit_fields)
        rows = [
            record._audit_row(
                "unlink",
                [
                    _change(field, old[record.id][field.name], (False, ""))
                    for field in audit_fields
                    if old[record.id][field.name][0] not in (False, None, [], "")
                ],
                reason,
            )
            for record in self
        ]
        result = super().unlink()
        self._audit_insert(rows)
        return result

    def _audit_row(self, operation, changes, reason):
        return self.env["meddev.audit.entry"]._row_for(self, operation, changes, reason)

    @api.model
    def _audit_insert(self, rows):
        self.env["meddev.audit.entry"]._insert_rows(rows)

    # ------------------------------------------------------------------
    # form: audit trail button and reason for change, on every audited model
    # ------------------------------------------------------------------
    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        if view_type != "form":
            return arch, view
        box = arch.xpath("//div[@name='button_box']")
        if box and not arch.xpath("//button[@name='action_view_audit_trail']"):
            button = etree.SubElement(
                box[0],
                "button",
                {
                    "name": "action_view_audit_trail",
                    "type": "object",
                    "class": "oe_stat_button",
                    "icon": "fa-history",
                    "groups": "base.group_user",
                },
            )
            etree.SubElement(
                button,
                "field",
                {
                    "name": "audit_entry_count",
                    "widget": "statinfo",
                    "string": self.env._("Audit Trail"),
                },
            )
        sheet = arch.xpath("//sheet")
        if (
            self._audit_controlled_states
            and sheet
            and not arch.xpath("//field[@name='audit_reason']")
        ):
            alert = etree.Element(
                "div",
                {
                    "class": "alert alert-warning o_meddev_audit_reason",
                    "role": "alert",
                    "invisible": "not audit_reason_required",
                },
            )
            etree.SubElement(alert, "label", {"for": "audit_reason"})
            etree.SubElement(
                alert,
                "field",
                {
                    "name": "audit_reason",
                    "placeholder": self.env._(
                        "This record is approved: say why it is being changed"
                    ),
                },
            )
            etree.SubElement(
                sheet[0], "field", {"name": "audit_reason_required", "invisible": "1"}
            )
            position = 1 if box and box[0].getparent() is sheet[0] else 0
            sheet[0].insert(position, alert)
        return arch, view


def _audit_value(field, value, selection=None):
    """(raw, display) of a field value as the ORM holds it, JSON-friendly."""
    ftype = field.type
    if ftype == "many2one":
        return value.id or False, value.display_name or ""
    if ftype in ("one2many", "many2many"):
        names = value[:X2MANY_DISPLAY_LIMIT].mapped("display_name")
        more = len(value) - len(names)
        display = ", ".join(names) + (f" (+{more})" if more > 0 else "")
        return value.ids, display
    if ftype == "reference":
        if not value:
            return False, ""
        return f"{value._name},{value.id}", value.display_name
    if ftype == "selection":
        return value or False, str(
            selection.get(value, value or "")
        ) if selection else value
    if ftype == "datetime":
        text = fields.Datetime.to_string(value) if value else False
        return text, text or ""
    if ftype == "date":
        text = fields.Date.to_string(value) if value else False
        return text, text or ""
    if ftype == "binary":
        if not value:
            return False, ""
        data = value if isinstance(value, bytes) else str(value).encode()
        digest = hashlib.sha256(data).hexdigest()
        return f"sha256:{digest}", f"sha256:{digest[:16]}…"
    if ftype in ("json", "properties"):
        return value, json.dumps(
            value, ensure_ascii=False, default=str
        ) if value else ""
    if ftype == "boolean":
        return bool(value), str(bool(value))
    if value is None:
        value = False
    return value, "" if value is False and ftype != "integer" else str(value)


def _change(field, old, new):
    return {
        "field": field.name,
        "label": field.string,
        "type": field.type,
        "old": old[0],
        "new": new[0],
        "old_display": old[1],
        "new_display": new[1],
    }
