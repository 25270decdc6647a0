from odoo import fields, models
from odoo.tools import SQL

from .meddev_aql_code_letter import INSPECTION_LEVELS
from .meddev_sampling_switch import SWITCH_STATES
from .qc_inspection import MEDDEV_STATES


class MeddevInspectionAnalysis(models.Model):
    """One row per lot inspection of a sampling plan, for the pivot and the
    graph: lots inspected, accepted and rejected, the rejection rate and the
    defect rate by supplier, product, period and severity. The rates are
    averages over the decided inspections only (``NULL`` otherwise, which
    the average leaves out); re-inspections are rows of their own, flagged,
    so that the original inspections can be counted alone (as the switching
    rules and the supplier scorecard do).

    Read-only, computed by the database from ``qc_inspection`` on each
    query (no table, no view to keep up to date)."""

    _name = "meddev.inspection.analysis"
    _description = "Inspection Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "inspection_id"
    # flushed before each query of the analysis
    _depends = {
        "qc.inspection": [
            "date",
            "company_id",
            "meddev_partner_id",
            "product_id",
            "lot_id",
            "meddev_plan_id",
            "meddev_job_id",
            "inspection_level",
            "severity",
            "meddev_state",
            "meddev_parent_id",
            "lot_size",
            "sample_size",
            "defects_critical",
            "defects_major",
            "defects_minor",
        ],
        "product.product": ["product_tmpl_id"],
        "product.template": ["categ_id"],
    }

    inspection_id = fields.Many2one("qc.inspection", readonly=True)
    date = fields.Datetime(readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    categ_id = fields.Many2one(
        "product.category", string="Product Category", readonly=True
    )
    lot_id = fields.Many2one("stock.lot", readonly=True)
    plan_id = fields.Many2one(
        "meddev.sampling.plan", string="Sampling Plan", readonly=True
    )
    job_id = fields.Many2one(
        "meddev.outsourcing.job", string="Outsourcing Job", readonly=True
    )
    inspection_level = fields.Selection(INSPECTION_LEVELS, readonly=True)
    severity = fields.Selection(SWITCH_STATES, readonly=True)
    state = fields.Selection(MEDDEV_STATES, string="Decision State", readonly=True)
    reinspection = fields.Boolean(
        string="Re-inspection",
        readonly=True,
        help="A re-inspection (复验) of a lot already inspected.",
    )
    lot_count = fields.Integer(string="Lots Inspected", readonly=True)
    decided_count = fields.Integer(
        string="Lots Decided",
        readonly=True,
        help="Inspections whose decision is final: accepted or rejected.",
    )
    accepted_count = fields.Integer(string="Lots Accepted", readonly=True)
    rejected_count = fields.Integer(string="Lots Rejected", readonly=True)
    rejection_rate = fields.Float(
        string="Rejection Rate (%)",
        digits=(5, 2),
        readonly=True,
        aggregator="avg",
        help="Rejected lots of the decided lots, in percent.",
    )
    lot_size = fields.Integer(string="Units in the Lots", readonly=True)
    sample_size = fields.Integer(string="Units Sampled", readonly=True)
    defects_critical = fields.Integer(string="Critical Defectives", readonly=True)
    defects_major = fields.Integer(string="Major Defectives", readonly=True)
    defects_minor = fields.Integer(string="Minor Defectives", readonly=True)
    defective_units = fields.Integer(
        readonly=True,
        help="Defectives found in the samples, every class.",
    )
    defect_rate = fields.Float(
        string="Defect Rate (%)",
        digits=(5, 2),
        readonly=True,
        aggregator="avg",
        help="Defective units of the units sampled, in percent, averaged over "
        "the decided inspections.",
    )

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT i.id AS id,
                   i.id AS inspection_id,
                   i.date AS date,
                   i.company_id AS company_id,
                   i.meddev_partner_id AS partner_id,
                   i.product_id AS product_id,
                   t.categ_id AS categ_id,
                   i.lot_id AS lot_id,
                   i.meddev_plan_id AS plan_id,
                   i.meddev_job_id AS job_id,
                   i.inspection_level AS inspection_level,
                   i.severity AS severity,
                   i.meddev_state AS state,
                   i.meddev_parent_id IS NOT NULL AS reinspection,
                   1 AS lot_count,
                   CASE WHEN i.meddev_state IN %(decided)s THEN 1 ELSE 0 END
                       AS decided_count,
                   CASE WHEN i.meddev_state = 'accepted' THEN 1 ELSE 0 END
                       AS accepted_count,
                   CASE WHEN i.meddev_state = 'rejected' THEN 1 ELSE 0 END
                       AS rejected_count,
                   CASE WHEN i.meddev_state = 'rejected' THEN 100.0
                        WHEN i.meddev_state = 'accepted' THEN 0.0
                   END AS rejection_rate,
                   COALESCE(i.lot_size, 0) AS lot_size,
                   COALESCE(i.sample_size, 0) AS sample_size,
                   COALESCE(i.defects_critical, 0) AS defects_critical,
                   COALESCE(i.defects_major, 0) AS defects_major,
                   COALESCE(i.defects_minor, 0) AS defects_minor,
                   %(defective)s AS defective_units,
                   CASE WHEN i.meddev_state IN %(decided)s AND i.sample_size > 0
                        THEN 100.0 * %(defective)s / i.sample_size
                   END AS defect_rate
              FROM qc_inspection i
              LEFT JOIN product_product p ON p.id = i.product_id
              LEFT JOIN product_template t ON t.id = p.product_tmpl_id
             WHERE i.meddev_plan_id IS NOT NULL
            """,
            decided=("accepted", "rejected"),
            defective=SQL(
                "(COALESCE(i.defects_critical, 0) + COALESCE(i.defects_major, 0)"
                " + COALESCE(i.defects_minor, 0))"
            ),
        )
