from odoo import api, fields, models
from odoo.tools import SQL

from .meddev_nonconformance_grade_rule import GRADES

AGE_BUCKETS = [
    ("0_7", "0-7 Days"),
    ("8_30", "8-30 Days"),
    ("31_90", "31-90 Days"),
    ("91_plus", "Over 90 Days"),
]
STATUSES = [("open", "Open"), ("closed", "Closed"), ("cancel", "Cancelled")]
# the database's clock in UTC, as the ORM stores datetimes
NOW = SQL("(now() AT TIME ZONE 'UTC')")


class MeddevQualityEventAnalysis(models.Model):
    """The quality managers' dashboard: one row per quality event (exception,
    CAPA, SCAR) with its grade, age and age bucket, whether it is overdue
    and escalated, its type, supplier, product and process step, for the
    graph (Pareto: bars in descending order) and the pivot. The CAPA rows
    carry ``effectiveness`` (100 effective, 0 not, NULL not yet verified:
    the average is the effectiveness rate), the SCAR rows ``on_time`` (100
    answered in time, 0 late, NULL still running: the on-time rate); the
    CAPA aging is the ``age_days`` / ``age_bucket`` of its open rows.

    Another kind of event joins by overriding ``_meddev_event_sources`` (one
    more ``SELECT`` of the same columns, its own ``kind_index`` below 8) and
    ``selection_add`` on ``event_kind``.

    Read-only, computed by the database on each query (no table to keep up
    to date); the ages and overdue flags are as of the query."""

    _name = "meddev.quality.event.analysis"
    _description = "Quality Event Analysis"
    _auto = False
    _order = "date desc, id desc"
    _rec_name = "name"
    _depends = {
        "meddev.nonconformance": [
            "name",
            "create_date",
            "company_id",
            "state",
            "grade",
            "type_id",
            "partner_id",
            "product_id",
            "process_id",
            "user_id",
            "containment_deadline",
            "closure_deadline",
            "containment_done_on",
            "escalation_level",
            "closed_on",
        ],
        "meddev.capa": [
            "name",
            "create_date",
            "company_id",
            "state",
            "nc_type_id",
            "partner_id",
            "product_id",
            "user_id",
            "date_due",
            "effectiveness_result",
            "closed_on",
        ],
        "meddev.scar": [
            "name",
            "create_date",
            "company_id",
            "state",
            "nonconformance_id",
            "partner_id",
            "product_id",
            "user_id",
            "date_due",
            "date_issued",
            "date_answered",
            "escalation_level",
        ],
    }

    event_kind = fields.Selection(
        [("exception", "Exception"), ("capa", "CAPA"), ("scar", "SCAR")],
        string="Event",
        readonly=True,
    )
    nonconformance_id = fields.Many2one(
        "meddev.nonconformance", string="Exception", readonly=True
    )
    name = fields.Char(string="Reference", readonly=True)
    date = fields.Datetime(string="Recorded On", readonly=True)
    company_id = fields.Many2one("res.company", readonly=True)
    status = fields.Selection(STATUSES, readonly=True)
    grade = fields.Selection(GRADES, readonly=True)
    type_id = fields.Many2one("meddev.nonconformance.type", readonly=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", readonly=True)
    product_id = fields.Many2one("product.product", readonly=True)
    process_id = fields.Many2one(
        "meddev.supplier.scope", string="Process Step", readonly=True
    )
    user_id = fields.Many2one("res.users", string="Owner", readonly=True)
    age_days = fields.Integer(
        string="Age (Days)",
        readonly=True,
        aggregator="avg",
        help="Days since it was recorded, until it closed.",
    )
    age_bucket = fields.Selection(AGE_BUCKETS, string="Age", readonly=True)
    overdue = fields.Boolean(readonly=True)
    escalated = fields.Boolean(readonly=True)
    escalation_level = fields.Integer(readonly=True, aggregator="max")
    event_count = fields.Integer(string="Events", readonly=True)
    overdue_count = fields.Integer(string="Overdue Events", readonly=True)
    escalated_count = fields.Integer(string="Escalated Events", readonly=True)
    effectiveness = fields.Float(
        string="Effectiveness Rate (%)",
        readonly=True,
        aggregator="avg",
        help="CAPA: effective after verification (100) or not (0).",
    )
    on_time = fields.Float(
        string="On-Time Rate (%)",
        readonly=True,
        aggregator="avg",
        help="SCAR: answered by the supplier in time (100) or late (0).",
    )

    @api.model
    def _meddev_exception_source(self):
        """The exceptions, in the dashboard's columns."""
        end = SQL(
            "CASE WHEN nc.state = 'closed' THEN coalesce(nc.closed_on, %s) "
            "ELSE %s END",
            NOW,
            NOW,
        )
        overdue = SQL(
            "(nc.state IN ('new', 'open') AND ((nc.containment_done_on IS NULL "
            "AND nc.containment_deadline < %(now)s) OR nc.closure_deadline < %(now)s))",
            now=NOW,
        )
        return SQL(
            """
            SELECT 0 AS kind_index, nc.id AS res_id, 'exception' AS event_kind,
                   nc.id AS nonconformance_id, nc.name, nc.create_date AS date,
                   nc.company_id,
                   CASE WHEN nc.state IN ('new', 'open') THEN 'open'
                        ELSE nc.state END AS status,
                   nc.grade, nc.type_id, nc.partner_id, nc.product_id,
                   nc.process_id, nc.user_id,
                   date_part('day', %(end)s - nc.create_date)::integer AS age_days,
                   %(overdue)s AS overdue,
                   coalesce(nc.escalation_level, 0) > 0 AS escalated,
                   coalesce(nc.escalation_level, 0) AS escalation_level,
                   NULL::float AS effectiveness, NULL::float AS on_time
              FROM meddev_nonconformance nc
            """,
            end=end,
            overdue=overdue,
        )

    @api.model
    def _meddev_capa_source(self):
        """The CAPAs: aging, overdue against their due date, effectiveness."""
        return SQL(
            """
            SELECT 1 AS kind_index, c.id AS res_id, 'capa' AS event_kind,
                   NULL::integer AS nonconformance_id, c.name,
                   c.create_date AS date, c.company_id,
                   CASE WHEN c.state IN ('closed', 'cancel') THEN c.state
                        ELSE 'open' END AS status,
                   NULL AS grade, c.nc_type_id AS type_id, c.partner_id,
                   c.product_id, NULL::integer AS process_id, c.user_id,
                   date_part('day', CASE WHEN c.state = 'closed'
                        THEN coalesce(c.closed_on, %(now)s) ELSE %(now)s END
                        - c.create_date)::integer AS age_days,
                   (c.state NOT IN ('closed', 'cancel')
                    AND c.date_due < %(now)s::date) AS overdue,
                   FALSE AS escalated, 0 AS escalation_level,
                   CASE c.effectiveness_result WHEN 'effective' THEN 100.0
                        WHEN 'not_effective' THEN 0.0 END AS effectiveness,
                   NULL::float AS on_time
              FROM meddev_capa c
            """,
            now=NOW,
        )

    @api.model
    def _meddev_scar_source(self):
        """The SCARs issued: answered on time or late, overdue, escalated."""
        return SQL(
            """
            SELECT 2 AS kind_index, s.id AS res_id, 'scar' AS event_kind,
                   s.nonconformance_id, s.name,
                   coalesce(s.date_issued, s.create_date) AS date, s.company_id,
                   CASE WHEN s.state = 'accepted' THEN 'closed'
                        WHEN s.state = 'cancel' THEN 'cancel'
                        ELSE 'open' END AS status,
                   nc.grade, nc.type_id, s.partner_id, s.product_id,
                   nc.process_id, s.user_id,
                   date_part('day', coalesce(s.date_answered, %(now)s)
                        - coalesce(s.date_issued, s.create_date))::integer
                        AS age_days,
                   (s.state = 'issued' AND s.date_due < %(now)s::date) AS overdue,
                   coalesce(s.escalation_level, 0) > 0 AS escalated,
                   coalesce(s.escalation_level, 0) AS escalation_level,
                   NULL::float AS effectiveness,
                   CASE WHEN s.date_answered IS NOT NULL
                        THEN CASE WHEN s.date_answered::date <= s.date_due
                                  THEN 100.0 ELSE 0.0 END
                        WHEN s.date_due < %(now)s::date THEN 0.0
                   END AS on_time
              FROM meddev_scar s
              LEFT JOIN meddev_nonconformance nc ON nc.id = s.nonconformance_id
             WHERE s.state != 'draft'
            """,
            now=NOW,
        )

    @api.model
    def _meddev_event_sources(self):
        """The ``SELECT`` of each kind of quality event (see the class)."""
        return [
            self._meddev_exception_source(),
            self._meddev_capa_source(),
            self._meddev_scar_source(),
        ]

    @property
    def _table_query(self):
        return SQL(
            """
            SELECT s.res_id * 8 + s.kind_index AS id, s.event_kind,
                   s.nonconformance_id, s.name, s.date, s.company_id, s.status,
                   s.grade, s.type_id, s.partner_id, s.product_id, s.process_id,
                   s.user_id, s.age_days,
                   CASE WHEN s.age_days <= 7 THEN '0_7'
                        WHEN s.age_days <= 30 THEN '8_30'
                        WHEN s.age_days <= 90 THEN '31_90'
                        ELSE '91_plus' END AS age_bucket,
                   s.overdue, s.escalated, s.escalation_level, 1 AS event_count,
                   s.overdue::integer AS overdue_count,
                   s.escalated::integer AS escalated_count,
                   s.effectiveness, s.on_time
              FROM (%s) s
            """,
            SQL(" UNION ALL ").join(self._meddev_event_sources()),
        )
