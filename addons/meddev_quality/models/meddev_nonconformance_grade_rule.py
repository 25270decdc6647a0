from odoo import api, fields, models

GRADES = [("critical", "Critical"), ("major", "Major"), ("minor", "Minor")]
# ISO 14971 style five-level scales (the risk module feeds them later)
SEVERITIES = [
    ("1", "1 Negligible"),
    ("2", "2 Minor"),
    ("3", "3 Serious"),
    ("4", "4 Critical"),
    ("5", "5 Catastrophic"),
]
OCCURRENCES = [
    ("1", "1 Improbable"),
    ("2", "2 Remote"),
    ("3", "3 Occasional"),
    ("4", "4 Probable"),
    ("5", "5 Frequent"),
]


class MeddevNonconformanceGradeRule(models.Model):
    """A cell of the grading matrix (分级): severity × occurrence → grade.
    A company's own cell wins over the shared one; the QA manager maintains
    the matrix, every change audited."""

    _name = "meddev.nonconformance.grade.rule"
    _description = "Exception Grading Matrix Cell"
    _inherit = ["meddev.audit.mixin"]
    _order = "severity desc, occurrence desc"

    company_id = fields.Many2one(
        "res.company", help="Empty: the cell applies to every company."
    )
    severity = fields.Selection(SEVERITIES, string="Severity of Harm", required=True)
    occurrence = fields.Selection(OCCURRENCES, required=True)
    grade = fields.Selection(GRADES, required=True)

    _sql_constraints = [
        (
            "cell_uniq",
            "unique(company_id, severity, occurrence)",
            "The grading matrix has one grade per severity and occurrence.",
        )
    ]

    @api.model
    def _meddev_grade(self, severity, occurrence, company):
        """The matrix cell of ``severity`` × ``occurrence`` for ``company``
        (its own before the shared one), or an empty recordset."""
        if not (severity and occurrence):
            return self.browse()
        # the matrix is configuration every reporter's grade is read from
        cells = self.sudo().search(
            [
                ("severity", "=", severity),
                ("occurrence", "=", occurrence),
                ("company_id", "in", [company.id, False]),
            ]
        )
        own = cells.filtered("company_id")
        return (own or cells)[:1].with_env(self.env)
