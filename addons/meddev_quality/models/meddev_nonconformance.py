from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.models.meddev_stage_permission_mixin import (
    SERVER_WRITE_KEY,
)

from .meddev_nonconformance_grade_rule import GRADES, OCCURRENCES, SEVERITIES

NC_STATES = [
    ("new", "New"),
    ("open", "Open"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
# where an exception comes from; the server sets all but the first two
SOURCES = [
    ("manual", "Recorded by Hand"),
    ("complaint", "Customer Complaint"),
    ("inspection", "Rejected Inspection"),
    ("process_record", "Process Record out of Limits"),
    ("portal", "Supplier's Report"),
    ("job", "Rejected Outsourced Lot"),
]
USER_SOURCES = ("manual", "complaint")
# root-cause categories (6M / Ishikawa)
CAUSE_CATEGORIES = [
    ("man", "Man (People)"),
    ("machine", "Machine"),
    ("material", "Material"),
    ("method", "Method"),
    ("measurement", "Measurement"),
    ("environment", "Environment"),
]
# written after closure: the chatter, and the link to a CAPA opened later
FROZEN_WRITABLE = ("capa_id",)
FROZEN_PREFIXES = ("message_", "activity_")
# the CAPA decision is the QA engineers'
CAPA_DECISION_FIELDS = ("capa_required", "capa_rationale")
QA_ENGINEER_GROUP = "meddev_base.group_meddev_qa_engineer"
# the grade changes after confirmation only by the signed regrade step
GRADING_FIELDS = ("severity", "occurrence")
SERVER_FIELDS = (
    "source",
    "grade_override",
    "grade_override_reason",
    "confirmed_by_id",
    "confirmed_on",
    "closed_by_id",
    "closed_on",
    "cancel_reason",
)


class MeddevNonconformance(models.Model):
    """An exception or nonconformance (异常 / 不合格, ISO 13485 §8.3): what
    happened, who found it, when, where and how, on which product, lots and
    quantities, of which supplier, job or inspection, with its evidence.

    Graded critical / major / minor from the severity × occurrence matrix
    (分级; the grade shows its reasoning; after confirmation it changes only
    by the QA role's signed regrade with a reason), assigned to an owner and
    team by type and grade. Its lots are held at once (containment) and leave
    the hold only through signed MRB dispositions of their quantities.

    New (anyone of the QMS records it; the server opens those of a rejected
    inspection, a deviating process record or a supplier's report) → open
    (confirmed by a QA engineer: the type's required facts present) → closed
    (the QA manager's signature: holds dispositioned, CAPA decided).
    Cancelled by the QA manager's signed reason; never deleted."""

    _name = "meddev.nonconformance"
    _description = "Exception / Nonconformance"
    _inherit = [
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _audit_controlled_states = ("closed", "cancel")
    _meddev_actions = {
        "confirm": "Confirm",
        "regrade": "Change the Grade",
        "close": "Close",
        "cancel": "Cancel",
    }
    _meddev_server_fields = SERVER_FIELDS
    _signature_exclude_fields = ("message_ids", "activity_ids")

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        NC_STATES,
        string="Status",
        default="new",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    type_id = fields.Many2one(
        "meddev.nonconformance.type",
        required=True,
        index=True,
        ondelete="restrict",
        tracking=True,
    )
    source = fields.Selection(SOURCES, default="manual", required=True, index=True)
    description = fields.Text(string="What Happened", required=True)
    occurred_on = fields.Datetime(
        string="When", required=True, default=fields.Datetime.now
    )
    detected_by_id = fields.Many2one(
        "res.users",
        string="Found By",
        required=True,
        default=lambda self: self.env.user,
    )
    location = fields.Char(string="Where", help="Site, line, process step, vehicle.")
    how_detected = fields.Text(string="How Found")
    product_id = fields.Many2one("product.product", index=True, check_company=True)
    lot_ids = fields.Many2many(
        "stock.lot",
        string="Lots",
        domain="[('product_id', '=', product_id)]",
        check_company=True,
    )
    quantity = fields.Float(
        string="Quantity Affected", digits="Product Unit of Measure"
    )
    uom_id = fields.Many2one(
        "uom.uom", related="product_id.uom_id", string="Unit", readonly=True
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        index=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
    )
    customer_id = fields.Many2one("res.partner")
    job_id = fields.Many2one(
        "meddev.outsourcing.job",
        string="Outsourcing Job",
        index=True,
        check_company=True,
    )
    inspection_id = fields.Many2one("qc.inspection", index=True, check_company=True)
    evidence_ids = fields.Many2many(
        "ir.attachment",
        "meddev_nonconformance_evidence_rel",
        "nonconformance_id",
        "attachment_id",
    )
    severity = fields.Selection(SEVERITIES, string="Severity of Harm", tracking=True)
    occurrence = fields.Selection(OCCURRENCES, tracking=True)
    grade_matrix = fields.Selection(
        GRADES,
        string="Grade from the Matrix",
        compute="_compute_grade",
        store=True,
        precompute=True,
    )
    grade_override = fields.Selection(
        GRADES, string="Grade Set by QA", readonly=True, tracking=True
    )
    grade_override_reason = fields.Text(string="Why the Grade Was Set", readonly=True)
    grade = fields.Selection(
        GRADES,
        compute="_compute_grade",
        store=True,
        precompute=True,
        index=True,
        tracking=True,
    )
    grade_reason = fields.Text(
        string="Grading", compute="_compute_grade", store=True, precompute=True
    )
    proposed_severity = fields.Selection(SEVERITIES, string="New Severity")
    proposed_occurrence = fields.Selection(OCCURRENCES, string="New Occurrence")
    proposed_grade = fields.Selection(GRADES, string="New Grade")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        index=True,
        tracking=True,
        domain="[('share', '=', False)]",
    )
    team_user_ids = fields.Many2many(
        "res.users",
        "meddev_nonconformance_team_rel",
        "nonconformance_id",
        "user_id",
        string="Team",
        domain="[('share', '=', False)]",
    )
    process_id = fields.Many2one(
        "meddev.supplier.scope",
        string="Process Step",
        related="job_id.scope_id",
        store=True,
        precompute=True,
        index=True,
    )
    parameter = fields.Char(
        string="Deviating Parameter",
        help="The parameter or characteristic out of its limits "
        "(e.g. EO concentration, coating thickness).",
    )
    root_cause_category = fields.Selection(
        CAUSE_CATEGORIES,
        string="Root-Cause Category",
        tracking=True,
        help="Where the investigation found the cause (6M); the root-cause "
        "hints of later exceptions are ranked from it.",
    )
    root_cause = fields.Text()
    capa_required = fields.Selection(
        [("yes", "Yes"), ("no", "No")], string="CAPA Required?", tracking=True
    )
    capa_rationale = fields.Text(string="CAPA Decision Rationale")
    confirmed_by_id = fields.Many2one("res.users", readonly=True)
    confirmed_on = fields.Datetime(readonly=True)
    closed_by_id = fields.Many2one("res.users", readonly=True)
    closed_on = fields.Datetime(readonly=True)
    cancel_reason = fields.Text(string="Cancellation Reason", readonly=True)
    close_problems = fields.Text(
        string="Not Yet Closable",
        compute="_compute_close_problems",
        help="What the exception still needs before it can be closed.",
    )

    # ------------------------------------------------------------------
    # grading
    # ------------------------------------------------------------------
    @api.depends("severity", "occurrence", "grade_override", "company_id")
    def _compute_grade(self):
        rules = self.env["meddev.nonconformance.grade.rule"]
        severities, occurrences = dict(SEVERITIES), dict(OCCURRENCES)
        grades = dict(self._fields["grade"]._description_selection(self.env))
        for record in self:
            cell = rules._meddev_grade(
                record.severity, record.occurrence, record.company_id
            )
            record.grade_matrix = cell.grade
            record.grade = record.grade_override or cell.grade
            why = []
            if cell:
                why.append(
                    self.env._(
                        "Severity %(severity)s × occurrence %(occurrence)s: "
                        "%(grade)s by the grading matrix.",
                        severity=severities[record.severity],
                        occurrence=occurrences[record.occurrence],
                        grade=grades[cell.grade],
                    )
                )
            if record.grade_override:
                why.append(
                    self.env._(
                        "Set to %(grade)s by QA: %(reason)s",
                        grade=grades[record.grade_override],
                        reason=record.grade_override_reason or "",
                    )
                )
            record.grade_reason = "\n".join(why) or False

    # ------------------------------------------------------------------
    # creation
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_check_create_state(vals_list)
        if not self.env.su:
            self._meddev_check_user_create(vals_list)
        # the server numbers and assigns the exception, whoever records it
        sequence = self.env["ir.sequence"].sudo()
        types = self.env["meddev.nonconformance.type"]
        for vals in vals_list:
            if vals.get("name", "/") == "/":
                vals["name"] = sequence.next_by_code("meddev.nonconformance") or "/"
            type_ = types.browse(vals.get("type_id"))
            vals.setdefault("severity", type_.default_severity)
            vals.setdefault("occurrence", type_.default_occurrence)
        records = super().create(vals_list)
        records._meddev_assign()
        records._meddev_contain()
        return records

    def _meddev_check_user_create(self, vals_list):
        for vals in vals_list:
            self._meddev_check_capa_decision(vals)
            if vals.get("source", "manual") not in USER_SOURCES:
                raise UserError(
                    self.env._(
                        "Exceptions from inspections, process records and "
                        "suppliers' reports are opened by the server, not "
                        "entered."
                    )
                )

    def _meddev_assign(self):
        """Owner and team from the assignment rules, where none is given."""
        unassigned = self.filtered(lambda record: not record.user_id)
        for company in unassigned.company_id:
            rules = self.env["meddev.nonconformance.assignment"]._meddev_rules_for(
                company
            )
            for record in unassigned.filtered(lambda r, c=company: r.company_id == c):
                rule = rules._meddev_match(record.type_id, record.grade)
                if rule:
                    # the rule's owner is set by the server, as configured
                    record.sudo().write(
                        {
                            "user_id": rule.user_id.id,
                            "team_user_ids": [
                                fields.Command.set(rule.team_user_ids.ids)
                            ],
                        }
                    )

    def _meddev_contain(self):
        """Hook: put the exception's lots on hold (the hold model)."""
        return None

    # ------------------------------------------------------------------
    # what may be written
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su:
            self._meddev_check_frozen(vals)
            self._meddev_check_capa_decision(vals)
        if not self.env.su and any(name in vals for name in GRADING_FIELDS):
            # in the cursor's cache, never in the context an RPC caller sets
            writing = self.env.cr.cache.get(SERVER_WRITE_KEY, set())
            graded = self.filtered(
                lambda record: record.state != "new"
                and (record._name, record.id) not in writing
            )
            if graded:
                raise UserError(
                    self.env._(
                        "The grade of %(records)s is confirmed: it changes only "
                        "by QA's signed regrade, with a reason.",
                        records=", ".join(graded.mapped("name")),
                    )
                )
        return super().write(vals)

    def _meddev_check_frozen(self, vals):
        """A closed or cancelled exception is a finished record: only its
        chatter and a CAPA opened later are added to it."""
        # (a change of state is the stage guard's to refuse, with its reason)
        changed = [
            name
            for name in vals
            if name not in (*FROZEN_WRITABLE, "state")
            and not name.startswith(FROZEN_PREFIXES)
        ]
        writing = self.env.cr.cache.get(SERVER_WRITE_KEY, set())
        finished = self.filtered(
            lambda record: record.state in ("closed", "cancel")
            and (record._name, record.id) not in writing
        )
        if changed and finished:
            raise UserError(
                self.env._(
                    "%(records)s is closed or cancelled: it is kept as it was.",
                    records=", ".join(finished.mapped("name")),
                )
            )

    def _meddev_check_capa_decision(self, vals):
        if any(name in vals for name in CAPA_DECISION_FIELDS) and not (
            self.env.user.has_group(QA_ENGINEER_GROUP)
        ):
            raise UserError(
                self.env._("Whether a CAPA is required is decided by a QA engineer.")
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.is_superuser():
            raise UserError(
                self.env._(
                    "An exception is a quality record: it is cancelled with a "
                    "signed reason, never deleted."
                )
            )

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def _meddev_confirm_problems(self):
        self.ensure_one()
        problems = []
        missing = self.type_id._missing_labels(self)
        if missing:
            problems.append(
                self.env._(
                    "the type %(type)s requires: %(fields)s",
                    type=self.type_id.name,
                    fields=", ".join(missing),
                )
            )
        if not self.grade:
            problems.append(self.env._("no grade: give the severity and occurrence"))
        return problems

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

    def action_confirm(self):
        """A QA engineer confirms the facts, the grade and the owner."""
        self._meddev_raise_problems(self.env._("confirmed"), "_meddev_confirm_problems")
        self._meddev_check_action("confirm")
        # whoever confirms an exception no rule assigned owns it
        self.filtered(lambda record: not record.user_id).user_id = self.env.user
        self._meddev_server_write(
            {
                "state": "open",
                "confirmed_by_id": self.env.uid,
                "confirmed_on": fields.Datetime.now(),
            }
        )
        return True

    def action_regrade(self):
        """QA's signed change of the grade, the signature's comment its reason."""
        reason = self._require_reason(self.env._("Change the Grade"))
        for record in self:
            if not (
                record.proposed_severity
                or record.proposed_occurrence
                or record.proposed_grade
            ):
                raise UserError(
                    self.env._(
                        "%(record)s: give the new severity, occurrence or grade "
                        "first.",
                        record=record.name,
                    )
                )
        self._meddev_check_action("regrade")
        for record in self:
            record._meddev_apply_regrade(reason)
        return True

    def _meddev_apply_regrade(self, reason):
        self.ensure_one()
        vals = {
            "severity": self.proposed_severity or self.severity,
            "occurrence": self.proposed_occurrence or self.occurrence,
            "proposed_severity": False,
            "proposed_occurrence": False,
            "proposed_grade": False,
        }
        if self.proposed_grade or self.grade_override:
            vals["grade_override"] = self.proposed_grade or self.grade_override
            vals["grade_override_reason"] = reason
        self._meddev_server_write(vals)

    @api.depends("state", "capa_required", "capa_rationale")
    def _compute_close_problems(self):
        for record in self:
            problems = record._meddev_close_problems() if record.state == "open" else []
            record.close_problems = "\n".join(problems) or False

    def _meddev_close_problems(self):
        """What the exception still needs before its closure; modules add
        theirs (the holds, the CAPA)."""
        self.ensure_one()
        problems = []
        if not self.capa_required:
            problems.append(self.env._("decide whether a CAPA is required"))
        elif not (self.capa_rationale or "").strip():
            problems.append(self.env._("give the rationale of the CAPA decision"))
        return problems

    def action_close(self):
        """The QA manager's signature closes the exception."""
        self._meddev_raise_problems(self.env._("closed"), "_meddev_close_problems")
        self._meddev_check_action("close")
        self._meddev_server_write(
            {
                "state": "closed",
                "closed_by_id": self.env.uid,
                "closed_on": fields.Datetime.now(),
            }
        )
        return True

    def action_cancel(self):
        reason = self._require_reason(self.env._("Cancel"))
        self._meddev_check_action("cancel")
        self._meddev_server_write({"state": "cancel", "cancel_reason": reason})
        self._meddev_on_cancel()
        return True

    def _meddev_on_cancel(self):
        """Hook: a cancelled exception (recorded in error) releases its holds."""
        return None

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
