import hashlib
import json
from contextlib import contextmanager

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import ValidationError
from odoo.tools import SQL

from .meddev_audit_display import X2MANY_DISPLAY_LIMIT, SystemReason
from .meddev_mixin_contract import check_mixin_order

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

    @api.depends_context("uid")
    def _compute_audit_reason_required(self):
        """A reason is asked of who may change the record, in a controlled
        state; a reader (the auditor) is not shown the field."""
        asked = self._audit_controlled()._filtered_access("write")
        for record in self:
            record.audit_reason_required = record in asked

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
        # the list's Print button reports on this record
        action["context"] = {
            "create": False,
            "meddev_audit_record": [self._name, self.id],
        }
        action["name"] = self.env._("Audit Trail: %(name)s", name=self.display_name)
        return action

    @api.model
    def _setup_complete(self):
        result = super()._setup_complete()
        # a mixin listed in the wrong place would silently do nothing
        check_mixin_order(type(self))
        return result

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
        """The reason for change given with the values or in the context (a
        SystemReason as it is: read in the reader's language)."""
        reason = vals.pop("audit_reason", None) or self.env.context.get("audit_reason")
        if isinstance(reason, SystemReason):
            return reason
        return reason.strip() if isinstance(reason, str) and reason.strip() else None

    def _audit_require_reason(self, reason, operation):
        if reason:
            return
        controlled = self._audit_controlled()
        if controlled:
            # a user who may not change the records at all is told so, not
            # asked for a reason first
            controlled.check_access("unlink" if operation == "unlink" else "write")
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
    # the capture trigger (see the comment above meddev.audit.entry)
    # ------------------------------------------------------------------
    def init(self):
        super().init()
        if self._abstract or not self._auto or not self._table:
            return
        self._audit_install_trigger()

    @api.model
    def _audit_row_fields(self):
        """The audited fields the capture trigger sees: columns of this table.
        Binary values are recorded as digests by the mixin, not by the trigger."""
        return [
            field
            for field in self._audit_fields()
            if field.column_type and not field.inherited and field.type != "binary"
        ]

    @api.model
    def _audit_side_fields(self, fnames):
        """The audited fields among ``fnames`` outside this table's row
        (x2many, binaries in a column, fields of a delegated parent): recorded
        by the mixin itself. Binaries stored as attachments are recorded by
        ``ir.attachment`` (checksum, name and size of the file)."""
        cls = type(self)
        # computed once per model class: the registry builds new classes when
        # its fields change
        side = cls.__dict__.get("_meddev_audit_side_names")
        if side is None:
            row = {field.name for field in self._audit_row_fields()}
            side = frozenset(
                field.name
                for field in self._audit_fields()
                if field.name not in row
                and not (field.type == "binary" and field.attachment)
            )
            cls._meddev_audit_side_names = side
        return [self._fields[name] for name in fnames if name in side]

    @api.model
    def _audit_install_trigger(self):
        """(Re)create this table's capture function and trigger for the
        current fields and columns."""
        cr = self.env.cr
        cr.execute(
            SQL(
                "SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attnum > 0 AND NOT attisdropped",
                self._table,
            )
        )
        columns = {row[0] for row in cr.fetchall()}
        function = SQL.identifier(_capture_function_name(self._table))
        table = SQL.identifier(self._table)
        body = self._audit_trigger_body(columns)
        # The body goes in as a string literal, quoted by the driver: no
        # dollar-quote tag that a column name (``x_a$fn$`` is a legal one)
        # could close.
        cr.execute(
            SQL(
                "CREATE OR REPLACE FUNCTION %s() RETURNS trigger "
                "LANGUAGE plpgsql AS %s",
                function,
                cr.mogrify(body.code, body.params).decode(),
            )
        )
        cr.execute(SQL("DROP TRIGGER IF EXISTS meddev_audit_capture ON %s", table))
        cr.execute(
            SQL(
                "CREATE TRIGGER meddev_audit_capture "
                "AFTER INSERT OR UPDATE OR DELETE ON %s "
                "FOR EACH ROW EXECUTE FUNCTION %s()",
                table,
                function,
            )
        )

    @api.model
    def _audit_trigger_body(self, columns):
        """The plpgsql body of this table's capture function (see
        meddev_audit_entry: who, why and how it is recorded)."""

        def row(column):
            return SQL(
                "(CASE WHEN TG_OP = 'DELETE' THEN OLD.%s ELSE NEW.%s END)",
                SQL.identifier(column),
                SQL.identifier(column),
            )

        checks = []
        for field in self._audit_row_fields():
            if field.name not in columns:
                continue
            col = SQL.identifier(field.name)
            old, new = SQL("OLD.%s", col), SQL("NEW.%s", col)
            if field.type == "boolean":
                old = SQL("coalesce(%s, false)", old)
                new = SQL("coalesce(%s, false)", new)
            values = [
                SQL("'field', %s", field.name),
                SQL("'old', coalesce(to_jsonb(%s), 'false')", old),
                SQL("'new', coalesce(to_jsonb(%s), 'false')", new),
            ]
            if field.type == "many2one":
                comodel = self.env[field.comodel_name]
                name_field = comodel._fields.get(comodel._rec_name or "")
                if (
                    name_field
                    and name_field.store
                    and name_field.column_type
                    and not name_field.inherited
                    and comodel._table
                    and not comodel._abstract
                ):
                    name = _text(
                        SQL("t.%s", SQL.identifier(name_field.name)), name_field
                    )
                    for key, value in (("old_display", old), ("new_display", new)):
                        values.append(
                            SQL(
                                "%s, coalesce((SELECT %s FROM %s t "
                                "WHERE t.id = %s), '')",
                                key,
                                name,
                                SQL.identifier(comodel._table),
                                value,
                            )
                        )
            checks.append(
                SQL(
                    "IF %s IS DISTINCT FROM %s THEN "
                    "v_changes := v_changes || jsonb_build_object(%s); "
                    "v_fields := v_fields || ' ' || %s; END IF;",
                    new,
                    old,
                    SQL(", ").join(values),
                    field.name,
                )
            )
        if not checks:
            return SQL("BEGIN RETURN NULL; END")
        rec_field = self._fields.get(self._rec_name or "")
        if rec_field and rec_field.store and rec_field.name in columns:
            res_name = _text(row(rec_field.name), rec_field)
        else:
            res_name = SQL("NULL::varchar")
        company = (
            row("company_id")
            if "company_id" in columns
            and self._fields.get("company_id")
            and self._fields["company_id"].type == "many2one"
            else SQL("NULL::integer")
        )
        if {"create_uid", "write_uid"} <= columns:
            who = SQL(
                """
    IF TG_OP = 'INSERT' THEN
        v_uid := coalesce(NEW.create_uid, v_bound);
    ELSIF TG_OP = 'UPDATE' AND (v_ctx IS NULL
            OR NEW.write_uid IS DISTINCT FROM OLD.write_uid) THEN
        v_uid := coalesce(NEW.write_uid, v_bound);
    ELSE
        v_uid := v_bound;
    END IF;"""
            )
        else:
            who = SQL("v_uid := v_bound;")
        return SQL(
            """
DECLARE
    v_changes jsonb := '[]';
    v_fields text := '';
    v_ctx jsonb := nullif(current_setting('meddev.audit_ctx', true), '')::jsonb;
    v_lang text := coalesce(v_ctx ->> 'lang', 'en_US');
    v_bound integer := (v_ctx ->> 'uid')::integer;
    v_uid integer;
    v_login varchar;
BEGIN
    %(checks)s
    IF v_fields = '' THEN
        RETURN NULL;
    END IF;
    %(who)s
    IF v_uid IS NOT NULL AND v_uid = v_bound THEN
        v_login := v_ctx ->> 'login';
    ELSIF v_uid IS NOT NULL THEN
        SELECT login INTO v_login FROM res_users WHERE id = v_uid;
    ELSE
        -- no Odoo user: the identity bound by audit_migration(), else the
        -- database role
        v_login := coalesce(v_ctx ->> 'login', 'database:' || session_user);
    END IF;
    INSERT INTO meddev_audit_entry (timestamp, user_id, user_login, res_model,
        res_id, res_name, operation, changes_json, changed_fields, reason,
        company_id, ip_address, session_ref, during_setup, reason_code,
        reason_params)
    VALUES ((clock_timestamp() AT TIME ZONE 'UTC'), v_uid, v_login,
        %(model)s, %(id)s, coalesce(%(res_name)s, %(model)s || ',' || %(id)s),
        CASE TG_OP WHEN 'INSERT' THEN 'create' WHEN 'UPDATE' THEN 'write'
                   ELSE 'unlink' END,
        v_changes::text, substr(v_fields, 2),
        nullif(current_setting('meddev.audit_reason', true), ''),
        %(company)s, v_ctx ->> 'ip', v_ctx ->> 'session',
        coalesce((v_ctx ->> 'setup')::boolean, false),
        nullif(current_setting('meddev.audit_reason_code', true), ''),
        nullif(current_setting('meddev.audit_reason_params', true), '')::jsonb);
    RETURN NULL;
END""",
            checks=SQL("\n    ").join(checks),
            who=who,
            model=self._name,
            id=row("id"),
            res_name=res_name,
            company=company,
        )

    # ------------------------------------------------------------------
    # ORM hooks
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        reasons = []
        for vals in vals_list:
            reasons.append(self._audit_reason_for(vals))
            # the creator is the acting user, never a value passed in
            vals.pop("create_uid", None)
            vals.pop("write_uid", None)
        with self._audit_scope(next((r for r in reasons if r), None)):
            records = super().create(vals_list)
        rows = []
        for record, vals, reason_ in zip(records, vals_list, reasons, strict=True):
            side = self._audit_side_fields(vals)
            if not side:
                continue
            new = record._audit_values(side)[record.id]
            changes = [
                _change(field, (False, ""), new[field.name])
                for field in side
                if new[field.name][0] not in (False, None, [], "")
            ]
            if changes:
                rows.append(record._audit_row("create", changes, reason_))
        self._audit_insert(rows)
        return records

    def write(self, vals):
        if not self:
            vals.pop("audit_reason", None)
            return super().write(vals)
        reason = self._audit_reason_for(vals)
        # the last writer is the acting user, never a value passed in
        vals.pop("write_uid", None)
        audit_fields = self._audit_fields(vals)
        if audit_fields:
            self._audit_require_reason(reason, "write")
        side = self._audit_side_fields(vals)
        old = self._audit_values(side) if side else None
        writer = self
        if reason and self.env.context.get("audit_reason") != reason:
            # a reason given with the values (the form's field) holds for what
            # the write changes through its lines as well
            writer = self.with_context(audit_reason=reason)
        with self._audit_scope(reason):
            result = super(MeddevAuditMixin, writer).write(vals)
            # one entry per write: the row is updated now, not merged with a
            # later write of the same transaction
            self.flush_recordset()
        if side:
            new = self._audit_values(side)
            rows = []
            for record in self:
                changes = [
                    _change(
                        field, old[record.id][field.name], new[record.id][field.name]
                    )
                    for field in side
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
        with self._audit_scope(reason, force=True):
            return super().unlink()

    @contextmanager
    def _audit_scope(self, reason, force=False):
        """Bind the acting user (once per transaction, or anew with ``force``)
        and, around the changes made inside, the reason for change."""
        Entry = self.env["meddev.audit.entry"]
        Entry._bind_context(force=force)
        if not reason:
            yield
            return
        # earlier pending changes go out without this reason
        self.env.flush_all()
        Entry._bind_reason(reason)
        try:
            yield
            # and the changes made inside (recomputations included) with it
            self.env.flush_all()
        finally:
            Entry._bind_reason(None)

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


def _text(value, field):
    """SQL of a column's value as text (a translated value in the acting
    user's language, else in English); calls no function, so plpgsql and the
    planner evaluate it inline."""
    if field.translate:
        return SQL("coalesce(%s ->> v_lang, %s ->> 'en_US')", value, value)
    return SQL("%s::varchar", value)


def _capture_function_name(table):
    name = f"meddev_audit_capture_{table}"
    if len(name) > 63:  # PostgreSQL's identifier length
        name = "meddev_audit_capture_" + hashlib.sha1(table.encode()).hexdigest()
    return name


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
