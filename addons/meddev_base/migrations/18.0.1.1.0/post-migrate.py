"""18.0.1.1.0: the audit trail is captured by per-table database triggers.

The audited models' triggers are made by their ``init()`` during the update.
Three single-column indexes of ``meddev_audit_entry`` are no longer declared
(``(res_model, res_id)`` has its own index); Odoo keeps indexes it no longer
expects, so they are dropped here to keep the entry's INSERT cheap.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            "DROP INDEX IF EXISTS meddev_audit_entry__res_model_index, "
            "meddev_audit_entry__res_id_index, meddev_audit_entry__operation_index"
        )
    )
