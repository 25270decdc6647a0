from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

from .meddev_aql_master import AQLS, SEVERITIES
from .meddev_sampling_plan import DEFECT_CLASSES

# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

SWITCH_STATES = [*SEVERITIES, ("discontinued", "Discontinued")]
# GB/T 2828.1-2012 §9.3
TIGHTENED_AFTER_REJECTED = 2  # of
TIGHTENED_WINDOW = 5  # consecutive lots on normal inspection
NORMAL_AFTER_ACCEPTED = 5  # consecutive lots on tightened inspection
DISCONTINUE_AFTER_REJECTED = 5  # lots not accepted while on tightened
REDUCED_SCORE = 30  # switching score


class MeddevSamplingSwitch(models.Model):
    """The inspection severity of one supplier × product (GB/T 2828.1 §9.3):
    normal → tightened when 2 of 5 or fewer consecutive lots are not accepted;
    tightened → normal after 5 consecutive accepted lots; → discontinued when
    5 lots are not accepted while on tightened (resumed on tightened by the QA
    manager's signature, after the supplier's corrective action); normal →
    reduced when the switching score reaches 30 and the QA manager approves by
    signature; reduced → normal at the first lot not accepted. Only original
    inspections count, not re-inspections. Every change is in the history."""

    _name = "meddev.sampling.switch"
    _description = "Inspection Severity (Switching Rules)"
    _inherit = ["meddev.stage.permission.mixin", "mail.thread"]
    _order = "partner_id, product_id"
    _check_company_auto = True
    _audit_state_field = "severity"
    _meddev_state_field = "severity"
    _meddev_actions = {
        "to_reduced": "Switch to Reduced Inspection",
        "to_normal": "Return to Normal Inspection",
        "resume": "Resume on Tightened Inspection",
    }
    _meddev_server_fields = (
        "switching_score",
        "recent_results",
        "tightened_accepted",
        "tightened_rejected",
    )

    name = fields.Char(compute="_compute_name", store=True, precompute=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    partner_id = fields.Many2one(
        "res.partner", string="Supplier", required=True, check_company=True
    )
    product_id = fields.Many2one("product.product", required=True, check_company=True)
    severity = fields.Selection(
        SWITCH_STATES, required=True, default="normal", tracking=True
    )
    switching_score = fields.Integer(
        help="GB/T 2828.1 §9.3.3: the switching score towards reduced inspection."
    )
    recent_results = fields.Char(
        string="Lots Since Normal",
        help="A (accepted) or R (not accepted) for each original inspection "
        "since normal inspection started, the newest last.",
    )
    tightened_accepted = fields.Integer(
        string="Accepted in a Row on Tightened",
    )
    tightened_rejected = fields.Integer(
        string="Not Accepted on Tightened",
    )
    reduced_eligible = fields.Boolean(
        compute="_compute_reduced_eligible",
        store=True,
        precompute=True,
        help="The switching score allows reduced inspection, if the QA manager "
        "approves it.",
    )
    event_ids = fields.One2many(
        "meddev.sampling.switch.event", "switch_id", string="History", readonly=True
    )

    _sql_constraints = [
        (
            "subject_unique",
            "unique(company_id, partner_id, product_id)",
            "A supplier and product have one inspection severity per company.",
        )
    ]

    @api.depends("partner_id", "product_id")
    def _compute_name(self):
        for switch in self:
            switch.name = (
                f"{switch.partner_id.display_name or ''} / "
                f"{switch.product_id.display_name or ''}"
            )

    @api.depends("severity", "switching_score")
    def _compute_reduced_eligible(self):
        for switch in self:
            switch.reduced_eligible = (
                switch.severity == "normal" and switch.switching_score >= REDUCED_SCORE
            )

    # ------------------------------------------------------------------
    # the state of a supplier × product
    # ------------------------------------------------------------------
    @api.model
    def _meddev_for(self, pairs, company):
        """{(partner id, product id): switch}, made for the new pairs (one
        search, one create)."""
        # the switching state is the server's, whoever receives the lot
        Switch = self.sudo().with_company(company)
        partner_ids = list({partner for partner, _product in pairs})
        product_ids = list({product for _partner, product in pairs})
        found = Switch.search(
            [
                ("company_id", "=", company.id),
                ("partner_id", "in", partner_ids),
                ("product_id", "in", product_ids),
            ]
        )
        by_pair = {(s.partner_id.id, s.product_id.id): s for s in found}
        missing = [pair for pair in dict.fromkeys(pairs) if pair not in by_pair]
        if missing:
            created = Switch.create(
                [
                    {
                        "partner_id": partner,
                        "product_id": product,
                        "company_id": company.id,
                    }
                    for partner, product in missing
                ]
            )
            by_pair.update({(s.partner_id.id, s.product_id.id): s for s in created})
        return by_pair

    # ------------------------------------------------------------------
    # the rules, applied as each original inspection is decided
    # ------------------------------------------------------------------
    def _meddev_record_lot(self, inspection):
        """Apply the switching rules to the decided original ``inspection``
        (called as the server)."""
        self.ensure_one()
        accepted = inspection.meddev_state == "accepted"
        rule = getattr(self, f"_meddev_after_{self.severity}", None)
        if rule:
            rule(inspection, accepted)

    def _meddev_after_normal(self, inspection, accepted):
        results = (self.recent_results or "") + ("A" if accepted else "R")
        score = self._meddev_next_score(inspection, accepted)
        self._meddev_server_write(
            {"recent_results": results[-20:], "switching_score": score}
        )
        if results[-TIGHTENED_WINDOW:].count("R") >= TIGHTENED_AFTER_REJECTED:
            self._meddev_switch(
                "tightened",
                _lt("2 of 5 or fewer consecutive lots not accepted"),
                inspection,
            )

    def _meddev_after_tightened(self, inspection, accepted):
        if accepted:
            run = self.tightened_accepted + 1
            self._meddev_server_write({"tightened_accepted": run})
            if run >= NORMAL_AFTER_ACCEPTED:
                self._meddev_switch(
                    "normal",
                    _lt("5 consecutive lots accepted on tightened inspection"),
                    inspection,
                )
            return
        rejected = self.tightened_rejected + 1
        self._meddev_server_write(
            {"tightened_accepted": 0, "tightened_rejected": rejected}
        )
        if rejected >= DISCONTINUE_AFTER_REJECTED:
            self._meddev_switch(
                "discontinued",
                _lt("5 lots not accepted on tightened inspection"),
                inspection,
            )

    def _meddev_after_reduced(self, inspection, accepted):
        if not accepted:
            self._meddev_switch(
                "normal", _lt("a lot not accepted on reduced inspection"), inspection
            )

    def _meddev_next_score(self, inspection, accepted):
        """GB/T 2828.1 §9.3.3.2 for single sampling, every defect class
        counted: +3 where the class's Ac is 2 or more and the lot would have
        been accepted at the next tighter AQL, +2 where Ac is 0 or 1 and the
        lot was accepted; otherwise back to 0."""
        if not accepted:
            return 0
        add = []
        for code, _label in DEFECT_CLASSES:
            aql = inspection[f"aql_{code}"]
            if not aql or aql == "0":
                continue
            ac = inspection[f"ac_{code}"]
            if ac <= 1:
                add.append(2)
                continue
            tighter = self._meddev_tighter_ac(inspection, code, aql)
            if tighter is None or inspection[f"defects_{code}"] > tighter:
                return 0
            add.append(3)
        return self.switching_score + (min(add) if add else 2)

    def _meddev_tighter_ac(self, inspection, code, aql):
        index = AQLS.index(aql)
        if not index:
            return None
        plan = self.env["meddev.aql.master"]._meddev_resolve(
            "normal", inspection[f"letter_{code}"], AQLS[index - 1]
        )
        return plan["ac"]

    def _meddev_switch(self, severity, reason, inspection=None):
        """Change the severity as the server, with the rule as reason, and
        record it in the history."""
        self.ensure_one()
        previous = self.severity
        reason_text = system_reason(self.env, reason)
        self.sudo().with_context(audit_reason=reason_text).write(
            {
                "severity": severity,
                "switching_score": 0,
                "recent_results": "",
                "tightened_accepted": 0,
                "tightened_rejected": 0,
            }
        )
        self.env["meddev.sampling.switch.event"].sudo().create(
            {
                "switch_id": self.id,
                "severity_from": previous,
                "severity_to": severity,
                "reason": str(reason),
                "inspection_id": inspection.id if inspection else False,
            }
        )

    # ------------------------------------------------------------------
    # the QA manager's signed decisions
    # ------------------------------------------------------------------
    def action_to_reduced(self):
        for switch in self:
            if not switch.reduced_eligible:
                raise UserError(
                    self.env._(
                        "%(subject)s: reduced inspection needs a switching score "
                        "of %(score)s on normal inspection (now %(now)s).",
                        subject=switch.name,
                        score=REDUCED_SCORE,
                        now=switch.switching_score,
                    )
                )
        self._meddev_check_action("to_reduced")
        self._meddev_signed_switch("reduced")
        return True

    def action_to_normal(self):
        self._meddev_check_action("to_normal")
        self._meddev_signed_switch("normal")
        return True

    def action_resume(self):
        self._meddev_check_action("resume")
        self._meddev_signed_switch("tightened")
        return True

    def _meddev_signed_switch(self, severity):
        reason = (self.env.context.get("audit_reason") or "").strip()
        for switch in self:
            previous = switch.severity
            switch._meddev_server_write(
                {
                    "severity": severity,
                    "switching_score": 0,
                    "recent_results": "",
                    "tightened_accepted": 0,
                    "tightened_rejected": 0,
                }
            )
            self.env["meddev.sampling.switch.event"].sudo().create(
                {
                    "switch_id": switch.id,
                    "severity_from": previous,
                    "severity_to": severity,
                    "reason": reason
                    or self._meddev_declared_actions()[
                        {"reduced": "to_reduced", "normal": "to_normal"}.get(
                            severity, "resume"
                        )
                    ],
                    "user_id": self.env.uid,
                }
            )
