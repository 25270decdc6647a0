from markupsafe import Markup, escape

from odoo import api, fields, models
from odoo.tools import SQL

# what a past exception may share with this one, and what a match weighs
HINT_DIMENSIONS = (
    ("partner_id", 3),
    ("product_id", 3),
    ("process_id", 2),
    ("parameter", 2),
    ("type_id", 1),
)
HINT_NAMES_SHOWN = 5


class MeddevNonconformance(models.Model):
    """Root-cause hints (原因预测): the root-cause categories (6M) of the
    closed exceptions of the same company that share this one's supplier,
    product, process step, deviating parameter or type, ranked by a score
    anyone can recompute: each past exception adds the weight of each thing
    it shares (supplier 3, product 3, process step 2, parameter 2, type 1).
    Each hint shows its evidence: how many past exceptions matched on what,
    and which. No model, no black box; with no matching history it says so.
    One grouped query per exception shown."""

    # one concern per file (time limits, the cron, the hints), each short
    _inherit = "meddev.nonconformance"  # pylint: disable=consider-merging-classes-inherited

    root_cause_hints = fields.Html(
        string="Root-Cause Hints",
        compute="_compute_root_cause_hints",
        sanitize=False,
        help="Likely root-cause categories from the closed exceptions that "
        "share this one's supplier, product, process step, parameter or type.",
    )

    @api.depends(*(name for name, _weight in HINT_DIMENSIONS), "company_id")
    def _compute_root_cause_hints(self):
        for record in self:
            record.root_cause_hints = record._meddev_render_hints(
                record._meddev_root_cause_hints()
            )

    def _meddev_hint_query(self):
        params = {
            "partner_id": self.partner_id.id or None,
            "product_id": self.product_id.id or None,
            "process_id": self.process_id.id or None,
            "parameter": (self.parameter or "").strip().lower() or None,
            "type_id": self.type_id.id or None,
        }

        def match(name):
            column = SQL.identifier("h", name)
            if name == "parameter":
                column = SQL("lower(trim(%s))", column)
            return SQL("%s = %s", column, params[name])

        weighted = SQL(" + ").join(
            SQL("(CASE WHEN %s THEN %s ELSE 0 END)", match(name), weight)
            for name, weight in HINT_DIMENSIONS
        )
        counts = SQL(", ").join(
            SQL("count(*) FILTER (WHERE %s)", match(name))
            for name, _weight in HINT_DIMENSIONS
        )
        return SQL(
            """
            SELECT h.root_cause_category, sum(%(weighted)s) AS score, count(*),
                   %(counts)s,
                   array_agg(h.name ORDER BY h.closed_on DESC NULLS LAST, h.id DESC)
              FROM meddev_nonconformance h
             WHERE h.state = 'closed' AND h.root_cause_category IS NOT NULL
               AND h.company_id = %(company)s AND h.id != %(id)s
               AND (%(any)s)
             GROUP BY h.root_cause_category
             ORDER BY score DESC, count(*) DESC, h.root_cause_category
            """,
            weighted=weighted,
            counts=counts,
            company=self.company_id.id or self.env.company.id,
            id=self._origin.id or 0,
            any=SQL(" OR ").join(match(name) for name, _weight in HINT_DIMENSIONS),
        )

    def _meddev_root_cause_hints(self):
        """[{category, label, score, share, records, matches: {dimension:
        count}, names}] best first; empty without matching history."""
        self.ensure_one()
        self.env["meddev.nonconformance"].flush_model()
        self.env.cr.execute(self._meddev_hint_query())
        rows = self.env.cr.fetchall()
        total = sum(row[1] for row in rows) or 1
        labels = dict(
            self._fields["root_cause_category"]._description_selection(self.env)
        )
        dimensions = [name for name, _weight in HINT_DIMENSIONS]
        return [
            {
                "category": row[0],
                "label": labels.get(row[0], row[0]),
                "score": row[1],
                "share": round(100.0 * row[1] / total),
                "records": row[2],
                "matches": dict(zip(dimensions, row[3:-1], strict=True)),
                "names": row[-1],
            }
            for row in rows
        ]

    def _meddev_render_hints(self, hints):
        if not hints:
            return Markup("<p class='text-muted'>%s</p>") % self.env._(
                "No history yet: no closed exception with a root cause shares "
                "this exception's supplier, product, process step, parameter "
                "or type."
            )
        head = Markup("").join(
            Markup("<th>%s</th>") % label
            for label in (
                self.env._("Root-Cause Category"),
                self.env._("Score"),
                self.env._("Share"),
                self.env._("Matched On"),
                self.env._("Past Exceptions"),
            )
        )
        body = Markup("").join(self._meddev_render_hint(hint) for hint in hints)
        return Markup(
            "<table class='table table-sm o_meddev_hints'><thead><tr>%s</tr>"
            "</thead><tbody>%s</tbody></table>"
        ) % (head, body)

    def _meddev_render_hint(self, hint):
        strings = {name: self._fields[name].string for name, _w in HINT_DIMENSIONS}
        matched = ", ".join(
            self.env._(
                "%(what)s: %(count)s × %(weight)s",
                what=strings[name],
                count=hint["matches"][name],
                weight=weight,
            )
            for name, weight in HINT_DIMENSIONS
            if hint["matches"][name]
        )
        names = ", ".join(hint["names"][:HINT_NAMES_SHOWN])
        if len(hint["names"]) > HINT_NAMES_SHOWN:
            names = self.env._(
                "%(names)s and %(more)s more",
                names=names,
                more=len(hint["names"]) - HINT_NAMES_SHOWN,
            )
        cells = (
            hint["label"],
            str(hint["score"]),
            f"{hint['share']} %",
            matched,
            self.env._("%(count)s: %(names)s", count=hint["records"], names=names),
        )
        return Markup("<tr>%s</tr>") % Markup("").join(
            Markup("<td>%s</td>") % escape(cell) for cell in cells
        )
