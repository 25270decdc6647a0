"""Three models with the same fields, differing only in how changes are logged.

bench/bench_audit.py writes ``qty`` and ``note`` of single records of each.
"""

from odoo import fields, models


class MeddevBenchPlain(models.Model):
    """No audit (and, in the auditlog variant, logged by an OCA auditlog rule)."""

    _name = "meddev.bench.plain"
    _description = "Bench: plain record"

    name = fields.Char(required=True)
    qty = fields.Integer()
    note = fields.Char()


class MeddevBenchAudited(models.Model):
    """The same record under the meddev Part 11 audit trail."""

    _name = "meddev.bench.audited"
    _inherit = ["meddev.audit.mixin"]
    _description = "Bench: audited record"

    name = fields.Char(required=True)
    qty = fields.Integer()
    note = fields.Char()


class MeddevBenchTracked(models.Model):
    """The same record with mail tracking on the written fields."""

    _name = "meddev.bench.tracked"
    _inherit = ["mail.thread"]
    _description = "Bench: mail-tracked record"

    name = fields.Char(required=True)
    qty = fields.Integer(tracking=True)
    note = fields.Char(tracking=True)
