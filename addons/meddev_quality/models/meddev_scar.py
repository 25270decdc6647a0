from collections import defaultdict

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason
from odoo.addons.meddev_base.models.meddev_supplier_scope_mixin import (
    portal_restricted,
)

# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

# each week past the due date raises the escalation by one level
ESCALATION_DAYS = 7
# who is told at each level: the SCAR's QA owner, the QA managers, the
# management representative (quality director)
LEVEL_GROUPS = {
    2: "meddev_base.group_meddev_qa_manager",
    3: "meddev_base.group_meddev_quality_director",
}
MAX_LEVEL = 3
# the qualifications a for-cause evaluation re-evaluates
EVALUATED_STATES = ("qualified", "conditional", "suspended")
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
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    problem_statement = fields.Text(
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
        compute="_compute_is_overdue", search="_search_is_overdue"
    )
    d1_team = fields.Text(help="Who works on the answer.")
    d2_problem = fields.Text(string="D2 Problem Description")
    d3_containment = fields.Text(string="D3 Containment Actions")
    d4_root_cause = fields.Text(help="Why it happened.")
    d5_corrective_actions = fields.Text()
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

    def _meddev_signed_fields(self):
        """The 8D answer is drafted by the supplier between QA's signature of
        the request (issued, or returned to it) and its own signature of the
        answer: signed content once answered, not before (else every answer
        would break the request's signature)."""
        fields_ = super()._meddev_signed_fields()
        if self and all(scar.state in ("draft", "issued") for scar in self):
            return [field for field in fields_ if field.name not in D_FIELDS]
        return fields_

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
            # (the references named in the refusal, whatever the writer reads)
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

    # ------------------------------------------------------------------
    # refusals (one source of truth for the form and the server)
    # ------------------------------------------------------------------
    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        refusal = super()._meddev_refusal(action, permissions, logs, user, signature)
        if refusal:
            return refusal
        problems = {
            "issue": self._issue_problems,
            "answer": self._answer_problems,
        }.get(action, list)()
        if not problems:
            return None
        return UserError(
            self.env._(
                "%(record)s cannot be %(action)s yet:\n%(problems)s",
                # named in full whatever the user may read of it
                record=self.sudo().display_name,
                action=self._meddev_action_label(
                    action, self._meddev_permission_for(permissions.get(action))
                ),
                problems="\n".join(f"- {problem}" for problem in problems),
            )
        )

    def _issue_problems(self):
        self.ensure_one()
        problems = []
        if not (self.problem_statement or "").strip():
            problems.append(self.env._("state the problem for the supplier"))
        if not self.date_due:
            problems.append(self.env._("give the response due date"))
        elif self.date_due < fields.Date.context_today(self):
            problems.append(self.env._("the response due date is past"))
        return problems

    def _answer_problems(self):
        self.ensure_one()
        # the answer is checked whatever the answering user may read
        scar = self.sudo()
        missing = [
            scar._fields[name].get_description(self.env)["string"]
            for name in REQUIRED_D_FIELDS
            if not (scar[name] or "").strip()
        ]
        if not missing:
            return []
        return [self.env._("answer %(fields)s", fields=", ".join(missing))]

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def action_issue(self):
        """Signed by a QA engineer or manager: the supplier reads the request
        on its portal and answers it by the due date."""
        self._meddev_check_action("issue")
        self._meddev_server_write(
            {
                "state": "issued",
                "date_issued": fields.Datetime.now(),
                "issued_by_id": self.env.uid,
            }
        )
        return True

    def action_answer(self):
        """Signed by the supplier's portal user (or QA recording an answer
        received on paper): the 8D answer goes to QA's review."""
        self._meddev_check_action("answer")
        # the checked, signed step is the server's to record: the supplier's
        # portal user writes the 8D fields only
        self.sudo()._meddev_server_write(
            {
                "state": "answered",
                "date_answered": fields.Datetime.now(),
                "answered_by_id": self.env.uid,
            }
        )
        self._meddev_todos_done(self.env._("Answered by the supplier"))
        self._meddev_notify_qa_managers(
            self.env._("Review the supplier's 8D answer"),
            self.env._(
                "%(user)s submitted the 8D answer, signed: review it.",
                user=self.env.user.name,
            ),
        )
        return True

    def action_accept(self):
        """QA's signed review accepts the answer (not by who recorded it)."""
        self._meddev_check_action("accept")
        self._meddev_server_write(
            {
                "state": "accepted",
                "date_reviewed": fields.Datetime.now(),
                "reviewed_by_id": self.env.uid,
            }
        )
        self._meddev_todos_done(self.env._("Reviewed"))
        return True

    def action_return_to_supplier(self):
        """QA's signed review returns the answer, the signature's comment its
        reason (the supplier reads it): issued again, to be answered anew."""
        reason = self._require_reason(self.env._("Return to the Supplier"))
        self._meddev_check_action("return_to_supplier")
        for scar in self:
            scar._meddev_server_write(
                {
                    "state": "issued",
                    "return_reason": reason,
                    "return_count": scar.return_count + 1,
                    "date_answered": False,
                    "answered_by_id": False,
                    "date_reviewed": fields.Datetime.now(),
                    "reviewed_by_id": self.env.uid,
                }
            )
        self._meddev_todos_done(self.env._("Reviewed"))
        return True

    def action_cancel(self):
        reason = self._require_reason(self.env._("Cancel"))
        self._meddev_check_action("cancel")
        self._meddev_server_write({"state": "cancel", "cancel_reason": reason})
        return True

    def _meddev_todos_done(self, feedback):
        """The to-dos the server gave on these requests (review, overdue)
        are done."""
        # the to-dos were assigned by the server to every QA manager
        self.sudo().activity_ids.filtered(
            lambda activity: activity.automated
            and activity.activity_type_id
            == self.env.ref("mail.mail_activity_data_todo")
        ).action_feedback(feedback=feedback)

    # ------------------------------------------------------------------
    # overdue escalation (daily scheduled action)
    # ------------------------------------------------------------------
    @api.model
    def _cron_escalate_overdue(self, today=None):
        """Escalate the issued requests past their due date, in set
        operations: one search, one write per level, one batch of to-dos and
        one batch of chatter notes. A request one day overdue reaches level 1
        (its QA owner), a week later level 2 (the QA managers), two weeks
        later level 3 (the management representative)."""
        today = today or fields.Date.context_today(self)
        # the scheduled action escalates every company's requests
        scars = self.sudo().search(
            [
                ("state", "=", "issued"),
                ("date_due", "<", today),
                ("escalation_level", "<", MAX_LEVEL),
            ]
        )
        by_level = defaultdict(list)
        for scar in scars:
            level = min(MAX_LEVEL, 1 + (today - scar.date_due).days // ESCALATION_DAYS)
            if level > scar.escalation_level:
                by_level[level].append(scar.id)
        reason = system_reason(self.env, _lt("Overdue SCAR escalated"))
        # the cron's server writes (levels and to-dos), whoever runs it
        for level, ids in by_level.items():
            self.sudo().browse(ids).with_context(
                audit_reason=reason
            )._meddev_server_write({"escalation_level": level, "escalated_on": today})
        escalated = self.sudo().browse([i for ids in by_level.values() for i in ids])
        escalated._meddev_escalation_todos(today)
        return escalated

    def _meddev_escalation_users(self):
        """{level: users told} for these requests' levels (owners apart)."""
        result = {}
        for level, xmlid in LEVEL_GROUPS.items():
            result[level] = self.env.ref(xmlid).users.filtered(
                lambda user: user.active and not user.share
            )
        return result

    def _meddev_escalation_todos(self, today):
        """One batch of to-dos and one batch of chatter notes."""
        if not self:
            return
        users_by_level = self._meddev_escalation_users()
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        values, bodies = [], {}
        for scar in self:
            level = scar.escalation_level
            users = users_by_level.get(level) or scar.user_id
            if not users:
                users = users_by_level[2]
            summary = self.env._(
                "SCAR overdue: escalation level %(level)s", level=level
            )
            bodies[scar.id] = self.env._(
                "%(scar)s is past its response due date (%(due)s) unanswered: "
                "escalated to level %(level)s (%(users)s).",
                scar=scar.name,
                due=scar.date_due,
                level=level,
                users=", ".join(users.mapped("name")),
            )
            values += [
                {
                    "res_model_id": model_id,
                    "res_id": scar.id,
                    "activity_type_id": activity_type.id,
                    "user_id": user.id,
                    "summary": summary,
                    "date_deadline": today,
                    # done when the supplier answers (_meddev_todos_done)
                    "automated": True,
                }
                for user in users
            ]
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            values
        )
        self._message_log_batch(bodies)

    # ------------------------------------------------------------------
    # for-cause evaluation of the supplier
    # ------------------------------------------------------------------
    def _meddev_qualifications_to_evaluate(self):
        """The supplier's qualifications a for-cause evaluation starts on:
        those of the exception's process step when it has one."""
        self.ensure_one()
        domain = [
            ("meddev_supplier_id", "=", self.partner_id.id),
            ("state", "in", EVALUATED_STATES),
            ("current_evaluation_id", "=", False),
        ]
        # the exception's process step narrows them, whatever the user may
        # read of the exception
        scope = self.sudo().nonconformance_id.process_id
        if scope:
            domain.append(("scope_id", "=", scope.id))
        return self.env["meddev.supplier.qualification"].search(domain)

    def action_start_evaluation(self):
        """Start a for-cause evaluation of the supplier (the qualification's
        stage permission *Start Evaluation* decides who may)."""
        self.ensure_one()
        if self.state in ("draft", "cancel"):
            raise UserError(
                self.env._(
                    "%(scar)s is not issued: a for-cause evaluation follows an "
                    "issued request.",
                    scar=self.name,
                )
            )
        qualifications = self._meddev_qualifications_to_evaluate()
        if not qualifications:
            raise UserError(
                self.env._(
                    "%(supplier)s has no approved or suspended qualification "
                    "without an evaluation in progress to re-evaluate.",
                    supplier=self.partner_id.display_name,
                )
            )
        trigger = self.env._(
            "SCAR %(scar)s (%(state)s)",
            scar=self.name,
            state=dict(self._fields["state"]._description_selection(self.env))[
                self.state
            ],
        )
        qualifications.with_context(
            meddev_evaluation_type="for_cause", meddev_evaluation_trigger=trigger
        ).action_start_evaluation()
        evaluations = qualifications.current_evaluation_id
        self._meddev_server_write({"evaluation_id": evaluations[:1].id})
        self.message_post(
            body=self.env._(
                "For-cause evaluation started: %(evaluations)s",
                evaluations=", ".join(evaluations.mapped("display_name")),
            ),
            subtype_xmlid="mail.mt_note",
        )
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("For-Cause Evaluation"),
            "res_model": "meddev.supplier.evaluation",
            "view_mode": "list,form",
            "domain": [("id", "in", evaluations.ids)],
        }
