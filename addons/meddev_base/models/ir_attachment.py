from collections import defaultdict

from odoo import api, models
from odoo.tools import SQL

from .meddev_audit_entry import _acting_login, _migration

# attachment values that change which file a binary field holds
FILE_KEYS = frozenset(
    {
        "datas",
        "raw",
        "db_datas",
        "store_fname",
        "url",
        "type",
        "name",
        "res_model",
        "res_id",
        "res_field",
    }
)


class IrAttachment(models.Model):
    """The files of audited binary fields (``attachment=True``) are audited
    where they change, the attachment, whatever path changed it (the record's
    write or the attachment itself): one entry per record with the old and new
    checksum, name and size of each file, never its content. Replacing or
    removing the file of a record in a controlled state needs a reason, as
    changing the record does."""

    _inherit = "ir.attachment"

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_check_replacement(vals_list)
        attachments = super().create(vals_list)
        if any(vals.get("res_field") for vals in vals_list):
            attachments._meddev_audit_files({}, attachments._meddev_file_states())
        return attachments

    def write(self, vals):
        if not self or not FILE_KEYS.intersection(vals):
            return super().write(vals)
        before = self._meddev_file_states()
        self._meddev_require_reason({key for key, _file in before.values()})
        result = super().write(vals)
        self._meddev_audit_files(before, self._meddev_file_states())
        return result

    def unlink(self):
        before = self._meddev_file_states() if self else {}
        self._meddev_require_reason({key for key, _file in before.values()})
        result = super().unlink()
        self._meddev_audit_files(before, {})
        return result

    # ------------------------------------------------------------------
    # what the files are
    # ------------------------------------------------------------------
    @api.model
    def _meddev_audited_field(self, model_name, field_name):
        """The audited binary field ``model_name.field_name``, else None."""
        model = self.env.registry.get(model_name)
        if model is None or not hasattr(model, "_audit_fields") or model._abstract:
            return None
        audited = self.env[model_name]._audit_fields([field_name])
        return audited[0] if audited and audited[0].type == "binary" else None

    def _meddev_file_states(self):
        """{attachment id: ((model, record id, field), file)} for the
        attachments of ``self`` holding an audited binary field; a file is
        ``{"checksum", "name", "size"}``."""
        if not self.ids:
            return {}
        self.flush_recordset()
        self.env.cr.execute(
            SQL(
                "SELECT id, res_model, res_id, res_field, checksum, name, file_size "
                "FROM ir_attachment WHERE id IN %s AND res_field IS NOT NULL "
                "AND res_id IS NOT NULL AND res_id != 0",
                tuple(self.ids),
            )
        )
        states = {}
        for (
            att_id,
            model,
            res_id,
            field,
            checksum,
            name,
            size,
        ) in self.env.cr.fetchall():
            if self._meddev_audited_field(model, field):
                file = {"checksum": checksum, "name": name, "size": size}
                states[att_id] = ((model, res_id, field), file)
        return states

    # ------------------------------------------------------------------
    # reason for change in controlled states
    # ------------------------------------------------------------------
    @api.model
    def _meddev_check_replacement(self, vals_list):
        """A file created for a field that already holds one replaces it."""
        targets = {
            (vals["res_model"], vals["res_id"], vals["res_field"])
            for vals in vals_list
            if vals.get("res_field") and vals.get("res_model") and vals.get("res_id")
        }
        targets = {key for key in targets if self._meddev_audited_field(key[0], key[2])}
        if not targets:
            return
        self.env.cr.execute(
            SQL(
                "SELECT DISTINCT res_model, res_id, res_field FROM ir_attachment "
                "WHERE (res_model, res_id, res_field) IN %s",
                tuple(targets),
            )
        )
        self._meddev_require_reason(set(self.env.cr.fetchall()))

    @api.model
    def _meddev_require_reason(self, keys):
        """Refuse, before any change, to replace or remove the file of a
        record in a controlled state without a reason for change."""
        by_model = defaultdict(set)
        for model, res_id, _field in keys:
            by_model[model].add(res_id)
        reason = self.env.context.get("audit_reason")
        reason = reason.strip() if isinstance(reason, str) else None
        for model, ids in by_model.items():
            records = self.env[model].browse(ids).exists()
            records._audit_require_reason(reason or None, "write")

    # ------------------------------------------------------------------
    # the entries
    # ------------------------------------------------------------------
    @api.model
    def _meddev_audit_files(self, before, after):
        """One entry per record whose files changed between the states
        ``before`` and ``after`` (see ``_meddev_file_states``)."""
        changes = defaultdict(list)  # (model, record id) -> changes
        for att_id in before.keys() | after.keys():
            old_key, old = before.get(att_id, (None, None))
            new_key, new = after.get(att_id, (None, None))
            if old_key == new_key:
                if old != new:
                    changes[old_key[:2]].append(
                        _file_change(self.env, old_key, old, new)
                    )
                continue
            if old_key:
                changes[old_key[:2]].append(_file_change(self.env, old_key, old, None))
            if new_key:
                changes[new_key[:2]].append(_file_change(self.env, new_key, None, new))
        if not changes:
            return
        reason = self.env.context.get("audit_reason")
        reason = reason.strip() if isinstance(reason, str) and reason.strip() else None
        by_model = defaultdict(list)
        for model, res_id in changes:
            by_model[model].append(res_id)
        Entry = self.env["meddev.audit.entry"]
        rows = []
        for model, ids in by_model.items():
            # the trail names the record whatever the actor may read of it
            existing = self.env[model].sudo().browse(ids).exists()
            for record in self.env[model].sudo().browse(ids):
                record_changes = changes[(model, record.id)]
                if record in existing:
                    rows.append(Entry._row_for(record, "write", record_changes, reason))
                else:
                    rows.append(
                        self._meddev_row_of_deleted(record, record_changes, reason)
                    )
        Entry._insert_rows(rows)

    @api.model
    def _meddev_row_of_deleted(self, record, changes, reason):
        """The entry of the files removed with their deleted record."""
        migration = _migration(self.env.cr) or {}
        return (
            self.env.uid,
            _acting_login(self.env),
            record._name,
            record.id,
            f"{record._name},{record.id}",
            "unlink",
            changes,
            reason or migration.get("reason"),
            None,
        )


def _file_change(env, key, old, new):
    field = env[key[0]]._fields[key[2]]
    return {
        "field": field.name,
        "label": field.string,
        "type": field.type,
        "old": old or False,
        "new": new or False,
        "old_display": _file_display(old),
        "new_display": _file_display(new),
    }


def _file_display(file):
    if not file:
        return ""
    checksum = (file["checksum"] or "")[:12]
    return f"{file['name']} · {file['size'] or 0} B · sha1:{checksum}"
