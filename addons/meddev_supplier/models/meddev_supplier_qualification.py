from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# re-evaluation interval per risk class, in months (system parameters
# meddev_supplier.reeval_months_a/b/c override them)
# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)


DEFAULT_REEVAL_MONTHS = {"A": 12, "B": 24, "C": 36}
# a supplier in these states may deliver the products of the scope
APPROVED_STATES = ("qualified", "conditional")
# the qualification's subject: fixed once the evaluation started
SUBJECT_FIELDS = ("partner_id", "scope_id")
# the role (given temporarily) that may override the block, with a reason
OVERRIDE_GROUP = "meddev_supplier.group_meddev_supplier_override"
# key of the overrides recorded in the transaction (model, id, refusal)
OVERRIDDEN_KEY = "meddev_supplier.overridden"
# the kinds of evaluation (of the qualification and of its evaluations)
EVALUATION_TYPES = [
    ("initial", "Initial"),
    ("periodic", "Periodic Re-evaluation"),
    ("for_cause", "For Cause"),
]
# the decisions an evaluation's recommendation allows
ALLOWED_BY = {
    "approve": ("qualified",),
    "approve_conditional": ("qualified", "conditional"),
}
# the decision a completed evaluation waits for, by its recommendation
AWAITED_BY = {
    "approve": "qualified",
    "approve_conditional": "conditional",
    "disqualify": "not_approvable",
}
# the decisions that close the open evaluation, and the state they lead to
DECISIONS = {
    "approve": "qualified",
    "approve_conditional": "conditional",
    "suspend": "suspended",
    "disqualify": "disqualified",
}


class MeddevSupplierQualification(models.Model):
    """A supplier's qualification for one scope (ISO 13485 §7.4.1): an entry
    of the approved supplier list.

    Candidate → under evaluation (QA engineer) → qualified or conditional (QA
    manager, signed, not whoever started the evaluation) → suspended or
    disqualified (QA manager, signed with the reason). A qualified, conditional
    or suspended supplier is re-evaluated (periodic or for cause) by starting a
    new evaluation. The next evaluation is due 12, 24 or 36 months after the
    last one for risk class A, B or C (system parameters
    ``meddev_supplier.reeval_months_a/b/c``).

    Each evaluation is a ``meddev.supplier.evaluation``: a checklist of scored
    criteria, completed by the evaluator's signature. Approval (or conditional
    approval) needs the open evaluation completed and recommending it, and is
    not given by the evaluator. A qualified or conditional supplier keeps its
    status while re-evaluated, so purchasing goes on; a candidate or a
    suspended supplier is Under Evaluation (not approved) until the decision.
    """

    _name = "meddev.supplier.qualification"
    _description = "Supplier Qualification"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "partner_id, scope_id, id"
    _audit_controlled_states = ("qualified", "conditional", "suspended", "disqualified")
    _signature_exclude_fields = ("evaluation_type", "notes")
    # which evaluation is open follows from the evaluations' own records
    _audit_exclude_fields = ("current_evaluation_id",)
    # what the supplier sees on the portal: the scope, its risk class, status
    # and dates, its certificates; never the notes, evaluations or scores
    _meddev_portal_fields = (
        "name",
        "partner_id",
        "scope_id",
        "state",
        "last_evaluation_date",
        "next_evaluation_date",
        "certificate_ids",
        "earliest_certificate_expiry",
        "risk_class",
    )
    _meddev_actions = {
        "start_evaluation": "Start Evaluation",
        "approve": "Approve",
        "approve_conditional": "Approve Conditionally",
        "suspend": "Suspend",
        "disqualify": "Disqualify",
    }

    name = fields.Char(
        string="Reference",
        compute="_compute_name",
        store=True,
        precompute=True,
        readonly=True,
    )
    scope_id = fields.Many2one(
        "meddev.supplier.scope",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    risk_class = fields.Selection(
        [
            ("A", "A - Critical"),
            ("B", "B - Major"),
            ("C", "C - Minor"),
        ],
        required=True,
        tracking=True,
        help="A: critical (sterilization, implant machining), re-evaluated "
        "yearly; B every 2 years; C every 3 years (Settings: system parameters).",
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("candidate", "Candidate"),
            ("under_evaluation", "Under Evaluation"),
            ("qualified", "Qualified"),
            ("conditional", "Conditional"),
            ("suspended", "Suspended"),
            ("disqualified", "Disqualified"),
        ],
        default="candidate",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    evaluation_type = fields.Selection(
        EVALUATION_TYPES,
        default="initial",
        required=True,
        readonly=True,
        tracking=True,
    )
    last_evaluation_date = fields.Date(
        string="Last Evaluation", readonly=True, copy=False, tracking=True
    )
    next_evaluation_date = fields.Date(
        string="Next Evaluation",
        compute="_compute_next_evaluation_date",
        store=True,
        precompute=True,
        help="Last evaluation plus the re-evaluation interval of the risk class.",
    )
    notes = fields.Text()
    certificate_ids = fields.Many2many(
        "meddev.supplier.certificate",
        string="Certificates",
        compute="_compute_certificates",
        help="The supplier's certificates covering this scope (or every scope).",
    )
    evaluation_ids = fields.One2many(
        "meddev.supplier.evaluation",
        "qualification_id",
        string="Evaluations",
        readonly=True,
    )
    current_evaluation_id = fields.Many2one(
        "meddev.supplier.evaluation",
        string="Open Evaluation",
        compute="_compute_current_evaluation",
        store=True,
        precompute=True,
        help="The evaluation in progress or completed, awaiting the decision.",
    )
    current_evaluation_state = fields.Selection(
        related="current_evaluation_id.state", string="Evaluation Status"
    )
    current_evaluation_score = fields.Float(
        related="current_evaluation_id.score_pct", string="Evaluation Score (%)"
    )
    current_evaluation_recommendation = fields.Selection(
        related="current_evaluation_id.recommendation", string="Recommendation"
    )
    evaluation_count = fields.Integer(compute="_compute_evaluation_count")
    earliest_certificate_expiry = fields.Date(
        compute="_compute_certificates",
        help="The first expiry date among the supplier's certificates covering "
        "this scope.",
    )

    _sql_constraints = [
        (
            "partner_scope_unique",
            "UNIQUE (partner_id, scope_id)",
            "A supplier has one qualification per scope.",
        ),
    ]

    # ------------------------------------------------------------------
    # computes and constraints
    # ------------------------------------------------------------------
    @api.depends("partner_id.name", "scope_id.code")
    def _compute_name(self):
        for qualification in self:
            qualification.name = " / ".join(
                part
                for part in (qualification.partner_id.name, qualification.scope_id.code)
                if part
            )

    @api.depends("partner_id", "scope_id")
    def _compute_display_name(self):
        for qualification in self:
            qualification.display_name = " / ".join(
                part
                for part in (
                    qualification.partner_id.name,
                    qualification.scope_id.name,
                )
                if part
            )

    @api.model
    def _reeval_months(self):
        # system parameters are readable by administrators only
        params = self.env["ir.config_parameter"].sudo()
        return {
            risk: int(
                params.get_param(f"meddev_supplier.reeval_months_{risk.lower()}")
                or default
            )
            for risk, default in DEFAULT_REEVAL_MONTHS.items()
        }

    @api.depends("last_evaluation_date", "risk_class")
    def _compute_next_evaluation_date(self):
        months = self._reeval_months()
        for qualification in self:
            last = qualification.last_evaluation_date
            if last and qualification.risk_class:
                qualification.next_evaluation_date = last + relativedelta(
                    months=months[qualification.risk_class]
                )
            else:
                qualification.next_evaluation_date = False

    @api.depends("evaluation_ids.state")
    def _compute_current_evaluation(self):
        for qualification in self:
            qualification.current_evaluation_id = qualification.evaluation_ids.filtered(
                lambda e: e.state in ("in_progress", "completed")
            )[:1]

    @api.depends("evaluation_ids")
    def _compute_evaluation_count(self):
        for qualification in self:
            qualification.evaluation_count = len(qualification.evaluation_ids)

    @api.depends("meddev_supplier_id", "scope_id")
    def _compute_certificates(self):
        certificates = self.env["meddev.supplier.certificate"].search(
            [
                ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                # a supplier's upload counts once QA accepted it
                ("review_state", "=", "accepted"),
            ]
        )
        for qualification in self:
            covering = certificates.filtered(
                lambda cert, q=qualification: cert.meddev_supplier_id
                == q.meddev_supplier_id
                and (not cert.scope_ids or q.scope_id in cert.scope_ids)
            )
            qualification.certificate_ids = covering
            dates = [date for date in covering.mapped("expiry_date") if date]
            qualification.earliest_certificate_expiry = min(dates) if dates else False

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def write(self, vals):
        if any(name in vals for name in SUBJECT_FIELDS):
            started = self.filtered(lambda q: q.state != "candidate")
            if started:
                raise UserError(
                    self.env._(
                        "The supplier and scope of %(records)s are fixed once its "
                        "evaluation started: create another qualification.",
                        records=", ".join(started.mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_candidate(self):
        if self.filtered(lambda q: q.state != "candidate"):
            raise UserError(
                self.env._(
                    "Only candidate qualifications can be deleted; disqualify the "
                    "others."
                )
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_start_evaluation(self):
        """Start the initial evaluation of a candidate, or a re-evaluation
        (periodic, or for cause with the context key ``meddev_evaluation_type``)
        of an approved or suspended supplier: an evaluation on the checklist of
        the scope. A qualified or conditional supplier keeps its status while
        re-evaluated; a candidate or suspended one is Under Evaluation."""
        self._meddev_check_action("start_evaluation")
        self._meddev_start_evaluations(
            "for_cause"
            if self.env.context.get("meddev_evaluation_type") == "for_cause"
            else "periodic",
            trigger=self.env.context.get("meddev_evaluation_trigger"),
        )
        return True

    def _meddev_start_evaluations(self, reevaluation_type, trigger=False):
        """Open an evaluation of each qualification (the action was checked)
        and return them. ``trigger``: a text, or {qualification id: text}."""
        busy = self.filtered("current_evaluation_id")
        if busy:
            raise UserError(
                self.env._(
                    "%(qualifications)s already has an evaluation in progress: "
                    "finish it first.",
                    qualifications=", ".join(busy.mapped("display_name")),
                )
            )
        types = dict(self._fields["evaluation_type"]._description_selection(self.env))
        candidates = self.filtered(lambda q: q.state == "candidate")
        Evaluation = self.env["meddev.supplier.evaluation"]
        evaluations = Evaluation
        for records, evaluation_type in (
            (candidates, "initial"),
            (self - candidates, reevaluation_type),
        ):
            if not records:
                continue
            reason = self.env.context.get("audit_reason") or system_reason(
                self.env,
                _lt("Evaluation started: %(type)s", type=types[evaluation_type]),
            )
            blocked = records.filtered(lambda q: q.state not in APPROVED_STATES)
            blocked.with_context(audit_reason=reason).write(
                {"state": "under_evaluation", "evaluation_type": evaluation_type}
            )
            (records - blocked).with_context(audit_reason=reason).write(
                {"evaluation_type": evaluation_type}
            )
            evaluations |= Evaluation._start(records, evaluation_type, trigger=trigger)
        return evaluations

    def action_approve(self):
        self._meddev_check_action("approve")
        if self.filtered(lambda q: q.state in APPROVED_STATES):
            # approving a re-evaluation changes an approved qualification (in
            # the signing transaction: a refusal here undoes the signature)
            self._require_reason(self.env._("Approval of a re-evaluated supplier"))
        self._meddev_decide("approve")
        return True

    def action_approve_conditional(self):
        self._require_reason(self.env._("Conditional approval"))
        self._meddev_check_action("approve_conditional")
        self._meddev_decide("approve_conditional")
        return True

    def action_suspend(self):
        self._require_reason(self.env._("Suspension"))
        self._meddev_check_action("suspend")
        self._meddev_decide("suspend")
        return True

    def action_disqualify(self):
        self._require_reason(self.env._("Disqualification"))
        self._meddev_check_action("disqualify")
        self._meddev_decide("disqualify")
        return True

    def _meddev_decide(self, action):
        """Set the state of the decision and close the open evaluations."""
        state = DECISIONS[action]
        vals = {"state": state}
        if action in ALLOWED_BY:
            vals["last_evaluation_date"] = fields.Date.context_today(self)
        evaluations = self.current_evaluation_id
        self.write(vals)
        evaluations._close(state)

    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        """Approval also needs the open evaluation completed and recommending
        it, by someone else than the approver."""
        refusal = super()._meddev_refusal(
            action, permissions, logs, user, signature=signature
        )
        if refusal or action not in ALLOWED_BY:
            return refusal
        evaluation = self.current_evaluation_id
        record = self.sudo().display_name  # named even if partly unreadable
        if not evaluation:
            return UserError(
                self.env._(
                    "%(record)s has no open evaluation: start one and complete "
                    "its checklist before the decision.",
                    record=record,
                )
            )
        if evaluation.state != "completed":
            return UserError(
                self.env._(
                    "The evaluation %(evaluation)s of %(record)s is not completed: "
                    "the evaluator answers and signs its checklist first.",
                    evaluation=evaluation.name,
                    record=record,
                )
            )
        if evaluation.recommendation not in ALLOWED_BY[action]:
            labels = dict(
                evaluation._fields["recommendation"]._description_selection(self.env)
            )
            return UserError(
                self.env._(
                    "The evaluation %(evaluation)s of %(record)s scored %(score).1f "
                    "%% (qualify from %(qualified).0f %%, conditionally from "
                    "%(conditional).0f %%%(critical)s): it recommends "
                    "%(recommendation)s, which does not allow this approval.",
                    evaluation=evaluation.name,
                    record=record,
                    score=evaluation.score_pct,
                    qualified=evaluation.qualified_threshold,
                    conditional=evaluation.conditional_threshold,
                    critical=self.env._(", a critical criterion failed")
                    if evaluation.critical_failed
                    else "",
                    recommendation=labels.get(evaluation.recommendation, ""),
                )
            )
        if evaluation.completed_by_id == user:
            return UserError(
                self.env._(
                    "%(user)s completed the evaluation %(evaluation)s, so may not "
                    "approve on it as well: segregation of duties.",
                    user=user.name,
                    evaluation=evaluation.name,
                )
            )
        return self._meddev_missing_documents_refusal()

    def _meddev_missing_documents(self):
        """The document types the scope requires that the supplier has not on
        file valid (not expired, active) and covering the scope."""
        self.ensure_one()
        # the scope's requirements and the supplier's certificates are checked
        # whatever the approver may read of them
        qualification = self.sudo()
        on_file = set(
            qualification.certificate_ids.filtered(
                lambda c: c.state != "expired"
            ).mapped("cert_type")
        )
        return qualification.scope_id.required_document_ids.filtered(
            lambda d: d.cert_type not in on_file
        )

    def _meddev_missing_documents_refusal(self):
        missing = self._meddev_missing_documents()
        if not missing:
            return None
        return UserError(
            self.env._(
                "%(record)s cannot be approved: the scope %(scope)s requires "
                "documents that are not on file, valid and covering it: "
                "%(missing)s. Record them on the supplier's certificates first.",
                record=self.sudo().display_name,
                scope=self.sudo().scope_id.display_name,
                missing=", ".join(missing.mapped("display_name")),
            )
        )

    @api.model
    def _meddev_awaiting_domain(self, action, permission):
        """A decision waits for a completed evaluation, by someone else, under
        the step its recommendation allows: approval, conditional approval or
        disqualification (suspension is done on demand)."""
        if action not in AWAITED_BY:
            return None
        states = permission._states()
        return [
            *([("state", "in", states)] if states else []),
            ("current_evaluation_id.state", "=", "completed"),
            ("current_evaluation_id.recommendation", "=", AWAITED_BY[action]),
            ("current_evaluation_id.completed_by_id", "!=", self.env.uid),
        ]

    def action_view_evaluations(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_supplier.meddev_supplier_evaluation_action"
        )
        action["domain"] = [("qualification_id", "=", self.id)]
        action["context"] = {"create": False}
        return action

    def action_open_current_evaluation(self):
        self.ensure_one()
        return {
            "type": "ir.actions.act_window",
            "res_model": "meddev.supplier.evaluation",
            "res_id": self.current_evaluation_id.id,
            "view_mode": "form",
        }

    # ------------------------------------------------------------------
    # enforcement (purchase orders, receipts)
    # ------------------------------------------------------------------
    @api.model
    def _meddev_check_qualified(self, lines, documents=None):
        """Refuse when a supplier is not approved for a product's scope.

        ``lines``: (document name, supplier's commercial partner, product) of
        the order lines or moves to check, of any number of documents: checked
        with one search. Products without a required scope are not controlled.
        Returns True, or, when a holder of the override role gave the reason
        (context ``meddev_supplier_override_reason``), the text of what is
        overridden, for the caller to record once the documents went ahead.
        """
        required = []
        for document, partner, product in lines:
            scope = product.product_tmpl_id._meddev_required_scope()
            if scope:
                required.append((document, partner, product, scope))
        if not required:
            return True
        partners = self.env["res.partner"].union(*(item[1] for item in required))
        scopes = self.env["meddev.supplier.scope"].union(
            *(item[3] for item in required)
        )
        # the approved supplier list is enforced whatever the buyer or
        # warehouse user may read
        qualifications = self.sudo().search(
            [
                ("meddev_supplier_id", "in", partners.ids),
                ("scope_id", "in", scopes.ids),
            ]
        )
        found = {(q.meddev_supplier_id, q.scope_id): q for q in qualifications}
        states = dict(self._fields["state"]._description_selection(self.env))
        problems = {}
        for document, partner, product, scope in required:
            qualification = found.get((partner, scope))
            if qualification and qualification.state in APPROVED_STATES:
                continue
            problems.setdefault(document, {})
            problems[document][
                self._meddev_unqualified_line(
                    partner, product, scope, qualification, states
                )
            ] = True
        if not problems:
            return True
        text = "\n".join(
            self.env._(
                "%(document)s is refused: supplier not qualified (ISO "
                "13485 §7.4).\n%(problems)s",
                document=document,
                problems="\n".join(lines_),
            )
            for document, lines_ in problems.items()
        )
        may_override = self.env.user.has_group(OVERRIDE_GROUP)
        reason = (self.env.context.get("meddev_supplier_override_reason") or "").strip()
        if not (may_override and reason and documents):
            if may_override:
                text += "\n" + self.env._(
                    "You hold the Supplier Block Override role: use the "
                    "Override button and give the reason."
                )
            raise UserError(text)
        # the override is allowed: the caller records it on the documents
        # that went ahead (_meddev_record_override)
        return text

    @api.model
    def _meddev_unqualified_line(self, partner, product, scope, qualification, states):
        """What is missing for ``partner`` to supply ``product``."""
        if not partner:
            return self.env._(
                "- No supplier is named for %(product)s, which requires a "
                "qualification for %(scope)s: receive it on its purchase order, "
                "or name the supplier in Receive From.",
                product=product.display_name,
                scope=scope.display_name,
            )
        if qualification:
            missing = self.env._(
                "its qualification is %(state)s",
                state=states[qualification.state],
            )
        else:
            missing = self.env._("it has no qualification for this scope")
        return self.env._(
            "- %(supplier)s is not an approved supplier of %(product)s, "
            "which requires a qualification for %(scope)s: %(missing)s "
            "(Qualified or Conditional needed).",
            supplier=partner.display_name,
            product=product.display_name,
            scope=scope.display_name,
            missing=missing,
        )

    @api.model
    def _meddev_record_override(self, documents, refused):
        """An audit entry (Control Overridden) on each document that went
        ahead past the approved supplier list, with the reason and what was
        refused."""
        # once per document and refusal, however many writes let it through
        recorded = self.env.cr.precommit.data.setdefault(OVERRIDDEN_KEY, set())
        documents = documents.filtered(
            lambda document: (document._name, document.id, refused) not in recorded
        )
        if not documents:
            return
        recorded.update((doc._name, doc.id, refused) for doc in documents)
        reason = (self.env.context.get("meddev_supplier_override_reason") or "").strip()
        Entry = self.env["meddev.audit.entry"]
        Entry._insert_rows(
            [
                Entry._row_for(
                    document,
                    "override",
                    [],
                    self.env._(
                        "Approved supplier list overridden: %(reason)s\n%(refused)s",
                        reason=reason,
                        refused=refused,
                    ),
                )
                for document in documents
            ]
        )
