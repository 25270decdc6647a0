"""18.0.1.3.0: signatures and stage action logs record the company of their
record, and are read in that company only (multi-company record rules).

The new ``company_id`` columns of the rows written before are filled here from
the records they are about (audit entries recorded their company from the
start). An *end* script: it runs once every updated module is loaded, so the
records of the modules depending on meddev_base (supplier agreements...) are
known. Both tables are append-only: their row guard is disabled for this one
UPDATE, inside the update's transaction, and enabled again; nothing but the
empty ``company_id`` is written.
"""

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

TABLES = ("meddev_signature", "meddev_stage_action_log")


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for table in TABLES:
        _fill_company(env, table)


def _fill_company(env, table):
    cr = env.cr
    cr.execute(
        SQL(
            "SELECT DISTINCT res_model FROM %s WHERE company_id IS NULL",
            SQL.identifier(table),
        )
    )
    models = [
        env[name]
        for (name,) in cr.fetchall()
        if name in env
        and "company_id" in env[name]._fields
        and env[name]._fields["company_id"].column_type
        and env[name]._fields["company_id"].comodel_name == "res.company"
    ]
    if not models:
        return
    guard = SQL.identifier(f"{table}_guard_row")
    cr.execute(SQL("ALTER TABLE %s DISABLE TRIGGER %s", SQL.identifier(table), guard))
    for model in models:
        cr.execute(
            SQL(
                "UPDATE %(log)s l SET company_id = r.company_id FROM %(records)s r"
                " WHERE l.res_model = %(model)s AND l.res_id = r.id"
                " AND l.company_id IS NULL AND r.company_id IS NOT NULL",
                log=SQL.identifier(table),
                records=SQL.identifier(model._table),
                model=model._name,
            )
        )
    cr.execute(SQL("ALTER TABLE %s ENABLE TRIGGER %s", SQL.identifier(table), guard))
