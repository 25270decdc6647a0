from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from odoo.addons.meddev_base.models.meddev_stage_permission_mixin import (
    SERVER_WRITE_KEY,
)

from .meddev_nonconformance import CAUSE_CATEGORIES

CAPA_STATES = [
    ("draft", "Draft"),
    ("investigation", "Investigation"),
    ("plan", "Plan Submitted"),
    ("implementation", "Implementation"),
    ("effectiveness", "Effectiveness Check"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
OPEN_STATES = ("draft", "investigation", "plan", "implementation", "effectiveness")
# where a CAPA comes from; 'trend' is set by the trend rules, 'scar' is kept
# for the SCAR module (a SCAR that opens a CAPA), both by the server
SOURCES = [
    ("manual", "Opened by Hand"),
    ("nonconformance", "Exceptions"),
    ("audit_finding", "Supplier Audit Findings"),
    ("trend", "Trend Rule"),
    ("scar", "SCAR"),
]
USER_SOURCES = ("manual", "nonconformance", "audit_finding")
ROOT_CAUSE_METHODS = [("five_why", "5 Why"), ("fishbone", "Fishbone (6M)")]
WHY_FIELDS = ("why_1", "why_2", "why_3", "why_4", "why_5")
FISHBONE_FIELDS = tuple(f"cause_{code}" for code, _label in CAUSE_CATEGORIES)
# the analysis and the plan's criterion are what the plan is approved on:
# fixed once the plan is submitted
PLAN_FIELDS = (
    "root_cause_method",
    "root_cause_category",
    "root_cause",
    "effectiveness_criterion",
    *WHY_FIELDS,
    *FISHBONE_FIELDS,
)
PLAN_EDIT_STATES = ("draft", "investigation")
SERVER_FIELDS = (
    "name",
    "source",
    "trend_rule_id",
    "date_due",
    "effectiveness_result",
    "plan_submitted_by_id",
    "plan_submitted_on",
    "plan_approved_by_id",
    "plan_approved_on",
    "implemented_by_id",
    "implemented_on",
    "verified_by_id",
    "verified_on",
    "closed_by_id",
    "closed_on",
    "cancel_reason",
    "recurrence",
    "recurrence_ids",
)
# what a user may give when opening a CAPA, of the fields above
USER_CREATE_FIELDS = ("name", "source", "date_due")
DEFAULT_DUE_DAYS = 90


class MeddevCapa(models.Model):
    """A corrective or preventive action (CAPA, 纠正与预防措施; ISO 13485
    §8.5.2, §8.5.3): the problem and where it comes from (exceptions,
    supplier audit findings, a trend rule, a SCAR), the root cause found by a
    named method (5 Why or fishbone 6M), the actions with owners and due
    dates, and the check of their effectiveness.

    Draft (a proposal; a trend rule opens one) → investigation (a QA
    engineer starts it) → plan submitted (root cause and plan complete) →
    implementation (the QA manager's signed approval of the plan; each
    action's owner gets a to-do and marks it done) → effectiveness check
    (signed: implementation done) → closed (the QA manager's signature, once
    the effectiveness is verified by a signature other than the plan
    approver's). A failed check reopens the CAPA to implementation, kept in
    its history. The due dates move only by a signed extension request; a
    new exception like the closed CAPA's flags it as recurring."""

    _name = "meddev.capa"
    _description = "CAPA"
    _inherit = [
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _audit_controlled_states = ("closed", "cancel")
    _meddev_actions = {
        "start": "Start the Investigation",
        "submit_plan": "Submit the Plan",
        "return_plan": "Return the Plan",
        "approve_plan": "Approve the Plan",
        "complete_implementation": "Implementation Done",
        "verify_effectiveness": "Verify the Effectiveness",
        "fail_effectiveness": "Effectiveness Not Achieved",
        "close": "Close",
        "cancel": "Cancel",
    }
    _meddev_server_fields = SERVER_FIELDS
    _signature_exclude_fields = ("message_ids", "activity_ids")

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    title = fields.Char(string="Subject", required=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        CAPA_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    capa_type = fields.Selection(
        [("corrective", "Corrective"), ("preventive", "Preventive")],
        string="Type",
        required=True,
        default="corrective",
        tracking=True,
    )
    source = fields.Selection(SOURCES, default="manual", required=True, index=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        default=lambda self: self.env.user,
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    description = fields.Text(string="Problem Statement")
    nonconformance_ids = fields.One2many(
        "meddev.nonconformance", "capa_id", string="Exceptions"
    )
    finding_ids = fields.Many2many(
        "meddev.supplier.audit.finding",
        "meddev_capa_finding_rel",
        "capa_id",
        "finding_id",
        string="Supplier Audit Findings",
    )
    trend_rule_id = fields.Many2one("meddev.capa.trend.rule", readonly=True, index=True)
    nc_type_id = fields.Many2one(
        "meddev.nonconformance.type",
        string="Defect Type",
        index=True,
        ondelete="restrict",
        help="With the product and the supplier: a new exception like these, "
        "after the CAPA is closed, flags it as recurring.",
    )
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    partner_id = fields.Many2one("res.partner", string="Supplier", index=True)
    date_due = fields.Date(
        string="Due Date",
        required=True,
        default=lambda self: fields.Date.context_today(self)
        + timedelta(days=DEFAULT_DUE_DAYS),
        tracking=True,
        help="Moved only by a signed extension request.",
    )
    root_cause_method = fields.Selection(ROOT_CAUSE_METHODS, tracking=True)
    why_1 = fields.Text()
    why_2 = fields.Text()
    why_3 = fields.Text()
    why_4 = fields.Text()
    why_5 = fields.Text()
    cause_man = fields.Text(string="Man (People)")
    cause_machine = fields.Text(string="Machine")
    cause_material = fields.Text(string="Material")
    cause_method = fields.Text(string="Method")
    cause_measurement = fields.Text(string="Measurement")
    cause_environment = fields.Text(string="Environment")
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES, string="Root-Cause Category", tracking=True
    )
    root_cause = fields.Text()
    action_ids = fields.One2many("meddev.capa.action", "capa_id", string="Actions")
    effectiveness_criterion = fields.Text(
        help="What shows that the actions worked, e.g. no exception of the "
        "type for the supplier in the next 10 lots.",
    )
    effectiveness_date = fields.Date(string="Effectiveness Check On")
    effectiveness_result = fields.Selection(
        [
            ("pending", "Pending"),
            ("effective", "Effective"),
            ("not_effective", "Not Effective"),
        ],
        readonly=True,
        tracking=True,
        copy=False,
    )
    effectiveness_check_ids = fields.One2many(
        "meddev.capa.effectiveness.check",
        "capa_id",
        string="Effectiveness Checks",
        readonly=True,
    )
    extension_ids = fields.One2many(
        "meddev.capa.extension", "capa_id", string="Extension Requests"
    )
    plan_submitted_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    plan_submitted_on = fields.Datetime(readonly=True, copy=False)
    plan_approved_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    plan_approved_on = fields.Datetime(readonly=True, copy=False)
    implemented_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    implemented_on = fields.Datetime(readonly=True, copy=False)
    verified_by_id = fields.Many2one(
        "res.users", string="Effectiveness Verified By", readonly=True, copy=False
    )
    verified_on = fields.Datetime(
        string="Effectiveness Verified On", readonly=True, copy=False
    )
    closed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    closed_on = fields.Datetime(readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)
    recurrence = fields.Boolean(
        string="Recurred",
        readonly=True,
        copy=False,
        tracking=True,
        help="An exception like this CAPA's was recorded after its closure.",
    )
    recurrence_ids = fields.Many2many(
        "meddev.nonconformance",
        "meddev_capa_recurrence_rel",
        "capa_id",
        "nonconformance_id",
        string="Recurring Exceptions",
        readonly=True,
        copy=False,
    )
    plan_problems = fields.Text(
        string="Plan Not Yet Complete",
        compute="_compute_problems",
        help="What the plan still needs before it can be submitted or approved.",
    )
    close_problems = fields.Text(
        string="Not Yet Closable",
        compute="_compute_problems",
    )

    # ------------------------------------------------------------------
    # what the steps need
    # ------------------------------------------------------------------
    @api.depends(
        "state",
        "root_cause_method",
        "root_cause",
        "root_cause_category",
        "action_ids",
        "effectiveness_criterion",
        "effectiveness_date",
        "effectiveness_result",
        *WHY_FIELDS,
        *FISHBONE_FIELDS,
    )
    def _compute_problems(self):
        for record in self:
            plan = record._meddev_plan_problems() if record.state in OPEN_STATES else []
            close = (
                record._meddev_close_problems()
                if record.state == "effectiveness"
                else []
            )
            record.plan_problems = "\n".join(plan) or False
            record.close_problems = "\n".join(close) or False

    # ------------------------------------------------------------------
    # creation and what may be written
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_check_create_state(vals_list)
        if not self.env.su:
            self._meddev_check_user_create(vals_list)
        # the server numbers the CAPA, whoever opens it
        sequence = self.env["ir.sequence"].sudo()
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("meddev.capa") or "/"
        return super().create(vals_list)

    def _meddev_check_user_create(self, vals_list):
        today = fields.Date.context_today(self)
        for vals in vals_list:
            server = set(vals) & set(SERVER_FIELDS) - set(USER_CREATE_FIELDS)
            if server or vals.get("source", "manual") not in USER_SOURCES:
                raise UserError(
                    self.env._(
                        "A CAPA is opened by hand, from exceptions or from "
                        "audit findings; trend rules and SCARs open theirs on "
                        "the server, and its steps set their own fields."
                    )
                )
            if vals.get("date_due") and fields.Date.to_date(vals["date_due"]) < today:
                raise ValidationError(
                    self.env._("The due date of a CAPA cannot be in the past.")
                )

    def write(self, vals):
        if not self.env.su and any(name in vals for name in PLAN_FIELDS):
            # in the cursor's cache, never in the context an RPC caller sets
            writing = self.env.cr.cache.get(SERVER_WRITE_KEY, set())
            fixed = self.filtered(
                lambda record: record.state not in PLAN_EDIT_STATES
                and (record._name, record.id) not in writing
            )
            if fixed:
                raise UserError(
                    self.env._(
                        "The root cause and the plan of %(records)s are "
                        "submitted: they change only when the plan is returned "
                        "to the investigation.",
                        records=", ".join(fixed.mapped("name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.is_superuser():
            raise UserError(
                self.env._(
                    "A CAPA is a quality record: it is cancelled with a signed "
                    "reason, never deleted."
                )
            )

    def _meddev_raise_problems(self, step, method):
        for record in self:
            problems = getattr(record, method)()
            if problems:
                raise UserError(
                    self.env._(
                        "%(record)s cannot be %(step)s yet:\n%(problems)s",
                        record=record.name,
                        step=step,
                        problems="\n".join(f"- {p}" for p in problems),
                    )
                )

    def _require_reason(self, label):
        reason = (self.env.context.get("audit_reason") or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "%(action)s needs a reason: give it in the signature's comment.",
                    action=label,
                )
            )
        return reason
