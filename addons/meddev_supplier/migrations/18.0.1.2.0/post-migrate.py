"""18.0.1.2.0: the supplier's portal users read the findings addressed to it.

The findings' supplier rule, made once by the supplier scope mixin (noupdate),
is narrowed to the findings whose follow-up is the supplier's, of reported or
closed audits, now that the portal users have read access to findings.
"""

from odoo import SUPERUSER_ID, api

from odoo.addons.meddev_supplier.models.meddev_supplier_audit_finding import (
    PORTAL_RULE_DOMAIN,
)

RULE = "meddev_supplier.supplier_scope_rule_meddev_supplier_audit_finding"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    rule = env.ref(RULE, raise_if_not_found=False)
    if rule:
        rule.domain_force = PORTAL_RULE_DOMAIN
