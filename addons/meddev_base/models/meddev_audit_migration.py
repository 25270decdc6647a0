"""Attribution of the audited changes made by a migration script."""

import json
from contextlib import contextmanager

from odoo import SUPERUSER_ID, api
from odoo.tools import SQL

from .meddev_audit_entry import _in_failed_transaction


@contextmanager
def audit_migration(cr, identity, reason):
    """Attribute the audited changes made inside to a migration, with a reason.

    For the migration scripts of a module (``migrations/<version>/*.py``) that
    change audited tables, by raw SQL or through the ORM::

        from odoo.addons.meddev_base import audit_migration


        def migrate(cr, version):
            with audit_migration(
                cr, "meddev_supplier 18.0.1.3.0", "Scores rescaled to 0-5 (CR-118)"
            ):
                cr.execute(...)

    Every audit entry written inside (by the capture triggers or by the mixin)
    records ``migration: <identity>`` as login and ``reason`` as reason for
    change (a change inside that gives its own reason keeps it); raw SQL is
    attributed to no Odoo user, instead of to the row's last writer. Pending
    ORM changes are written before and after the block, and the previous
    binding is restored on leaving it.
    """
    identity = (identity or "").strip() if isinstance(identity, str) else ""
    reason = (reason or "").strip() if isinstance(reason, str) else ""
    if not identity or not reason:
        # a programming error in a migration script, not a user's: no
        # translation
        raise ValueError(
            "audit_migration() needs the migration's identity and a reason"
        )
    env = api.Environment(cr, SUPERUSER_ID, {})
    env.flush_all()
    cr.execute(
        SQL(
            "SELECT current_setting('meddev.audit_ctx', true), "
            "current_setting('meddev.audit_reason', true)"
        )
    )
    previous = cr.fetchone()
    saved = {
        name: getattr(cr, name, None)
        for name in ("_meddev_audit_ctx", "_meddev_audit_reason")
    }
    _bind(cr, f"migration: {identity}", reason)
    cr._meddev_audit_migration = {"identity": identity, "reason": reason}
    # the next ORM change binds its user anew, with the migration's identity
    cr._meddev_audit_ctx = ("migration", identity)
    cr._meddev_audit_reason = reason
    try:
        yield
        env.flush_all()
    finally:
        cr._meddev_audit_migration = None
        if not _in_failed_transaction(cr):
            _restore(cr, *previous)
        for name, value in saved.items():
            setattr(cr, name, value)


def _bind(cr, login, reason):
    context = {"uid": None, "login": login, "lang": "en_US", "ip": None}
    cr.execute(
        SQL(
            "SELECT set_config('meddev.audit_ctx', %s, true), "
            "set_config('meddev.audit_reason', %s, true)",
            json.dumps(context),
            reason,
        )
    )


def _restore(cr, audit_ctx, audit_reason):
    cr.execute(
        SQL(
            "SELECT set_config('meddev.audit_ctx', %s, true), "
            "set_config('meddev.audit_reason', %s, true)",
            audit_ctx or "",
            audit_reason or "",
        )
    )
