from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.models.meddev_stage_permission_mixin import (
    SERVER_WRITE_KEY,
)

from .meddev_nonconformance_escalation import DEADLINE_KINDS

OPEN_STATES = ("new", "open")
# set by the server only: the deadlines from the grade, the containment from
# the confirmation, the escalation by the cron
DEADLINE_SERVER_FIELDS = (
    "containment_deadline",
    "closure_deadline",
    "containment_done_on",
    "escalation_level",
    "escalation_kind",
    "escalated_on",
)
# written by the escalation cron in SQL; their history is the append-only
# escalation model, not the audit trail (nor the signed content)
ESCALATION_STATE_FIELDS = ("escalation_level", "escalation_kind", "escalated_on")


class MeddevNonconformance(models.Model):
    """Time limits (时限): the containment and closure deadlines follow from
    the grade's policy and the recording time, and change only with the grade
    (QA's signed regrade). The containment counts as done when the exception
    is confirmed (its facts, grade and owner checked and its lots held at
    recording): the confirmation is the containment step; a module adding an
    explicit containment step overrides ``_compute_containment_done_on``.
    Past a deadline the exception is escalated by the cron (see
    meddev_nonconformance_escalate.py)."""

    # one concern per file (time limits, the cron, the hints), each short
    _inherit = "meddev.nonconformance"  # pylint: disable=consider-merging-classes-inherited

    containment_deadline = fields.Datetime(
        string="Contain By",
        compute="_compute_deadlines",
        store=True,
        precompute=True,
        readonly=True,
        help="From the grade's time-limit policy and the recording time; "
        "changes only with the grade.",
    )
    closure_deadline = fields.Datetime(
        string="Close By",
        compute="_compute_deadlines",
        store=True,
        precompute=True,
        readonly=True,
        help="From the grade's time-limit policy and the recording time; "
        "changes only with the grade.",
    )
    containment_done_on = fields.Datetime(
        string="Contained On",
        compute="_compute_containment_done_on",
        store=True,
        precompute=True,
        readonly=True,
        help="When the exception was confirmed, its lots held.",
    )
    containment_overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_containment_overdue"
    )
    closure_overdue = fields.Boolean(
        compute="_compute_overdue", search="_search_closure_overdue"
    )
    escalation_level = fields.Integer(
        readonly=True,
        default=0,
        copy=False,
        index=True,
        help="0 none; 1 the owner, 2 the QA managers, 3 the management "
        "representative were told that the deadline below was missed.",
    )
    escalation_kind = fields.Selection(
        DEADLINE_KINDS, string="Escalated For", readonly=True, copy=False
    )
    escalated_on = fields.Datetime(string="Last Escalated", readonly=True, copy=False)
    escalation_ids = fields.One2many(
        "meddev.nonconformance.escalation",
        "nonconformance_id",
        string="Escalations",
        readonly=True,
    )

    @api.depends("grade", "company_id")
    def _compute_deadlines(self):
        Policy = self.env["meddev.nonconformance.policy"]
        policies = Policy._meddev_policies()
        for record in self:
            policy = Policy._meddev_policy_for(
                policies, record.company_id, record.grade
            )
            # from the recording time: the transaction's, as create_date
            start = record.create_date or self.env.cr.now()
            record.containment_deadline = (
                start + timedelta(hours=policy.containment_hours) if policy else False
            )
            record.closure_deadline = (
                start + timedelta(days=policy.closure_days) if policy else False
            )

    @api.depends("state")
    def _compute_containment_done_on(self):
        now = fields.Datetime.now()
        for record in self:
            if not record.containment_done_on and record.state in ("open", "closed"):
                record.containment_done_on = record.confirmed_on or now
            else:
                record.containment_done_on = record.containment_done_on

    @api.depends_context("uid")
    @api.depends("state", "containment_deadline", "closure_deadline")
    def _compute_overdue(self):
        now = fields.Datetime.now()
        for record in self:
            running = record.state in OPEN_STATES
            record.containment_overdue = bool(
                running
                and not record.containment_done_on
                and record.containment_deadline
                and record.containment_deadline < now
            )
            record.closure_overdue = bool(
                running and record.closure_deadline and record.closure_deadline < now
            )

    def _search_overdue(self, deadline, operator, value, extra=()):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Search overdue exceptions with = or !=."))
        domain = [
            ("state", "in", OPEN_STATES),
            (deadline, "<", fields.Datetime.now()),
            *extra,
        ]
        positive = (operator == "=") == value
        return domain if positive else ["!", *self._and_all(domain)]

    @staticmethod
    def _and_all(domain):
        return ["&"] * (len(domain) - 1) + list(domain)

    def _search_containment_overdue(self, operator, value):
        return self._search_overdue(
            "containment_deadline",
            operator,
            value,
            extra=[("containment_done_on", "=", False)],
        )

    def _search_closure_overdue(self, operator, value):
        return self._search_overdue("closure_deadline", operator, value)

    # ------------------------------------------------------------------
    # only the server sets them
    # ------------------------------------------------------------------
    @api.model
    def _audit_fields(self, fnames=None):
        return [
            field
            for field in super()._audit_fields(fnames)
            if field.name not in ESCALATION_STATE_FIELDS
        ]

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            given = {
                name
                for vals in vals_list
                for name in DEADLINE_SERVER_FIELDS
                if name in vals
            }
            if given:
                self._meddev_refuse_deadline_fields(given)
        return super().create(vals_list)

    def _meddev_check_server_fields(self, vals):
        super()._meddev_check_server_fields(vals)
        given = [name for name in DEADLINE_SERVER_FIELDS if name in vals]
        if not given or self.env.su:
            return
        writing = self.env.cr.cache.get(SERVER_WRITE_KEY, set())
        if not all((self._name, record_id) in writing for record_id in self.ids):
            self._meddev_refuse_deadline_fields(given)

    def _meddev_refuse_deadline_fields(self, names):
        raise UserError(
            self.env._(
                "%(fields)s of an exception are set by the server (from its "
                "grade, its confirmation and the escalation), not written.",
                fields=", ".join(sorted(self._fields[n].string for n in names)),
            )
        )
