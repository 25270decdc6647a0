from odoo import api, fields, models, tools
from odoo.exceptions import UserError

AQLS = [
    "0.010",
    "0.015",
    "0.025",
    "0.040",
    "0.065",
    "0.10",
    "0.15",
    "0.25",
    "0.40",
    "0.65",
    "1.0",
    "1.5",
    "2.5",
    "4.0",
    "6.5",
    "10",
    "15",
    "25",
    "40",
    "65",
    "100",
    "150",
    "250",
    "400",
    "650",
    "1000",
]
AQL_SELECTION = [(aql, aql) for aql in AQLS]
# the rows of the master tables, top to bottom (S: tightened inspection only)
LETTERS = "ABCDEFGHJKLMNPQRS"
SEVERITIES = [
    ("normal", "Normal"),
    ("tightened", "Tightened"),
    ("reduced", "Reduced"),
]


class MeddevAqlMaster(models.Model):
    """One cell of the single sampling master tables of GB/T 2828.1-2012 (ISO
    2859-1:1999): Table 2-A (normal), 2-B (tightened) and 2-C (reduced). A
    cell holds a plan (Ac, Re) or an arrow to the first plan below or above
    in its column, whose sample size is then used. Shipped as data; read-only.
    """

    _name = "meddev.aql.master"
    _description = "Single Sampling Master Table Cell (GB/T 2828.1 Table 2)"
    _order = "severity, code_letter, id"

    severity = fields.Selection(SEVERITIES, required=True, index=True)
    code_letter = fields.Char(required=True, size=1)
    sample_size = fields.Integer(required=True)
    aql = fields.Selection(AQL_SELECTION, string="AQL", required=True)
    kind = fields.Selection(
        [
            ("plan", "Plan"),
            ("down", "↓ First plan below"),
            ("up", "↑ First plan above"),
        ],
        required=True,
    )
    ac = fields.Integer(help="Acceptance number.")
    re = fields.Integer(help="Rejection number.")

    _sql_constraints = [
        (
            "cell_unique",
            "unique(severity, code_letter, aql)",
            "A master table has one cell per code letter and AQL.",
        )
    ]

    @api.model
    @tools.ormcache("severity")
    def _meddev_table(self, severity):
        # the standard's table, the same for every reader
        cells = self.sudo().search_read(
            [("severity", "=", severity)],
            ["code_letter", "aql", "kind", "sample_size", "ac", "re"],
        )
        return {
            (cell["code_letter"], cell["aql"]): (
                cell["kind"],
                cell["sample_size"],
                cell["ac"],
                cell["re"],
            )
            for cell in cells
        }

    @api.model
    def _meddev_resolve(self, severity, letter, aql):
        """The plan of code letter ``letter`` at ``aql`` in the ``severity``
        table, the arrows followed: {code_letter, sample_size, ac, re}."""
        table = self._meddev_table(severity)
        index = LETTERS.index(letter)
        while True:
            cell = table.get((LETTERS[index], aql)) if index >= 0 else None
            if cell is None:
                raise UserError(
                    self.env._(
                        "GB/T 2828.1 gives no %(severity)s plan for code letter "
                        "%(letter)s at AQL %(aql)s.",
                        severity=severity,
                        letter=letter,
                        aql=aql,
                    )
                )
            kind, size, ac, re = cell
            if kind == "plan":
                return {
                    "code_letter": LETTERS[index],
                    "sample_size": size,
                    "ac": ac,
                    "re": re,
                }
            index += 1 if kind == "down" else -1
            if index >= len(LETTERS):
                index = -1

    @api.model
    def _meddev_sample_size(self, severity, letter):
        """The sample size of a code letter in the ``severity`` table."""
        table = self._meddev_table(severity)
        return table[(letter, AQLS[0])][1]

    @api.model_create_multi
    def create(self, vals_list):
        self.env.registry.clear_cache()
        return super().create(vals_list)

    def write(self, vals):
        self.env.registry.clear_cache()
        return super().write(vals)
