from odoo import api, models
from odoo.exceptions import AccessError
from odoo.osv import expression
from odoo.tools import SQL


class MeddevRecordAccessMixin(models.AbstractModel):
    """Records about other records (``res_model``/``res_id``: audit entries,
    signatures) are read by whoever may read the record they are about.

    Auditors, QA and administrators read them all, also those of deleted
    records. The filter applies to searches (lists, counts, groups) and to
    reads by id.
    """

    _name = "meddev.record.access.mixin"
    _description = "Readable with the record it is about"

    @api.model
    def _meddev_sees_all(self):
        user = self.env.user
        return (
            self.env.su
            or user.has_group("meddev_base.group_meddev_auditor")
            or user.has_group("meddev_base.group_meddev_qa_engineer")
            or user.has_group("meddev_base.group_meddev_admin")
            or user.has_group("base.group_system")
        )

    @api.model
    def _search(self, domain, offset=0, limit=None, order=None):
        if self._meddev_sees_all():
            return super()._search(domain, offset, limit, order)
        domain = expression.AND([domain, self._meddev_private_domain()])
        candidates = super()._search(domain)
        self.env.cr.execute(
            SQL(
                "SELECT res_model, array_agg(DISTINCT res_id) FROM %s"
                " WHERE id IN %s GROUP BY res_model",
                SQL.identifier(self._table),
                candidates.subselect(),
            )
        )
        readable = []
        for model, res_ids in self.env.cr.fetchall():
            if model not in self.env or not self.env[model].has_access("read"):
                continue
            # one search per document type, not per record
            ids = (
                self.env[model]
                .with_context(active_test=False)
                .search([("id", "in", res_ids)])
                .ids
            )
            if ids:
                readable.append([("res_model", "=", model), ("res_id", "in", ids)])
        restriction = expression.OR(readable) if readable else expression.FALSE_DOMAIN
        return super()._search(
            expression.AND([domain, restriction]), offset, limit, order
        )

    @api.model
    def _meddev_private_domain(self):
        """What only the officers who read everything may read, as the
        domain the others' searches are restricted to."""
        return []

    def _check_access(self, operation):
        result = super()._check_access(operation)
        if result or operation != "read" or not self._ids or self._meddev_sees_all():
            return result
        forbidden = self - self.browse(self._search([("id", "in", self._ids)]))
        if forbidden:
            return forbidden, lambda: AccessError(
                self.env._(
                    "You may read %(what)s only of records you may read.",
                    what=self._description,
                )
            )
        return None
