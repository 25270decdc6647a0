from odoo import api, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# partner fields the supplier scope of portal users depends on (their
# commercial partner, through user.commercial_partner_id in record rules)
SCOPE_FIELDS = {"parent_id", "is_company"}
# a refusal names at most this many records
NAMED_RECORDS_LIMIT = 10


class ResPartner(models.Model):
    _inherit = "res.partner"

    def write(self, vals):
        result = super().write(vals)
        # whether users are concerned is checked whatever the writer may read
        if SCOPE_FIELDS.intersection(vals) and self.sudo().user_ids:
            # record rules cache their domain per user: a contact moved to
            # another company must see that company's records, not the old
            # one's, from now on
            self.env.registry.clear_cache()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_meddev_records(self):
        """A partner that audited records (qualifications, certificates...)
        refer to is kept: refused here with the records named, before the
        database's foreign keys refuse it without saying which."""
        self._meddev_check_no_regulated_records(self.env._("deleted"))

    # ------------------------------------------------------------------
    # the audited records of a partner
    # ------------------------------------------------------------------
    @api.model
    def _meddev_partner_columns(self):
        """[(model name, table, column)] of the many2one columns to res.partner
        of every audited model."""
        result = []
        for name, model in self.env.registry.items():
            if (
                model._abstract
                or not model._auto
                or not model._table
                or not hasattr(model, "_audit_install_trigger")
            ):
                continue
            for field in model._fields.values():
                if (
                    field.type == "many2one"
                    and field.comodel_name == "res.partner"
                    and field.store
                    and field.column_type
                    and not field.inherited
                    and not field.company_dependent
                ):
                    result.append((name, model._table, field.name))
        return result

    def _meddev_regulated_records(self):
        """The audited records that reference the partners of ``self``, as a
        list of recordsets (one per model), read as superuser."""
        if not self.ids:
            return []
        self.flush_recordset()
        columns = self._meddev_partner_columns()
        if not columns:
            return []
        for model_name, _table, _column in columns:
            self.env[model_name].flush_model()
        self.env.cr.execute(
            SQL(" UNION ").join(
                SQL(
                    "SELECT %s AS model, id FROM %s WHERE %s IN %s",
                    model_name,
                    SQL.identifier(table),
                    SQL.identifier(column),
                    tuple(self.ids),
                )
                for model_name, table, column in columns
            )
        )
        ids = {}
        for model_name, record_id in self.env.cr.fetchall():
            ids.setdefault(model_name, []).append(record_id)
        # the refusal names what blocks it, also to a contact manager who may
        # not read the quality records
        return [
            self.env[model_name].sudo().browse(sorted(record_ids))
            for model_name, record_ids in sorted(ids.items())
        ]

    def _meddev_check_no_regulated_records(self, operation):
        """Refuse ``operation`` (the translated verb: deleted, merged) of
        partners that audited records reference."""
        records = self._meddev_regulated_records()
        if not records:
            return
        Model = self.env["ir.model"]
        names = [
            f"{Model._get(recs._name).name} {rec.display_name}"
            for recs in records
            for rec in recs
        ]
        more = len(names) - NAMED_RECORDS_LIMIT
        listed = ", ".join(names[:NAMED_RECORDS_LIMIT])
        if more > 0:
            listed = self.env._(
                "%(records)s and %(count)s more", records=listed, count=more
            )
        raise UserError(
            self.env._(
                "%(partners)s cannot be %(operation)s: the quality records "
                "%(records)s refer to it, and they must stay with the supplier they "
                "were recorded for. Archive the contact instead.",
                partners=", ".join(self.mapped("display_name")),
                operation=operation,
                records=listed,
            )
        )
