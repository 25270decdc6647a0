from dateutil.relativedelta import relativedelta

from odoo import api, fields, models
from odoo.exceptions import UserError

# re-evaluation interval per risk class, in months (system parameters
# meddev_supplier.reeval_months_a/b/c override them)
DEFAULT_REEVAL_MONTHS = {"A": 12, "B": 24, "C": 36}
# a supplier in these states may deliver the products of the scope
APPROVED_STATES = ("qualified", "conditional")
# the qualification's subject: fixed once the evaluation started
SUBJECT_FIELDS = ("partner_id", "scope_id")
# steps whose signature comment is the reason (and must be given)
# the role (given temporarily) that may override the block, with a reason
OVERRIDE_GROUP = "meddev_supplier.group_meddev_supplier_override"
COMMENTED_ACTIONS = ("approve_conditional", "suspend", "disqualify")


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
    """

    _name = "meddev.supplier.qualification"
    _description = "Supplier Qualification"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "meddev.signature.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "partner_id, scope_id, id"
    _audit_controlled_states = ("qualified", "conditional", "suspended", "disqualified")
    _signature_exclude_fields = ("evaluation_type", "notes")
    _meddev_actions = {
        "start_evaluation": "Start Evaluation",
        "approve": "Approve",
        "approve_conditional": "Approve Conditionally",
        "suspend": "Suspend",
        "disqualify": "Disqualify",
    }

    name = fields.Char(
        string="Reference", compute="_compute_name", store=True, readonly=True
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
        [
            ("initial", "Initial"),
            ("periodic", "Periodic Re-evaluation"),
            ("for_cause", "For Cause"),
        ],
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
        help="Last evaluation plus the re-evaluation interval of the risk class.",
    )
    notes = fields.Text()
    certificate_ids = fields.Many2many(
        "meddev.supplier.certificate",
        string="Certificates",
        compute="_compute_certificates",
        help="The supplier's certificates covering this scope (or every scope).",
    )
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

    @api.depends("meddev_supplier_id", "scope_id")
    def _compute_certificates(self):
        certificates = self.env["meddev.supplier.certificate"].search(
            [("meddev_supplier_id", "in", self.meddev_supplier_id.ids)]
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

    def action_start_evaluation(self):
        """Start the initial evaluation of a candidate, or a re-evaluation
        (periodic, or for cause with the context key ``meddev_evaluation_type``)
        of an approved or suspended supplier."""
        self._meddev_check_action("start_evaluation")
        for_cause = self.env.context.get("meddev_evaluation_type") == "for_cause"
        types = dict(self._fields["evaluation_type"]._description_selection(self.env))
        candidates = self.filtered(lambda q: q.state == "candidate")
        groups = [
            (candidates, "initial"),
            (self - candidates, "for_cause" if for_cause else "periodic"),
        ]
        for records, evaluation_type in groups:
            if not records:
                continue
            reason = self.env.context.get("audit_reason") or self.env._(
                "Evaluation started: %(type)s", type=types[evaluation_type]
            )
            records.with_context(audit_reason=reason).write(
                {"state": "under_evaluation", "evaluation_type": evaluation_type}
            )
        return True

    def action_approve(self):
        self._meddev_check_action("approve")
        self.write(
            {
                "state": "qualified",
                "last_evaluation_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_approve_conditional(self):
        self._require_reason(self.env._("Conditional approval"))
        self._meddev_check_action("approve_conditional")
        self.write(
            {
                "state": "conditional",
                "last_evaluation_date": fields.Date.context_today(self),
            }
        )
        return True

    def action_suspend(self):
        self._require_reason(self.env._("Suspension"))
        self._meddev_check_action("suspend")
        self.write({"state": "suspended"})
        return True

    def action_disqualify(self):
        self._require_reason(self.env._("Disqualification"))
        self._meddev_check_action("disqualify")
        self.write({"state": "disqualified"})
        return True

    # ------------------------------------------------------------------
    # enforcement (purchase orders, receipts)
    # ------------------------------------------------------------------
    @api.model
    def _meddev_check_qualified(self, lines, documents=None):
        """Refuse when a supplier is not approved for a product's scope.

        ``lines``: (document name, supplier's commercial partner, product) of
        the order lines or moves to check, of any number of documents: checked
        with one search. Products without a required scope are not controlled.
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
            if qualification:
                missing = self.env._(
                    "its qualification is %(state)s",
                    state=states[qualification.state],
                )
            else:
                missing = self.env._("it has no qualification for this scope")
            problems.setdefault(document, {})
            problems[document][
                self.env._(
                    "- %(supplier)s is not an approved supplier of %(product)s, "
                    "which requires a qualification for %(scope)s: %(missing)s "
                    "(Qualified or Conditional needed).",
                    supplier=partner.display_name,
                    product=product.display_name,
                    scope=scope.display_name,
                    missing=missing,
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
        # the override is allowed: each document gets an audit entry with
        # the reason and what was overridden
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
                        refused=text,
                    ),
                )
                for document in documents
            ]
        )
        return True
