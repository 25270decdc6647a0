from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.models.meddev_supplier_scope_mixin import (
    portal_restricted,
)

SCAR_STATES = [
    ("draft", "Draft"),
    ("issued", "Issued to Supplier"),
    ("answered", "Answered"),
    ("accepted", "Accepted"),
    ("cancel", "Cancelled"),
]
SOURCES = [
    ("nonconformance", "Exception"),
    ("capa", "CAPA"),
    ("manual", "Issued by Hand"),
]
# the supplier's 8D answer: its portal users write these, and only these
D_FIELDS = (
    "d1_team",
    "d2_problem",
    "d3_containment",
    "d4_root_cause",
    "d5_corrective_actions",
    "d6_verification",
    "d7_prevention",
    "d8_recognition",
)
# an answer is submitted with these; D8 (recognition of the team) may be empty
REQUIRED_D_FIELDS = D_FIELDS[:7]
# what the request is about: fixed once issued to the supplier
SUBJECT_FIELDS = ("partner_id", "nonconformance_id", "product_id", "problem_statement")
SERVER_FIELDS = (
    "date_issued",
    "issued_by_id",
    "date_answered",
    "answered_by_id",
    "date_reviewed",
    "reviewed_by_id",
    "return_reason",
    "return_count",
    "cancel_reason",
    "escalation_level",
    "escalated_on",
    "evaluation_id",
)
PORTAL_FIELDS = (
    "name",
    "partner_id",
    "company_id",
    "state",
    "nonconformance_ref",
    "product_id",
    "problem_statement",
    "date_issued",
    "date_due",
    "date_answered",
    "is_overdue",
    "return_reason",
    "return_count",
    *D_FIELDS,
)
PORTAL_GROUP = "meddev_base.group_meddev_supplier_portal"
# the supplier's portal users read the requests issued to it, never a draft
PORTAL_RULE_DOMAIN = (
    "[('meddev_supplier_id', '=', user.commercial_partner_id.id), "
    "('state', '!=', 'draft')]"
)


class MeddevScar(models.Model):
    """A supplier corrective action request (SCAR, 供应商纠正措施要求),
    answered as an 8D report (ISO 13485 §7.4, §8.5.2).

    Issued from an exception (its supplier and product), later from a CAPA,
    or by hand, with a response due date. Draft → issued (a QA engineer or
    manager signs it) → answered (the supplier's portal user writes D1–D8 on
    the portal and signs the answer with its password; QA may record an
    answer received on paper, signed likewise) → accepted (QA's signed
    review, not by who recorded the answer) or returned to the supplier with
    a reason (back to issued). Cancelled by the QA manager's signed reason.

    The supplier writes the 8D fields only, only while the request is issued
    (``_meddev_portal_write_fields``, guarded in ``write``). A request past
    its due date unanswered is escalated by the daily scheduled action (level
    and to-dos of the QA managers, logged in the chatter). Its outcome counts
    in the supplier's scorecard (answered on time, accepted).
    """

    _name = "meddev.scar"
    _description = "Supplier Corrective Action Request (SCAR / 8D)"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _meddev_sequence_code = "meddev.scar"
    _audit_controlled_states = ("accepted", "cancel")
    _meddev_actions = {
        "issue": "Issue to the Supplier",
        "answer": "Submit the 8D Answer",
        "accept": "Accept the Answer",
        "return_to_supplier": "Return to the Supplier",
        "cancel": "Cancel",
    }
    _meddev_server_fields = SERVER_FIELDS
    _meddev_portal_fields = PORTAL_FIELDS
    _meddev_portal_write_fields = D_FIELDS
    # kept by the escalation, not a signer's decision
    _signature_exclude_fields = (
        "escalation_level",
        "escalated_on",
        "evaluation_id",
        "message_ids",
        "activity_ids",
    )

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        SCAR_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    source = fields.Selection(SOURCES, default="manual", required=True)
    nonconformance_id = fields.Many2one(
        "meddev.nonconformance",
        string="Exception",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    nonconformance_ref = fields.Char(
        string="Our Exception",
        compute="_compute_nonconformance_ref",
        store=True,
        precompute=True,
        help="The reference of the exception, as the supplier reads it.",
    )
    capa_ref = fields.Char(
        string="CAPA Reference",
        help="The CAPA the request comes from, until CAPAs link their SCARs.",
    )
    product_id = fields.Many2one(
        "product.product", string="Product", index=True, check_company=True
    )
    problem_statement = fields.Text(
        string="Problem Statement",
        help="What we found and what we request of the supplier: it reads it.",
    )
    user_id = fields.Many2one(
        "res.users",
        string="QA Owner",
        default=lambda self: self.env.user,
        domain="[('share', '=', False)]",
        tracking=True,
    )
    date_due = fields.Date(string="Response Due", tracking=True)
    date_issued = fields.Datetime(string="Issued on", readonly=True, copy=False)
    issued_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_answered = fields.Datetime(string="Answered on", readonly=True, copy=False)
    answered_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    date_reviewed = fields.Datetime(string="Reviewed on", readonly=True, copy=False)
    reviewed_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    return_reason = fields.Text(
        string="Why Returned", readonly=True, copy=False, help="The supplier reads it."
    )
    return_count = fields.Integer(string="Times Returned", readonly=True, copy=False)
    cancel_reason = fields.Text(readonly=True, copy=False)
    escalation_level = fields.Integer(readonly=True, copy=False, tracking=True)
    escalated_on = fields.Date(readonly=True, copy=False)
    evaluation_id = fields.Many2one(
        "meddev.supplier.evaluation",
        string="For-Cause Evaluation",
        readonly=True,
        copy=False,
    )
    on_time = fields.Boolean(
        string="Answered on Time",
        compute="_compute_on_time",
        store=True,
        precompute=True,
    )
    is_overdue = fields.Boolean(
        string="Overdue", compute="_compute_is_overdue", search="_search_is_overdue"
    )
    d1_team = fields.Text(string="D1 Team")
    d2_problem = fields.Text(string="D2 Problem Description")
    d3_containment = fields.Text(string="D3 Containment Actions")
    d4_root_cause = fields.Text(string="D4 Root Cause")
    d5_corrective_actions = fields.Text(string="D5 Corrective Actions")
    d6_verification = fields.Text(string="D6 Implementation and Verification")
    d7_prevention = fields.Text(string="D7 Prevention of Recurrence")
    d8_recognition = fields.Text(string="D8 Team Recognition")

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("nonconformance_id.name")
    def _compute_nonconformance_ref(self):
        for scar in self:
            # the reference is shown to the supplier, who reads no exception
            scar.nonconformance_ref = scar.sudo().nonconformance_id.name or False

    @api.depends("date_answered", "date_due")
    @api.depends_context("tz")
    def _compute_on_time(self):
        for scar in self:
            answered = scar.date_answered and fields.Date.context_today(
                scar, scar.date_answered
            )
            scar.on_time = bool(
                answered and scar.date_due and answered <= scar.date_due
            )

    @api.depends("state", "date_due")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for scar in self:
            scar.is_overdue = bool(
                scar.state == "issued" and scar.date_due and scar.date_due < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue requests."))
        domain = [
            ("state", "=", "issued"),
            ("date_due", "<", fields.Date.context_today(self)),
        ]
        return domain if (operator == "=") == value else ["!", "&", *domain]

    @api.model
    def _meddev_ensure_supplier_rule(self):
        """The supplier's portal users read the requests issued to it."""
        portal = self.env.ref(PORTAL_GROUP, raise_if_not_found=False)
        if portal:
            self.env["ir.rule"]._meddev_ensure_model_rule(
                self,
                "supplier_scope_rule_",
                "the requests issued to the supplier (portal)",
                PORTAL_RULE_DOMAIN,
                groups=portal,
            )

    # ------------------------------------------------------------------
    # what may be written
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_portal_check_create(vals_list)
        for vals in vals_list:
            if vals.get("nonconformance_id") and "source" not in vals:
                vals["source"] = "nonconformance"
        return super().create(vals_list)

    def write(self, vals):
        if portal_restricted(self):
            # the supplier's whitelist first: what else it tries is refused
            # as not its own, before any check of the steps
            self.check_field_access_rights("write", list(vals))
        if not self.env.su:
            self._check_answer_open(vals)
            self._check_subject_fixed(vals)
        return super().write(vals)

    def _check_answer_open(self, vals):
        """The 8D answer is written while the request is issued, by anyone."""
        if not set(D_FIELDS).intersection(vals):
            return
        closed = self.filtered(lambda scar: scar.state != "issued")
        if closed:
            raise UserError(
                self.env._(
                    "The 8D answer of %(scars)s is written only while the request "
                    "is issued to the supplier.",
                    scars=", ".join(closed.sudo().mapped("name")),
                )
            )

    def _check_subject_fixed(self, vals):
        if not set(SUBJECT_FIELDS).intersection(vals) or portal_restricted(self):
            return
        fixed = self.filtered(lambda scar: scar.state != "draft")
        if fixed:
            raise UserError(
                self.env._(
                    "The supplier, exception, product and problem statement of "
                    "%(scars)s are fixed once it is issued.",
                    scars=", ".join(fixed.mapped("name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda scar: scar.state != "draft"):
            raise UserError(
                self.env._("Only draft SCARs can be deleted; cancel the others.")
            )
