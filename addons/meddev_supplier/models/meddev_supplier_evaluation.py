from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

from .meddev_supplier_evaluation_line import EVIDENCE_REQUIRED, MAX_SCORE
from .meddev_supplier_qualification import EVALUATION_TYPES

# in the cursor's cache (never in a context an RPC caller controls): an
# evaluation is created by its qualification's Start Evaluation only
# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)


STARTING_KEY = "meddev_supplier_evaluation_starting"
OPEN_STATES = ("in_progress", "completed")


class MeddevSupplierEvaluation(models.Model):
    """One evaluation of a supplier for a scope (ISO 13485 §7.4.1): initial,
    periodic or for cause, answered on a checklist of scored criteria.

    Started from the qualification (its Start Evaluation), answered by the
    evaluator, completed with the evaluator's signature (the answers are then
    fixed and part of the signed content), and closed by the QA manager's
    decision on the qualification, which the evaluation's score and critical
    criteria allow or not: a QA manager approves only what the checklist
    recommends, and not the evaluation they completed themselves.
    """

    _name = "meddev.supplier.evaluation"
    _description = "Supplier Evaluation"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_start desc, id desc"
    _meddev_sequence_code = "meddev.supplier.evaluation"
    _audit_controlled_states = ("completed", "closed")
    # set by the completion and the decision themselves, after the signature
    # written when the QA manager decides on the qualification, after signing
    _signature_exclude_fields = ("decision",)
    _meddev_actions = {
        "complete": "Complete",
        "reopen": "Reopen",
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    qualification_id = fields.Many2one(
        "meddev.supplier.qualification",
        required=True,
        readonly=True,
        index=True,
        # evaluations are kept: a qualification that has one is not deleted
        ondelete="restrict",
    )
    scope_id = fields.Many2one(
        related="qualification_id.scope_id", store=True, precompute=True
    )
    risk_class = fields.Selection(related="qualification_id.risk_class")
    evaluation_type = fields.Selection(
        EVALUATION_TYPES,
        required=True,
        readonly=True,
    )
    trigger = fields.Char(
        readonly=True, help="What started the evaluation (change notice, scorecard)."
    )
    template_id = fields.Many2one(
        "meddev.supplier.evaluation.template",
        string="Checklist",
        readonly=True,
        ondelete="restrict",
    )
    qualified_threshold = fields.Float(string="Score to Qualify (%)", readonly=True)
    conditional_threshold = fields.Float(
        string="Score to Qualify Conditionally (%)", readonly=True
    )
    critical_min_score = fields.Integer(
        string="Minimum Score of Critical Criteria", readonly=True
    )
    evaluator_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    date_start = fields.Date(
        string="Started", default=fields.Date.context_today, readonly=True
    )
    completed_by_id = fields.Many2one(
        "res.users", string="Completed by", readonly=True, copy=False
    )
    date_completed = fields.Date(string="Completed", readonly=True, copy=False)
    state = fields.Selection(
        [
            ("in_progress", "In Progress"),
            ("completed", "Completed"),
            ("closed", "Closed"),
        ],
        string="Status",
        default="in_progress",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    decision = fields.Selection(
        [
            ("qualified", "Qualified"),
            ("conditional", "Conditional"),
            ("suspended", "Suspended"),
            ("disqualified", "Disqualified"),
        ],
        readonly=True,
        copy=False,
        tracking=True,
        help="The QA manager's decision on the qualification that closed the "
        "evaluation.",
    )
    line_ids = fields.One2many(
        "meddev.supplier.evaluation.line",
        "evaluation_id",
        string="Checklist Answers",
    )
    summary = fields.Text(
        help="The evaluator's conclusion: strengths, weaknesses, conditions."
    )
    answered_count = fields.Integer(
        compute="_compute_score", store=True, precompute=True
    )
    criteria_count = fields.Integer(
        compute="_compute_score", store=True, precompute=True
    )
    score_pct = fields.Float(
        string="Score (%)",
        compute="_compute_score",
        store=True,
        precompute=True,
        digits=(5, 1),
        help="Weighted score of the applicable criteria answered, in % of the "
        "maximum (5 each).",
    )
    critical_failed = fields.Boolean(
        string="Critical Criterion Failed",
        compute="_compute_score",
        store=True,
        precompute=True,
    )
    recommendation = fields.Selection(
        [
            ("qualified", "Qualify"),
            ("conditional", "Qualify Conditionally"),
            ("not_approvable", "Do Not Approve"),
        ],
        compute="_compute_score",
        store=True,
        precompute=True,
        help="From the score and the critical criteria: what the QA manager may "
        "decide.",
    )

    # ------------------------------------------------------------------
    # score
    # ------------------------------------------------------------------
    @api.depends(
        "line_ids.score",
        "line_ids.weight",
        "line_ids.critical",
        "qualified_threshold",
        "conditional_threshold",
        "critical_min_score",
    )
    def _compute_score(self):
        for evaluation in self:
            lines = evaluation.line_ids
            answered = lines.filtered("score")
            scored = answered.filtered(lambda line: line.score != "na")
            maximum = sum(scored.mapped("weight")) * MAX_SCORE
            total = sum(line.weight * int(line.score) for line in scored)
            evaluation.answered_count = len(answered)
            evaluation.criteria_count = len(lines)
            evaluation.score_pct = 100.0 * total / maximum if maximum else 0.0
            evaluation.critical_failed = any(
                int(line.score) < evaluation.critical_min_score
                for line in scored.filtered("critical")
            )
            if not scored:
                evaluation.recommendation = False
            elif (
                evaluation.critical_failed
                or evaluation.score_pct < evaluation.conditional_threshold
            ):
                evaluation.recommendation = "not_approvable"
            elif evaluation.score_pct < evaluation.qualified_threshold:
                evaluation.recommendation = "conditional"
            else:
                evaluation.recommendation = "qualified"

    def _compute_display_name(self):
        for evaluation in self:
            evaluation.display_name = " / ".join(
                part
                for part in (
                    evaluation.name,
                    # named in full whatever the reader may read of it
                    evaluation.qualification_id.sudo().display_name,
                )
                if part
            )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    @api.model
    def _start(self, qualifications, evaluation_type, trigger=False):
        """Create the evaluations of ``qualifications`` (one search of the
        checklists, one create), each with the lines of its scope's
        checklist. Called by the qualification's Start Evaluation.
        ``trigger``: a text, or {qualification id: text}."""
        templates = self.env["meddev.supplier.evaluation.template"]._for_scopes(
            qualifications.scope_id
        )
        vals_list = []
        for qualification in qualifications:
            template = templates.get(qualification.scope_id)
            vals_list.append(
                {
                    "qualification_id": qualification.id,
                    "partner_id": qualification.partner_id.id,
                    "evaluation_type": evaluation_type,
                    "trigger": trigger.get(qualification.id)
                    if isinstance(trigger, dict)
                    else trigger,
                    "template_id": template.id if template else False,
                    "qualified_threshold": template.qualified_threshold
                    if template
                    else 80.0,
                    "conditional_threshold": template.conditional_threshold
                    if template
                    else 60.0,
                    "critical_min_score": template.critical_min_score
                    if template
                    else 3,
                    "line_ids": [
                        fields.Command.create(
                            {
                                "template_line_id": line.id,
                                "sequence": line.sequence,
                                "section": line.section,
                                "criterion": line.criterion,
                                "guidance": line.guidance,
                                "weight": line.weight,
                                "critical": line.critical,
                            }
                        )
                        for line in template.line_ids
                    ]
                    if template
                    else [],
                }
            )
        starting = self.env.cr.cache.setdefault(STARTING_KEY, set())
        starting.update(qualifications.ids)
        try:
            evaluations = self.create(vals_list)
        finally:
            starting.difference_update(qualifications.ids)
        evaluations._copy_checklist_translations()
        return evaluations

    def _copy_checklist_translations(self):
        """The criteria in every language of the checklist, not only the one
        of the user who started the evaluation: one statement copying the
        translated values."""
        lines = self.line_ids.filtered("template_line_id")
        if not lines:
            return
        lines.flush_recordset()
        self.env.cr.execute(
            SQL(
                """
                UPDATE meddev_supplier_evaluation_line line
                   SET section = criterion_.section,
                       criterion = criterion_.criterion,
                       guidance = criterion_.guidance
                  FROM meddev_supplier_evaluation_template_line criterion_
                 WHERE line.template_line_id = criterion_.id
                   AND line.id IN %s
                """,
                tuple(lines.ids),
            )
        )
        lines.invalidate_recordset(["section", "criterion", "guidance"])

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            starting = self.env.cr.cache.get(STARTING_KEY, set())
            if any(vals.get("qualification_id") not in starting for vals in vals_list):
                raise UserError(
                    self.env._(
                        "An evaluation is started from its qualification (Start "
                        "Evaluation), not created on its own."
                    )
                )
        evaluations = super().create(vals_list)
        evaluations._check_one_open()
        return evaluations

    def _check_one_open(self):
        qualifications = self.qualification_id
        # counted whatever the user may read: one open evaluation at a time
        counts = self.sudo()._read_group(
            [
                ("qualification_id", "in", qualifications.ids),
                ("state", "in", OPEN_STATES),
            ],
            ["qualification_id"],
            ["__count"],
        )
        twice = [q for q, count in counts if count > 1]
        if twice:
            raise UserError(
                self.env._(
                    "%(qualifications)s already has an evaluation in progress: "
                    "finish it first.",
                    qualifications=", ".join(q.display_name for q in twice),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Supplier evaluations are quality records: they are kept, never "
                "deleted."
            )
        )

    def _meddev_signed_content(self):
        """The signature binds the answers too, not only the evaluation's own
        fields."""
        content = super()._meddev_signed_content()
        # the same content in whatever language the reader checks it
        lines = self.with_context(lang="en_US").line_ids
        content["answers"] = [
            [
                line.section or "",
                line.criterion,
                line.weight,
                line.critical,
                line.score or "",
                line.evidence or "",
            ]
            for line in lines.sorted(lambda line: (line.sequence, line.id))
        ]
        return content

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_complete(self):
        """The evaluator signs the answered checklist: every criterion
        answered, evidence written for low scores and Not Applicable."""
        problems = []
        for evaluation in self:
            if not evaluation.line_ids:
                problems.append(
                    self.env._(
                        "%(evaluation)s has no criteria: its scope has no checklist.",
                        evaluation=evaluation.display_name,
                    )
                )
            for line in evaluation.line_ids:
                if not line.score:
                    problems.append(
                        self.env._(
                            "%(evaluation)s: %(criterion)s is not answered.",
                            evaluation=evaluation.name,
                            criterion=line.criterion,
                        )
                    )
                elif (
                    line.score in EVIDENCE_REQUIRED
                    and not (line.evidence or "").strip()
                ):
                    problems.append(
                        self.env._(
                            "%(evaluation)s: %(criterion)s needs the evidence "
                            "(score 2 or less, or Not Applicable).",
                            evaluation=evaluation.name,
                            criterion=line.criterion,
                        )
                    )
        if problems:
            raise UserError(
                self.env._(
                    "The evaluation cannot be completed:\n%(problems)s",
                    problems="\n".join(problems),
                )
            )
        self._meddev_check_action("complete")
        self.write(
            {
                "state": "completed",
                "completed_by_id": self.env.uid,
                "date_completed": fields.Date.context_today(self),
            }
        )
        return True

    def action_reopen(self):
        """Back to the evaluator, with a reason, before the decision."""
        reason = (self.env.context.get("audit_reason") or "").strip()
        if not reason:
            raise UserError(
                self.env._("Reopening an evaluation needs a reason for change.")
            )
        self._meddev_check_action("reopen")
        self.write(
            {"state": "in_progress", "completed_by_id": False, "date_completed": False}
        )
        return True

    def _close(self, decision):
        """Closed by the QA manager's decision on the qualification (that
        action was checked and signed there)."""
        if not self:
            return
        # the qualification's checked decision closes its evaluation: the
        # state guard of the evaluation knows only its own actions
        self.sudo().with_context(
            audit_reason=self.env.context.get("audit_reason")
            or system_reason(self.env, _lt("Decision on the qualification"))
        ).write({"state": "closed", "decision": decision})

    def _report_rule_text(self):
        """The decision rule of the evaluation, in one sentence (PDF)."""
        self.ensure_one()
        return self.env._(
            "Qualify from %(qualified).0f %%, conditionally from %(conditional).0f "
            "%%; a critical criterion below %(minimum)s of 5 allows no approval.",
            qualified=self.qualified_threshold,
            conditional=self.conditional_threshold,
            minimum=self.critical_min_score,
        )

    def action_view_qualification(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "meddev.supplier.qualification",
            "res_id": self.qualification_id.id,
            "view_mode": "form",
        }
