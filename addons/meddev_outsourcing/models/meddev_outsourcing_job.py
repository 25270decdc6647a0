from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

from .tier_review import tier_operation

# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

JOB_STATES = [
    ("draft", "Draft"),
    ("sent", "Released to Supplier"),
    ("acknowledged", "Acknowledged"),
    ("in_process", "In Process"),
    ("returned", "Returned"),
    ("released", "Released"),
    ("rejected", "Rejected"),
    ("closed", "Closed"),
    ("cancel", "Cancelled"),
]
# the job is open at the supplier: goods coming back return it
OPEN_STATES = ("draft", "sent", "acknowledged", "in_process")
# the returned goods are held in quarantine in these states
HELD_STATES = ("draft", "sent", "acknowledged", "in_process", "returned", "rejected")
# the supplier's qualification states that allow a release to it
APPROVED_QUALIFICATION_STATES = ("qualified", "conditional")
# what the job is about: fixed once released to the supplier
SUBJECT_FIELDS = ("partner_id", "scope_id", "product_id", "production_id", "spec_id")
# written only by the server (its actions and Odoo's subcontracting), never
# by a user's write: dates and figures of the steps, decisions, what is
# computed from the process record, and what follows the subcontract order
SERVER_FIELDS = frozenset(
    {
        "date_sent",
        "date_acknowledged",
        "date_started",
        "date_returned",
        "date_released",
        "date_closed",
        "qty_returned",
        "cancel_reason",
        "first_article_reason",
        "first_article_state",
        "record_submitted_by_id",
        "record_submitted_on",
        "record_complete",
        "deviating",
        "deviation_summary",
        "cycle_days",
        "on_time",
        "on_time_rate",
        "risk_class",
        "lot_id",
        "product_qty",
        "product_uom_id",
        "receipt_move_id",
        "picking_id",
        "purchase_line_id",
        "purchase_id",
        "meddev_supplier_id",
    }
)
FIRST_ARTICLE_REASONS = [
    ("new_spec_version", "New specification version"),
    ("new_supplier", "New supplier for the process"),
    ("change_notice", "Supplier change notice"),
    ("manual", "Decided by QA"),
]


class MeddevOutsourcingJob(models.Model):
    """An outsourcing job (委外加工单): one outsourced process step (EO
    sterilization, CNC machining, coating) of one subcontract manufacturing
    order, i.e. one lot (ISO 13485 §4.1.5, §7.4, §7.5.6).

    Created with the subcontract MO Odoo makes when a subcontracting purchase
    order is confirmed (or by hand for an existing MO), and kept in step with
    it: quantities and the returned lot follow the MO, backorders get their
    own job, a cancelled MO cancels its job.

    Draft → released to supplier (the planner's signature, after the approval
    tiers where the process is of risk class A; supplier qualified for the
    process, specification effective, material available) → acknowledged by
    the supplier → in process → returned (the receipt of the goods, into
    quarantine) → released (a QA manager's signature, not the planner's who
    released it to the supplier, with the evidence complete) or rejected →
    closed. Cancelled with a signed reason. The returned goods leave
    quarantine only once the job is released.
    """

    _name = "meddev.outsourcing.job"
    _description = "Outsourcing Job"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "tier.validation",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "id desc"
    _check_company_auto = True
    _meddev_sequence_code = "meddev.outsourcing.job"
    _audit_controlled_states = ("released", "rejected", "closed")
    # server-kept dates and figures, not a signer's decision
    _signature_exclude_fields = (
        "date_acknowledged",
        "date_started",
        "date_returned",
        "date_closed",
        "qty_returned",
        "record_submitted_by_id",
        "record_submitted_on",
        # the supplier's evidence, added after the release to the supplier by
        # design: the process record is frozen by its own signed submission,
        # the documents are kept as uploaded (never changed nor deleted) and
        # both are in the audit trail
        "record_ids",
        "document_ids",
        # kept after the first article's decision, as the lot's evidence
        "reference_sample_ids",
    )
    _meddev_actions = {
        "release_to_supplier": "Release to Supplier",
        "acknowledge": "Acknowledge",
        "start": "Start Processing",
        "submit_record": "Submit Process Record",
        "accept_first_article": "Accept First Article",
        "reject_first_article": "Reject First Article",
        "release": "Release the Lot",
        "reject": "Reject the Lot",
        "close": "Close",
        "cancel": "Cancel",
    }
    # what the supplier sees on the portal
    _meddev_portal_fields = (
        "name",
        "partner_id",
        "company_id",
        "scope_id",
        "product_id",
        "product_qty",
        "product_uom_id",
        "lot_id",
        "lot_sent_ids",
        "qty_returned",
        "spec_id",
        "state",
        "date_planned_return",
        "date_sent",
        "date_acknowledged",
        "date_started",
        "date_returned",
        "record_ids",
        "record_complete",
        "record_submitted_on",
        "deviating",
        "document_ids",
        "first_article",
        "purchase_id",
    )
    _meddev_portal_write_fields = ()
    _meddev_server_fields = tuple(sorted(SERVER_FIELDS))
    # approval tiers (OCA base_tier_validation) hold the release to the supplier
    _state_from = ["draft"]
    _state_to = ["sent"]
    _cancel_state = "cancel"
    _tier_validation_manual_config = False

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company, index=True
    )
    state = fields.Selection(
        JOB_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
        copy=False,
    )
    scope_id = fields.Many2one(
        "meddev.supplier.scope",
        string="Process",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('scope_type', '=', 'process')]",
        tracking=True,
    )
    qualification_id = fields.Many2one(
        "meddev.supplier.qualification",
        compute="_compute_qualification",
        string="Supplier Qualification",
    )
    risk_class = fields.Selection(
        [("A", "A - Critical"), ("B", "B - Major"), ("C", "C - Minor")],
        compute="_compute_risk_class",
        store=True,
        precompute=True,
        help="The supplier's risk class for the process: class A releases to "
        "the supplier go through the approval tiers.",
    )
    production_id = fields.Many2one(
        "mrp.production",
        string="Subcontract Order",
        index=True,
        copy=False,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    product_id = fields.Many2one(
        "product.product",
        required=True,
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
    )
    product_qty = fields.Float(
        related="production_id.product_qty",
        store=True,
        precompute=True,
        string="Quantity",
        digits="Product Unit of Measure",
    )
    product_uom_id = fields.Many2one(
        related="production_id.product_uom_id", store=True, precompute=True
    )
    lot_id = fields.Many2one(
        related="production_id.lot_producing_id",
        store=True,
        precompute=True,
        index=True,
        string="Lot Returned",
    )
    lot_sent_ids = fields.Many2many(
        "stock.lot", compute="_compute_lot_sent_ids", string="Lots Sent"
    )
    qty_returned = fields.Float(
        readonly=True, copy=False, digits="Product Unit of Measure"
    )
    receipt_move_id = fields.Many2one(
        "stock.move",
        compute="_compute_receipt_move",
        store=True,
        precompute=True,
        index="btree_not_null",
    )
    picking_id = fields.Many2one(
        related="receipt_move_id.picking_id",
        store=True,
        precompute=True,
        string="Receipt",
    )
    purchase_line_id = fields.Many2one(
        related="receipt_move_id.purchase_line_id", store=True, precompute=True
    )
    purchase_id = fields.Many2one(
        related="purchase_line_id.order_id",
        store=True,
        precompute=True,
        index="btree_not_null",
        string="Purchase Order",
    )
    resupply_picking_ids = fields.Many2many(
        "stock.picking", compute="_compute_resupply", string="Resupply Transfers"
    )
    quarantine_location_id = fields.Many2one(
        related="receipt_move_id.location_dest_id", string="Received Into"
    )
    spec_id = fields.Many2one(
        "meddev.process.spec",
        string="Process Specification",
        index=True,
        check_company=True,
        ondelete="restrict",
        tracking=True,
        domain="[('product_tmpl_id', '=', product_tmpl_id), "
        "('scope_id', '=', scope_id), ('state', '=', 'effective')]",
        help="The version in force when the job is released to the supplier: "
        "the job keeps it.",
    )
    product_tmpl_id = fields.Many2one(related="product_id.product_tmpl_id")
    date_planned_return = fields.Datetime(string="Planned Return", tracking=True)
    date_sent = fields.Datetime(
        string="Released to Supplier on", readonly=True, copy=False
    )
    date_acknowledged = fields.Datetime(
        string="Acknowledged on", readonly=True, copy=False
    )
    date_started = fields.Datetime(string="Started on", readonly=True, copy=False)
    date_returned = fields.Datetime(string="Returned on", readonly=True, copy=False)
    date_released = fields.Datetime(string="Released on", readonly=True, copy=False)
    date_closed = fields.Datetime(string="Closed on", readonly=True, copy=False)
    cycle_days = fields.Float(
        string="Cycle Time (days)",
        compute="_compute_cycle",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(16, 1),
    )
    on_time = fields.Boolean(
        string="Returned on Time", compute="_compute_cycle", store=True, precompute=True
    )
    on_time_rate = fields.Float(
        string="On-Time Return (%)",
        compute="_compute_cycle",
        store=True,
        precompute=True,
        aggregator="avg",
        digits=(16, 1),
    )
    cancel_reason = fields.Text(readonly=True, copy=False)
    notes = fields.Html()
    # first article (首件)
    first_article = fields.Boolean(
        copy=False,
        tracking=True,
        help="The first job of a new specification version, of a new supplier "
        "for the process, or after a supplier change: its lot is released only "
        "after a signed first-article decision.",
    )
    first_article_reason = fields.Selection(
        FIRST_ARTICLE_REASONS, copy=False, tracking=True
    )
    first_article_state = fields.Selection(
        [("pending", "Pending"), ("accepted", "Accepted"), ("rejected", "Rejected")],
        string="First Article Decision",
        readonly=True,
        copy=False,
        tracking=True,
    )
    reference_sample_ids = fields.One2many(
        "meddev.reference.sample", "job_id", string="Reference Samples"
    )
    # process record
    record_ids = fields.One2many(
        "meddev.outsourcing.process.record", "job_id", string="Process Record"
    )
    record_complete = fields.Boolean(
        compute="_compute_record_state",
        store=True,
        precompute=True,
        string="Process Record Complete",
    )
    deviating = fields.Boolean(
        compute="_compute_record_state",
        store=True,
        precompute=True,
        index=True,
        help="A value of the process record is outside the specification's " "limits.",
    )
    deviation_summary = fields.Text(
        compute="_compute_record_state", store=True, precompute=True
    )
    record_submitted_by_id = fields.Many2one(
        "res.users", string="Record Submitted by", readonly=True, copy=False
    )
    record_submitted_on = fields.Datetime(readonly=True, copy=False)
    document_ids = fields.One2many(
        "meddev.outsourcing.job.document", "job_id", string="Documents"
    )
    release_blockers = fields.Text(
        string="What the Release Still Needs",
        compute="_compute_release_blockers",
        help="What the release to the supplier (draft) or the lot's release "
        "(returned) still needs; the same reasons refuse it.",
    )
    previous_job_id = fields.Many2one(
        "meddev.outsourcing.job",
        compute="_compute_chain",
        string="Previous Step",
        help="The job that returned a lot this job's supplier processes.",
    )
    next_job_ids = fields.Many2many(
        "meddev.outsourcing.job", compute="_compute_chain", string="Next Steps"
    )

    _sql_constraints = [
        (
            "production_unique",
            "UNIQUE (production_id)",
            "A subcontract order has one outsourcing job.",
        ),
    ]

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends("partner_id", "scope_id")
    def _compute_qualification(self):
        # the approved supplier list is read whatever the reader may open
        found = (
            self.env["meddev.supplier.qualification"]
            .sudo()
            .search(
                [
                    ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                    ("scope_id", "in", self.scope_id.ids),
                ]
            )
        )
        by_key = {(q.meddev_supplier_id, q.scope_id): q for q in found}
        for job in self:
            qualification = by_key.get((job.meddev_supplier_id, job.scope_id))
            job.qualification_id = (
                qualification.with_env(self.env) if qualification else False
            )

    @api.depends("partner_id", "scope_id")
    def _compute_risk_class(self):
        # also recomputed for draft jobs when their qualification's class
        # changes (meddev_supplier_qualification.py)
        for job in self:
            # the approved supplier list decides, whatever the reader may open
            job.risk_class = job.qualification_id.sudo().risk_class

    @api.depends("production_id.move_finished_ids.move_dest_ids")
    def _compute_receipt_move(self):
        for job in self:
            dests = job.production_id.move_finished_ids.move_dest_ids
            job.receipt_move_id = dests.filtered("is_subcontract")[:1] or dests[:1]

    @api.depends(
        "production_id.move_raw_ids.move_line_ids.lot_id", "production_id.picking_ids"
    )
    def _compute_lot_sent_ids(self):
        for job in self:
            production = job.production_id
            job.lot_sent_ids = (
                production.move_raw_ids.move_line_ids.lot_id
                | production.picking_ids.move_line_ids.lot_id
            )

    @api.depends("production_id.picking_ids")
    def _compute_resupply(self):
        for job in self:
            job.resupply_picking_ids = job.production_id.picking_ids

    @api.depends("date_sent", "date_returned", "date_planned_return")
    def _compute_cycle(self):
        for job in self:
            if job.date_sent and job.date_returned:
                delta = job.date_returned - job.date_sent
                job.cycle_days = delta.total_seconds() / 86400
            else:
                job.cycle_days = 0.0
            job.on_time = bool(
                job.date_returned
                and (
                    not job.date_planned_return
                    or job.date_returned <= job.date_planned_return
                )
            )
            job.on_time_rate = 100.0 if job.on_time else 0.0

    @api.depends(
        "record_ids.in_limits",
        "record_ids.has_value",
        "spec_id.parameter_ids",
    )
    def _compute_record_state(self):
        for job in self:
            records = job.record_ids
            required = job.spec_id.parameter_ids.filtered("required")
            filled = records.filtered("has_value").parameter_id
            job.record_complete = bool(required) and required <= filled
            out = records.filtered(
                lambda record: record.has_value and not record.in_limits
            )
            job.deviating = bool(out)
            job.deviation_summary = "\n".join(
                f"{record.parameter_id.name}: {record.value_display} "
                f"({record.parameter_id.limits_display})"
                for record in out
            )

    @api.depends_context("uid", "lang")
    def _compute_release_blockers(self):
        for job in self:
            if job.state == "draft":
                problems = job._release_to_supplier_problems()
            elif job.state == "returned":
                problems = job._release_problems()
            else:
                problems = []
            job.release_blockers = "\n".join(f"- {problem}" for problem in problems)

    def _compute_chain(self):
        """The jobs before and after on the same lot (machining → coating →
        sterilization): two searches for all the jobs."""
        Job = self.env["meddev.outsourcing.job"]
        sent = self.lot_sent_ids
        previous = Job.search([("lot_id", "in", sent.ids)]) if sent else Job
        returned = self.lot_id
        following = Job
        if returned:
            following = Job.search(
                [
                    ("state", "!=", "cancel"),
                    "|",
                    (
                        "production_id.move_raw_ids.move_line_ids.lot_id",
                        "in",
                        returned.ids,
                    ),
                    (
                        "production_id.move_raw_ids.move_orig_ids.move_line_ids.lot_id",
                        "in",
                        returned.ids,
                    ),
                ]
            )
        for job in self:
            job.previous_job_id = previous.filtered(
                lambda other, job=job: other.lot_id in job.lot_sent_ids and other != job
            )[:1]
            job.next_job_ids = following.filtered(
                lambda other, job=job: job.lot_id
                and job.lot_id in other.lot_sent_ids
                and other != job
            )

    # ------------------------------------------------------------------
    # content control
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        jobs = super().create(vals_list)
        # the goods of the job are held, whoever made it: the receipt's
        # destination is set by the server
        jobs.sudo()._meddev_route_to_quarantine()
        return jobs

    @api.onchange("production_id")
    def _onchange_production_id(self):
        """A job made by hand for an existing subcontract order takes its
        supplier, product, process and specification from the order."""
        production = self.production_id
        if not production:
            return
        scope = production.bom_id.meddev_scope_id or self.scope_id
        values = self._meddev_prepare_from_production(production, scope)
        values.pop("production_id")
        self.update({key: value for key, value in values.items() if value})

    def _check_first_article_kept(self, vals):
        """A first article stays one once released to the supplier."""
        if "first_article" not in vals or vals["first_article"] or self.env.su:
            return
        marked = self.filtered(lambda job: job.first_article and job.state != "draft")
        if marked:
            raise UserError(
                self.env._(
                    "%(jobs)s is a first article: its lot is released only after "
                    "the signed first-article decision.",
                    jobs=", ".join(marked.mapped("name")),
                )
            )

    # OCA base_tier_validation's own ways to work the tiers (tier_review.py)
    def request_validation(self):
        return tier_operation(self, super().request_validation)

    def validate_tier(self):
        return tier_operation(self, super().validate_tier)

    def reject_tier(self):
        return tier_operation(self, super().reject_tier)

    def _rejected_tier(self, tiers=False):
        return tier_operation(self, super()._rejected_tier, tiers)

    def restart_validation(self):
        return tier_operation(self, super().restart_validation)

    def write(self, vals):
        self._check_first_article_kept(vals)
        self._check_subject_fixed(vals)
        # a state change may drop the reviews (base_tier_validation's write)
        result = tier_operation(self, super().write, vals)
        if vals.get("first_article"):
            pending = self.filtered(
                lambda job: job.state != "draft" and not job.first_article_state
            )
            pending._meddev_server_write(
                {"first_article_reason": "manual", "first_article_state": "pending"}
            )
        return result

    def _check_subject_fixed(self, vals):
        fixed = [name for name in SUBJECT_FIELDS if name in vals]
        if not fixed or self.env.su:
            return
        changed = self.filtered(
            lambda job: job.state != "draft"
            and any(job[name].id != vals[name] for name in fixed)
        )
        if changed:
            raise UserError(
                self.env._(
                    "The supplier, process, product, order and specification "
                    "of %(jobs)s are fixed once it is released to the supplier.",
                    jobs=", ".join(changed.mapped("display_name")),
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda job: job.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft outsourcing jobs can be deleted; cancel the others."
                )
            )

    # ------------------------------------------------------------------
    # refusals (one source of truth for the form and the server)
    # ------------------------------------------------------------------
    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        refusal = super()._meddev_refusal(action, permissions, logs, user, signature)
        if refusal:
            return refusal
        problems = []
        if action == "release_to_supplier":
            problems = self._release_to_supplier_problems()
        elif action == "release":
            problems = self._release_problems()
        elif action == "submit_record":
            problems = self._submit_record_problems()
        elif action in ("accept_first_article", "reject_first_article"):
            if not self.first_article or self.first_article_state != "pending":
                problems = [
                    self.env._("it is not a first article awaiting its decision")
                ]
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

    @api.model
    def _meddev_awaiting_domain(self, action, permission):
        domain = super()._meddev_awaiting_domain(action, permission)
        if domain is None:
            return None
        if action == "submit_record":
            return [*domain, ("record_submitted_on", "=", False)]
        if action in ("accept_first_article", "reject_first_article"):
            return [*domain, ("first_article_state", "=", "pending")]
        return domain

    def _add_tier_validation_reviews(self, node, params):
        # the approval tiers' reviews list OCA adds to the form: its review
        # date as wide as the suite's datetime columns (the Chinese format)
        new_node = super()._add_tier_validation_reviews(node, params)
        for column in new_node.xpath("//list/field[@name='reviewed_date']"):
            column.set("width", "210px")
        return new_node

    def _meddev_tiers_pending(self):
        # tiers apply only where a tier definition asks for them (class A)
        return bool(self.review_ids or self.need_validation) and (
            self.validation_status != "validated"
        )

    def _release_to_supplier_problems(self):
        self.ensure_one()
        problems = []
        # the approved supplier list and the specification decide, whatever
        # the planner may read of them
        qualification = self.qualification_id.sudo()
        if qualification.state not in APPROVED_QUALIFICATION_STATES:
            problems.append(
                self.env._(
                    "%(supplier)s is not qualified for %(process)s (ISO 13485 §7.4)",
                    supplier=self.partner_id.display_name,
                    process=self.scope_id.display_name,
                )
            )
        spec = self.spec_id.sudo()
        if not spec:
            problems.append(self.env._("no process specification is chosen"))
        elif spec.state != "effective":
            problems.append(
                self.env._(
                    "the process specification %(spec)s is not effective",
                    spec=spec.display_name,
                )
            )
        problems += self._material_problems()
        return problems

    def _material_problems(self):
        """The resupply transfers that cannot ship the material now."""
        # the transfers are checked whatever the planner may read of stock
        waiting = self.sudo().resupply_picking_ids.filtered(
            lambda picking: picking.state not in ("assigned", "done", "cancel")
        )
        if not waiting:
            return []
        return [
            self.env._(
                "the material is not available to ship: %(transfers)s",
                transfers=", ".join(waiting.mapped("name")),
            )
        ]

    def _submit_record_problems(self):
        self.ensure_one()
        if self.record_submitted_on:
            return [self.env._("the process record was already submitted")]
        if not self.record_complete:
            missing = self._missing_parameters()
            return [
                self.env._(
                    "the process record lacks %(parameters)s",
                    parameters=", ".join(missing.mapped("name"))
                    or self.env._("its values"),
                )
            ]
        return []

    def _missing_parameters(self):
        filled = self.record_ids.filtered("has_value").parameter_id
        return self.spec_id.parameter_ids.filtered("required") - filled

    def _release_problems(self):
        """What the returned lot's release still needs (the evidence check)."""
        self.ensure_one()
        problems = []
        if not self.date_sent:
            problems.append(self.env._("the job was never released to the supplier"))
        problems += (
            self._submit_record_problems() if not self.record_submitted_on else []
        )
        if self.deviating:
            problems.append(
                self.env._(
                    "the process record is out of the specification's limits: "
                    "%(values)s",
                    values="; ".join((self.deviation_summary or "").splitlines()),
                )
            )
        missing = self._missing_documents()
        if missing:
            problems.append(
                self.env._(
                    "the supplier's %(records)s is not attached",
                    records=", ".join(missing),
                )
            )
        if self.first_article and self.first_article_state != "accepted":
            problems.append(
                self.env._("the first article is not accepted by a signed decision")
            )
        return problems + self._meddev_release_hook_problems()

    def _missing_documents(self):
        attached = set(self.document_ids.filtered("attachment_id").mapped("code"))
        return [
            document.name
            # the specification decides, whatever the reader may open
            for document in self.spec_id.sudo().document_ids
            if document.required and document.code not in attached
        ]

    def _meddev_release_hook_problems(self):
        """Hook: what other modules require before the lot is released (the
        quality module's accepted inspection, open nonconformances)."""
        return []

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_release_to_supplier(self):
        """Signed by the planner (after the approval tiers where they apply):
        the supplier may process the lot to the specification in force."""
        self._meddev_check_action("release_to_supplier")
        self._meddev_server_write({"state": "sent", "date_sent": fields.Datetime.now()})
        self._set_first_article()
        return True

    def action_acknowledge(self):
        self._meddev_check_action("acknowledge")
        # the checked step is the server's to record: the supplier's portal
        # user writes no field of the job itself
        self.sudo().write(
            {"state": "acknowledged", "date_acknowledged": fields.Datetime.now()}
        )
        return True

    def action_start(self):
        self._meddev_check_action("start")
        # as above: the step was checked for the user, the server records it
        self.sudo().write(
            {"state": "in_process", "date_started": fields.Datetime.now()}
        )
        return True

    def action_submit_record(self):
        """Signed by its author (the supplier's portal user or our staff): the
        process record is complete and frozen."""
        self._meddev_check_action("submit_record")
        # as above: the signed step is the server's to record
        self.sudo().write(
            {
                "record_submitted_by_id": self.env.uid,
                "record_submitted_on": fields.Datetime.now(),
            }
        )
        self._meddev_on_deviation()
        return True

    def action_accept_first_article(self):
        self._meddev_check_action("accept_first_article")
        self._meddev_server_write({"first_article_state": "accepted"})
        return True

    def action_reject_first_article(self):
        self._require_reason(self.env._("Reject First Article"))
        self._meddev_check_action("reject_first_article")
        self._meddev_server_write({"first_article_state": "rejected"})
        return True

    def action_release(self):
        """Signed by an authorized role, not who released the job to the
        supplier, with the evidence complete: the lot may leave quarantine."""
        self._meddev_check_action("release")
        self._meddev_server_write(
            {"state": "released", "date_released": fields.Datetime.now()}
        )
        return True

    def action_reject(self):
        self._require_reason(self.env._("Reject the Lot"))
        self._meddev_check_action("reject")
        self.write({"state": "rejected"})
        self._meddev_on_rejected()
        return True

    def action_close(self):
        self._meddev_check_action("close")
        jobs = self
        if not (self.env.context.get("audit_reason") or "").strip():
            jobs = self.with_context(
                audit_reason=system_reason(self.env, _lt("Job closed"))
            )
        jobs._meddev_server_write(
            {"state": "closed", "date_closed": fields.Datetime.now()}
        )
        return True

    def action_cancel(self):
        reason = self._require_reason(self.env._("Cancel"))
        self._meddev_check_action("cancel")
        self._meddev_server_write({"state": "cancel", "cancel_reason": reason})
        return True

    # ------------------------------------------------------------------
    # hooks for the quality module
    # ------------------------------------------------------------------
    def _meddev_on_deviation(self):
        """Hook: called when a process record with values out of limits is
        submitted (``self``: the deviating jobs). The quality module opens its
        exception here; by default the QA managers get a to-do."""
        deviating = self.filtered("deviating")
        if deviating:
            deviating._meddev_notify_qa_managers(
                self.env._("Process record out of limits"),
                self.env._(
                    "The submitted process record is out of the specification's limits."
                ),
            )

    def _meddev_on_rejected(self):
        """Hook: the lot of these jobs was rejected and stays held, awaiting
        disposition (the nonconformance process of the quality module)."""
        return None

    # ------------------------------------------------------------------
    # first article
    # ------------------------------------------------------------------
    def _set_first_article(self):
        """Mark the jobs just released to the supplier that are a first
        article: first of their specification version, first of the supplier
        for the process, or first after a change notice asking for one."""
        for job in self:
            reason = (
                job.first_article_reason
                if job.first_article
                else job._first_article_reason()
            )
            if not reason:
                continue
            # the job's decision fields are the server's to set
            job.sudo().write(
                {
                    "first_article": True,
                    "first_article_reason": reason,
                    "first_article_state": "pending",
                }
            )
            if reason == "change_notice":
                notices = job._pending_change_notices().sudo()
                notices.with_context(
                    audit_reason=system_reason(
                        self.env, _lt("First article job %(job)s", job=job.name)
                    )
                ).write({"first_article_job_id": job.id})

    def _first_article_reason(self):
        self.ensure_one()
        # earlier jobs are read whatever the planner may open: history decides
        earlier = self.sudo().search(
            [
                ("id", "!=", self.id),
                ("date_sent", "!=", False),
                ("meddev_supplier_id", "=", self.meddev_supplier_id.id),
                ("scope_id", "=", self.scope_id.id),
                ("company_id", "=", self.company_id.id),
            ]
        )
        if not earlier:
            return "new_supplier"
        if self.spec_id not in earlier.spec_id:
            return "new_spec_version"
        if self._pending_change_notices():
            return "change_notice"
        return False

    def _pending_change_notices(self):
        """Accepted change notices of the supplier for the process that ask for
        a first article and have none yet."""
        return (
            self.env["meddev.supplier.change.notice"]
            .sudo()
            .search(
                [
                    ("meddev_supplier_id", "=", self.meddev_supplier_id.id),
                    ("scope_ids", "in", self.scope_id.ids),
                    ("first_article_required", "=", True),
                    ("first_article_job_id", "=", False),
                    ("state", "=", "accepted"),
                ]
            )
        )

    # ------------------------------------------------------------------
    # in step with Odoo's subcontracting
    # ------------------------------------------------------------------
    @api.model
    def _meddev_prepare_from_production(self, production, scope):
        receipt = production.move_finished_ids.move_dest_ids[:1]
        spec = self.env["meddev.process.spec"]._meddev_effective(
            production.product_id.product_tmpl_id, scope, production.company_id
        )
        return {
            "production_id": production.id,
            "partner_id": production.subcontractor_id.commercial_partner_id.id,
            "scope_id": scope.id,
            "product_id": production.product_id.id,
            "company_id": production.company_id.id,
            "spec_id": spec.id,
            "date_planned_return": receipt.date or production.date_finished,
        }

    @api.model
    def _meddev_create_for_productions(self, productions):
        """One job per subcontract MO whose BoM names an outsourced process
        (none for plain subcontracting); its receipt goes to quarantine."""
        productions = productions.filtered(
            lambda mo: mo.subcontractor_id and mo.bom_id.meddev_scope_id
        )
        existing = self.sudo().search([("production_id", "in", productions.ids)])
        productions -= existing.production_id
        if not productions:
            return self
        # the job follows the order Odoo made: created by the server for
        # whoever confirmed the purchase order (a buyer may not create jobs);
        # its creation is in the audit trail, not repeated in the chatter
        jobs = (
            self.sudo()
            .with_context(mail_create_nolog=True)
            .create(
                [
                    self._meddev_prepare_from_production(mo, mo.bom_id.meddev_scope_id)
                    for mo in productions
                ]
            )
        )
        return jobs.with_env(self.env)

    def _meddev_route_to_quarantine(self):
        """Receive the returned goods into quarantine: the warehouse's
        quarantine location; with 2- or 3-step reception, the input location
        the receipt goes to, which then holds them: Odoo's own transfers
        onwards (quality control, storage) are refused until the job is
        released."""
        for job in self:
            move = job.receipt_move_id
            if (
                not move
                or move.state in ("done", "cancel")
                or move.location_dest_id.meddev_quarantine
            ):
                continue
            warehouse = move.warehouse_id or move.picking_type_id.warehouse_id
            if (
                warehouse.reception_steps != "one_step"
                and move.location_dest_id == warehouse.wh_input_stock_loc_id
            ):
                move.location_dest_id.meddev_quarantine = True
                continue
            quarantine = warehouse._meddev_quarantine_location()
            if quarantine:
                move.write({"location_dest_id": quarantine.id})

    def _meddev_sync_split(self, origin_by_production):
        """Jobs for the backorder MOs Odoo split from an order with a job:
        same subject, state and specification; the process record copied."""
        origins = self.sudo().search(
            [
                (
                    "production_id",
                    "in",
                    [origin.id for origin in origin_by_production.values()],
                )
            ]
        )
        by_production = {job.production_id: job for job in origins}
        vals_list, sources = [], []
        for production, origin in origin_by_production.items():
            source = by_production.get(origin)
            if not source:
                continue
            vals_list.append(source._split_values(production))
            sources.append(source)
        if not vals_list:
            return self
        # the server mirrors Odoo's split: the new job continues the old one
        # in the state it has reached
        jobs = self.sudo().create(vals_list)
        for job, source in zip(jobs, sources, strict=True):
            job.message_post(
                body=self.env._(
                    "Split from %(job)s by a partial receipt.", job=source.name
                )
            )
        return jobs

    def _split_values(self, production):
        self.ensure_one()
        fields_ = [
            "partner_id",
            "scope_id",
            "product_id",
            "company_id",
            "spec_id",
            "state",
            "date_planned_return",
            "date_sent",
            "date_acknowledged",
            "date_started",
            "first_article",
            "first_article_reason",
            "first_article_state",
            "risk_class",
            "record_submitted_by_id",
            "record_submitted_on",
        ]
        vals = {
            name: self._fields[name].convert_to_write(self[name], self)
            for name in fields_
        }
        vals["production_id"] = production.id
        vals["record_ids"] = [
            fields.Command.create(record._split_values()) for record in self.record_ids
        ]
        vals["document_ids"] = [
            fields.Command.create(document._split_values())
            for document in self.document_ids
        ]
        return vals

    def _meddev_mark_returned(self):
        """The receipt of the goods (the MO done by Odoo) returns the job."""
        jobs = self.filtered(lambda job: job.state in OPEN_STATES)
        if not jobs:
            return
        reason = system_reason(self.env, _lt("Goods received from the supplier"))
        for job in jobs:
            # the receipt's validation returns the job whoever validated it: the
            # server records what Odoo did
            job.sudo().with_context(audit_reason=reason).write(
                {
                    "state": "returned",
                    "date_returned": fields.Datetime.now(),
                    "qty_returned": job.production_id.qty_produced,
                }
            )

    def _meddev_cancel_with_order(self):
        """Odoo cancelled the subcontract order: its open job is cancelled."""
        jobs = self.filtered(lambda job: job.state in OPEN_STATES)
        if not jobs:
            return
        reason = system_reason(self.env, _lt("Subcontract order cancelled in Odoo"))
        # the server follows Odoo's cancellation, whoever cancelled the order
        jobs.sudo().with_context(audit_reason=reason).write(
            {"state": "cancel", "cancel_reason": str(reason)}
        )

    # ------------------------------------------------------------------
    # the release gate
    # ------------------------------------------------------------------
    def _holds(self, line):
        """Whether this job holds the goods of move line ``line``."""
        self.ensure_one()
        if self.lot_id:
            return line.lot_id == self.lot_id
        return (
            line.product_id == self.product_id
            and line.location_id == self.quarantine_location_id
        )

    def _meddev_held_message(self):
        self.ensure_one()
        labels = dict(self._fields["state"]._description_selection(self.env))
        if self.state == "rejected":
            why = [self.env._("the lot was rejected and awaits its disposition")]
        else:
            why = self._release_problems() or [
                self.env._("the job is not released by an authorized signature")
            ]
        return self.env._(
            "%(product)s %(lot)s of outsourcing job %(job)s (%(state)s) stays in "
            "quarantine until the job is released:\n%(why)s",
            product=self.product_id.display_name,
            lot=self.lot_id.name or "",
            job=self.name,
            state=labels[self.state],
            why="\n".join(f"- {item}" for item in why),
        )
