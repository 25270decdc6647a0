from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .meddev_capa import OPEN_STATES

# the key a rule counts exceptions by: the field of the exception (and of
# the CAPA proposal)
SCOPES = [("partner_id", "Per Supplier"), ("product_id", "Per Product")]


class MeddevCapaTrendRule(models.Model):
    """A trend that calls for a CAPA: N exceptions of one type for one
    supplier (or one product) within D days, e.g. 3 in 90 days.

    Evaluated when exceptions are recorded (for their keys only) and daily
    by a cron (for all): a key reaching the count opens a CAPA proposal
    (draft, source trend, its exceptions linked) unless a CAPA of the same
    type for the same supplier or product is already open."""

    _name = "meddev.capa.trend.rule"
    _description = "CAPA Trend Rule"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: the rule applies to every company."
    )
    type_id = fields.Many2one(
        "meddev.nonconformance.type",
        string="Exception Type",
        required=True,
        ondelete="restrict",
    )
    scope = fields.Selection(
        SCOPES, string="Count", required=True, default="partner_id"
    )
    count = fields.Integer(string="Exceptions", required=True, default=3)
    days = fields.Integer(string="Within (Days)", required=True, default=90)
    capa_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        string="CAPA Type",
        required=True,
        default="corrective",
    )
    user_id = fields.Many2one(
        "res.users",
        string="Proposal Owner",
        domain="[('share', '=', False)]",
        help="Empty: the owner of the latest exception counted.",
    )

    @api.constrains("count", "days")
    def _check_window(self):
        for rule in self:
            if rule.count < 2 or rule.days < 1:
                raise ValidationError(
                    self.env._(
                        "A trend rule counts at least 2 exceptions within at "
                        "least 1 day."
                    )
                )

    # ------------------------------------------------------------------
    # evaluation
    # ------------------------------------------------------------------
    @api.model
    def _cron_evaluate(self):
        return self._meddev_evaluate()

    @api.model
    def _meddev_evaluate(self, exceptions=None):
        """Open the CAPA proposals the trends call for; ``exceptions``: the
        new exceptions whose keys are evaluated (None: every key). A fixed
        number of queries, whatever the number of exceptions."""
        # the rules and the counts are configuration and facts the server
        # evaluates whoever recorded the exception
        rules = self.sudo().search(
            [("type_id", "in", exceptions.type_id.ids)]
            if exceptions is not None
            else []
        )
        if not rules:
            return self.env["meddev.capa"]
        groups = self._meddev_counted_groups(rules, exceptions)
        proposals = []
        for rule in rules:
            proposals += rule._meddev_hits(groups)
        return self._meddev_open_proposals(proposals)

    @api.model
    def _meddev_counted_groups(self, rules, exceptions):
        """[(company, type, partner, product, [(exception id, occurred_on)])]
        of the exceptions within the longest window, one query."""
        since = fields.Datetime.now() - timedelta(days=max(rules.mapped("days")))
        domain = [
            ("type_id", "in", rules.type_id.ids),
            ("occurred_on", ">=", since),
            ("state", "!=", "cancel"),
        ]
        if exceptions is not None:
            domain += [
                "|",
                ("partner_id", "in", exceptions.partner_id.ids),
                ("product_id", "in", exceptions.product_id.ids),
            ]
        # the trend counts every exception, whatever the recorder may read
        return [
            (company, type_, partner, product, list(zip(ids, dates, strict=True)))
            for company, type_, partner, product, ids, dates in self.env[
                "meddev.nonconformance"
            ]
            .sudo()
            ._read_group(
                domain,
                ["company_id", "type_id", "partner_id", "product_id"],
                ["id:array_agg", "occurred_on:array_agg"],
            )
        ]

    def _meddev_hits(self, groups):
        """Proposal values of the keys reaching this rule's count."""
        self.ensure_one()
        since = fields.Datetime.now() - timedelta(days=self.days)
        per_key = defaultdict(list)
        for company, type_, partner, product, rows in groups:
            key = partner if self.scope == "partner_id" else product
            if type_ != self.type_id or not key:
                continue
            if self.company_id and company != self.company_id:
                continue
            per_key[(company, key)] += [id_ for id_, when in rows if when >= since]
        # the hits are the server's, read whatever the recorder may read
        Nonconformance = self.env["meddev.nonconformance"].sudo()
        return [
            (self, company, key, Nonconformance.browse(ids))
            for (company, key), ids in per_key.items()
            if len(ids) >= self.count
        ]

    @api.model
    def _meddev_open_proposals(self, hits):
        """Create the proposals of ``hits`` whose key has no open CAPA, in
        one batch, and link their exceptions."""
        # the server opens the proposals (source 'trend' is the server's)
        Capa = self.env["meddev.capa"].sudo()
        if not hits:
            return Capa
        open_keys = self._meddev_open_keys(hits)
        todo = [hit for hit in hits if self._meddev_key(hit) not in open_keys]
        # one proposal per key even if two rules hit it
        unique = {self._meddev_key(hit): hit for hit in todo}
        proposals = Capa.create(
            [hit[0]._meddev_proposal_vals(*hit[1:]) for hit in unique.values()]
        )
        for proposal, (_rule, _company, _key, found) in zip(
            proposals, unique.values(), strict=True
        ):
            found.filtered(lambda r: not r.capa_id)._meddev_link_capa(proposal)
        return proposals

    @api.model
    def _meddev_key(self, hit):
        rule, company, key, _found = hit
        return (company.id, rule.type_id.id, rule.scope, key.id)

    @api.model
    def _meddev_open_keys(self, hits):
        # every open CAPA counts, whatever the recorder may read
        capas = (
            self.env["meddev.capa"]
            .sudo()
            .search(
                [
                    ("state", "in", OPEN_STATES),
                    ("nc_type_id", "in", [hit[0].type_id.id for hit in hits]),
                    "|",
                    ("partner_id", "in", [hit[2].id for hit in hits]),
                    ("product_id", "in", [hit[2].id for hit in hits]),
                ]
            )
        )
        keys = set()
        for capa in capas:
            for scope in ("partner_id", "product_id"):
                if capa[scope]:
                    keys.add(
                        (capa.company_id.id, capa.nc_type_id.id, scope, capa[scope].id)
                    )
        return keys

    def _meddev_proposal_vals(self, company, key, found):
        self.ensure_one()
        latest = found.sorted("occurred_on")[-1:]
        return {
            "title": self.env._(
                "Trend: %(count)s × %(type)s for %(key)s within %(days)s days",
                count=len(found),
                type=self.type_id.name,
                key=key.display_name,
                days=self.days,
            ),
            "company_id": company.id,
            "capa_type": self.capa_type,
            "source": "trend",
            "trend_rule_id": self.id,
            "nc_type_id": self.type_id.id,
            self.scope: key.id,
            "user_id": (self.user_id or latest.user_id or self.env.user).id,
            "description": self.env._(
                "Opened by the trend rule %(rule)s: %(exceptions)s.",
                rule=self.name,
                exceptions=", ".join(found.sorted("occurred_on").mapped("name")),
            ),
        }
