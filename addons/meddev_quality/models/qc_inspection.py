from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

from .meddev_aql_code_letter import INSPECTION_LEVELS
from .meddev_sampling_plan import CLASS_AQL_SELECTION, DEFECT_CLASSES
from .meddev_sampling_switch import SWITCH_STATES

# the reasons the system writes are lazy translations, read in the reader's
# language by the audit trail
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

MEDDEV_STATES = [
    ("todo", "To Inspect"),
    ("recorded", "Awaiting Review"),
    ("accepted", "Accepted"),
    ("rejected", "Rejected, Awaiting Disposition"),
    ("cancel", "Cancelled"),
]
# OCA's state of the inspection, kept in step with ours
OCA_STATE = {
    "todo": "ready",
    "recorded": "waiting",
    "accepted": "success",
    "rejected": "failed",
    "cancel": "canceled",
}
CLASS_FIELDS = ("aql", "letter", "n", "ac", "re")
SAMPLING_FIELDS = (
    "meddev_plan_id",
    "meddev_partner_id",
    "meddev_location_id",
    "lot_size",
    "inspection_level",
    "severity",
    "code_letter",
    "sample_size",
    "full_inspection",
    "meddev_discontinued",
    *tuple(f"{name}_{code}" for code, _l in DEFECT_CLASSES for name in CLASS_FIELDS),
)


# set only by the server when it makes an inspection of a sampling plan
CREATE_SERVER_FIELDS = (
    *SAMPLING_FIELDS,
    "meddev_parent_id",
    "meddev_job_id",
    "meddev_inspector_id",
    "meddev_inspected_on",
    "meddev_reviewer_id",
    "meddev_reviewed_on",
    "meddev_cancel_reason",
)


class QcInspection(models.Model):
    """An inspection of OCA quality control (the questions, the measured and
    checked values) made a GB/T 2828.1 lot inspection: lot size, code letter,
    sample size, per defect class its plan (Ac/Re) and the defects found; the
    decision follows from the counts and the answers, and is signed by the
    inspector, then reviewed and signed by a QA engineer other than the
    inspector where the plan asks for it (复核). Its lot leaves quarantine only
    once accepted. A re-inspection (复验) is a new inspection linked to this
    one, which is never overwritten.

    Inspections without a sampling plan stay OCA's own, untouched."""

    _name = "qc.inspection"
    _inherit = ["qc.inspection", "meddev.stage.permission.mixin"]
    _audit_state_field = "meddev_state"
    _meddev_state_field = "meddev_state"
    _audit_controlled_states = ("recorded", "accepted", "rejected", "cancel")
    _meddev_actions = {
        "record": "Sign the Inspection Result",
        "review": "Review the Inspection Result",
        "reinspect": "Re-inspect",
        "cancel_inspection": "Cancel the Inspection",
    }
    _meddev_server_fields = (
        *SAMPLING_FIELDS,
        "state",
        "lot_id",
        "object_id",
        "qty",
        "test",
        "company_id",
        "meddev_parent_id",
        "meddev_job_id",
        "meddev_inspector_id",
        "meddev_inspected_on",
        "meddev_reviewer_id",
        "meddev_reviewed_on",
        "meddev_cancel_reason",
    )
    _signature_exclude_fields = (
        "meddev_reviewer_id",
        "meddev_reviewed_on",
        "meddev_reinspection_ids",
        "meddev_holds",
        "message_ids",
    )

    meddev_plan_id = fields.Many2one(
        "meddev.sampling.plan", string="Sampling Plan", readonly=True, index=True
    )
    meddev_partner_id = fields.Many2one(
        "res.partner", string="Supplier", readonly=True, index=True
    )
    meddev_job_id = fields.Many2one(
        "meddev.outsourcing.job", string="Outsourcing Job", readonly=True, index=True
    )
    meddev_location_id = fields.Many2one(
        "stock.location",
        string="Held In",
        readonly=True,
        help="Where the received lot waits for the decision.",
    )
    meddev_state = fields.Selection(
        MEDDEV_STATES,
        string="Decision State",
        default="todo",
        tracking=True,
        index=True,
    )
    lot_size = fields.Integer(readonly=True)
    inspection_level = fields.Selection(INSPECTION_LEVELS, readonly=True)
    severity = fields.Selection(SWITCH_STATES, readonly=True)
    meddev_discontinued = fields.Boolean(
        string="Acceptance Discontinued",
        readonly=True,
        help="GB/T 2828.1 §9.4: acceptance of this supplier's lots of the "
        "product is discontinued until the QA manager resumes it.",
    )
    code_letter = fields.Char(readonly=True)
    sample_size = fields.Integer(readonly=True)
    full_inspection = fields.Boolean(string="100 % Inspection", readonly=True)
    aql_critical = fields.Selection(CLASS_AQL_SELECTION, readonly=True)
    aql_major = fields.Selection(CLASS_AQL_SELECTION, readonly=True)
    aql_minor = fields.Selection(CLASS_AQL_SELECTION, readonly=True)
    letter_critical = fields.Char(readonly=True)
    letter_major = fields.Char(readonly=True)
    letter_minor = fields.Char(readonly=True)
    n_critical = fields.Integer(readonly=True)
    n_major = fields.Integer(readonly=True)
    n_minor = fields.Integer(readonly=True)
    ac_critical = fields.Integer(readonly=True)
    ac_major = fields.Integer(readonly=True)
    ac_minor = fields.Integer(readonly=True)
    re_critical = fields.Integer(readonly=True)
    re_major = fields.Integer(readonly=True)
    re_minor = fields.Integer(readonly=True)
    defect_ids = fields.One2many(
        "meddev.inspection.defect", "inspection_id", string="Defects"
    )
    defects_critical = fields.Integer(
        compute="_compute_defects", store=True, precompute=True
    )
    defects_major = fields.Integer(
        compute="_compute_defects", store=True, precompute=True
    )
    defects_minor = fields.Integer(
        compute="_compute_defects", store=True, precompute=True
    )
    meddev_decision = fields.Selection(
        [("accept", "Accept"), ("reject", "Reject")],
        string="Decision",
        compute="_compute_decision",
        store=True,
        precompute=True,
    )
    meddev_decision_reason = fields.Text(
        string="Why", compute="_compute_decision", store=True, precompute=True
    )
    meddev_inspector_id = fields.Many2one(
        "res.users", string="Inspector", readonly=True
    )
    meddev_inspected_on = fields.Datetime(string="Inspected On", readonly=True)
    meddev_reviewer_id = fields.Many2one("res.users", string="Reviewer", readonly=True)
    meddev_reviewed_on = fields.Datetime(string="Reviewed On", readonly=True)
    meddev_review_required = fields.Boolean(
        related="meddev_plan_id.review_required", string="Review Required"
    )
    meddev_cancel_reason = fields.Text(string="Cancellation Reason", readonly=True)
    meddev_parent_id = fields.Many2one(
        "qc.inspection",
        string="Re-inspection Of",
        readonly=True,
        ondelete="restrict",
        index=True,
    )
    meddev_reinspection_ids = fields.One2many(
        "qc.inspection", "meddev_parent_id", string="Re-inspections", readonly=True
    )
    meddev_holds = fields.Boolean(
        string="Holds the Lot",
        compute="_compute_holds",
        store=True,
        precompute=True,
        index=True,
        help="The lot stays in quarantine: this is its latest inspection and "
        "it is not accepted.",
    )

    # ------------------------------------------------------------------
    # what only the server writes, on the inspections of a sampling plan
    # ------------------------------------------------------------------
    def _meddev_check_server_fields(self, vals):
        # OCA's own inspections (without a plan) stay OCA's to write
        planned = self.filtered("meddev_plan_id")
        if planned or "meddev_plan_id" in vals:
            return super(QcInspection, planned or self)._meddev_check_server_fields(
                vals
            )
        return None

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            # a controlled state asked for is refused by the stage guard
            made = [
                name
                for vals in vals_list
                if vals.get("meddev_state", "todo") == "todo"
                for name in CREATE_SERVER_FIELDS
                if vals.get(name)
            ]
            if made:
                raise UserError(
                    self.env._(
                        "%(fields)s of an inspection are set by the server from the "
                        "receipt and its sampling plan, not entered.",
                        fields=", ".join(
                            sorted({self._fields[name].string for name in made})
                        ),
                    )
                )
        return super().create(vals_list)

    # ------------------------------------------------------------------
    # computes
    # ------------------------------------------------------------------
    @api.depends(
        "defect_ids.defect_class",
        "defect_ids.quantity",
        "defect_ids.line_id",
        # the answers themselves, not OCA's success flag (computed, not
        # precomputed): the counts are stored with the inspection's insert
        "inspection_lines.question_type",
        "inspection_lines.quantitative_value",
        "inspection_lines.meddev_value_entered",
        "inspection_lines.qualitative_value",
        "inspection_lines.uom_id",
        "inspection_lines.test_uom_id",
        "inspection_lines.min_value",
        "inspection_lines.max_value",
        "inspection_lines.test_line",
    )
    def _compute_defects(self):
        for inspection in self:
            counts = dict.fromkeys((code for code, _l in DEFECT_CLASSES), 0)
            for defect in inspection.defect_ids:
                counts[defect.defect_class] += defect.quantity
            for line in inspection._meddev_failed_lines_uncounted():
                counts[line.test_line.meddev_defect_class or "major"] += 1
            for code, count in counts.items():
                inspection[f"defects_{code}"] = count

    def _meddev_failed_lines_uncounted(self):
        """Answered questions out of their limits with no defect recorded for
        them: each counts as one defective unit of the question's class."""
        self.ensure_one()
        counted = self.defect_ids.line_id
        return (
            self.inspection_lines.filtered(
                lambda line: line._meddev_answered() and not line.success
            )
            - counted
        )

    @api.depends(
        "meddev_plan_id",
        "defects_critical",
        "defects_major",
        "defects_minor",
        "re_critical",
        "re_major",
        "re_minor",
    )
    def _compute_decision(self):
        labels = dict(DEFECT_CLASSES)
        for inspection in self:
            if not inspection.meddev_plan_id:
                inspection.meddev_decision = False
                inspection.meddev_decision_reason = False
                continue
            why = []
            for code, _l in DEFECT_CLASSES:
                # (the figures read before the call: Odoo's term export
                # cannot read an f-string among a translation's arguments)
                found, ac, re = (
                    inspection[f"{name}_{code}"] for name in ("defects", "ac", "re")
                )
                if found >= re:
                    why.append(
                        self.env._(
                            "%(klass)s: %(found)s defective (Ac %(ac)s, Re %(re)s)",
                            klass=labels[code],
                            found=found,
                            ac=ac,
                            re=re,
                        )
                    )
            inspection.meddev_decision = "reject" if why else "accept"
            inspection.meddev_decision_reason = "\n".join(why)

    @api.depends("meddev_state", "meddev_plan_id", "meddev_reinspection_ids")
    def _compute_holds(self):
        for inspection in self:
            inspection.meddev_holds = bool(
                inspection.meddev_plan_id
                and inspection.meddev_state not in ("accepted", "cancel")
                and not inspection.meddev_reinspection_ids
            )

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def _meddev_record_problems(self):
        self.ensure_one()
        problems = []
        unanswered = self.inspection_lines.filtered(
            lambda line: not line._meddev_answered()
        )
        if unanswered:
            problems.append(
                self.env._(
                    "questions not answered: %(questions)s",
                    questions=", ".join(unanswered.mapped("name")),
                )
            )
        if self.meddev_discontinued and self.meddev_decision == "accept":
            problems.append(
                self.env._(
                    "acceptance is discontinued for this supplier and product "
                    "(GB/T 2828.1 §9.4) until the QA manager resumes it"
                )
            )
        return problems

    def action_record(self):
        """Signed by the inspector: the decision follows from the counts."""
        for inspection in self:
            inspection._meddev_require_plan()
            problems = inspection._meddev_record_problems()
            if problems:
                raise UserError(
                    self.env._(
                        "%(inspection)s cannot be signed yet:\n%(problems)s",
                        inspection=inspection.name,
                        problems="\n".join(f"- {p}" for p in problems),
                    )
                )
        self._meddev_check_action("record")
        now = fields.Datetime.now()
        for inspection in self:
            final = not inspection.meddev_review_required
            state = inspection._meddev_decided_state() if final else "recorded"
            inspection._meddev_server_write(
                {
                    "meddev_state": state,
                    "state": OCA_STATE[state],
                    "meddev_inspector_id": self.env.uid,
                    "meddev_inspected_on": now,
                }
            )
        self._meddev_on_decided()
        return True

    def action_review(self):
        """Signed by a QA engineer other than the inspector (复核)."""
        self._meddev_require_plan()
        self._meddev_check_action("review")
        now = fields.Datetime.now()
        inspections = self
        if not (self.env.context.get("audit_reason") or "").strip():
            inspections = self.with_context(
                audit_reason=system_reason(self.env, _lt("Inspection result reviewed"))
            )
        for inspection in inspections:
            state = inspection._meddev_decided_state()
            inspection._meddev_server_write(
                {
                    "meddev_state": state,
                    "state": OCA_STATE[state],
                    "meddev_reviewer_id": self.env.uid,
                    "meddev_reviewed_on": now,
                }
            )
        self._meddev_on_decided()
        return True

    def action_reinspect(self):
        """A new inspection of the same lot, linked to this one (复验): this
        one is kept as it is. Its decision holds the lot from now on."""
        self._meddev_require_plan()
        self._require_meddev_reason(self.env._("Re-inspect"))
        self._meddev_check_reinspection()
        self._meddev_check_action("reinspect")
        children = self.browse()
        for inspection in self:
            children |= inspection._meddev_make_reinspection()
        self.invalidate_recordset(["meddev_reinspection_ids", "meddev_holds"])
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "quality_control_oca.action_qc_inspection"
        )
        action.update({"res_id": children[:1].id, "views": [(False, "form")]})
        return action

    def _meddev_check_reinspection(self):
        """Hook: what a re-inspection needs besides the QA manager's signed
        reason (the nonconformance module requires the rejected lot's
        disposition to call for it)."""
        return None

    def action_cancel_inspection(self):
        reason = self._require_meddev_reason(self.env._("Cancel the Inspection"))
        self._meddev_require_plan()
        self._meddev_check_action("cancel_inspection")
        self._meddev_server_write(
            {
                "meddev_state": "cancel",
                "state": "canceled",
                "meddev_cancel_reason": reason,
            }
        )
        return True

    def _require_meddev_reason(self, step):
        reason = (self.env.context.get("audit_reason") or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "%(step)s needs a reason: sign it with a comment.", step=step
                )
            )
        return reason

    def _meddev_require_plan(self):
        unplanned = self.filtered(lambda inspection: not inspection.meddev_plan_id)
        if unplanned:
            raise UserError(
                self.env._(
                    "%(inspections)s has no sampling plan: it is decided with "
                    "OCA quality control's own buttons.",
                    inspections=", ".join(unplanned.mapped("name")),
                )
            )

    def _meddev_decided_state(self):
        return "accepted" if self.meddev_decision == "accept" else "rejected"

    def _meddev_make_reinspection(self):
        self.ensure_one()
        vals = {name: self[name] for name in SAMPLING_FIELDS}
        vals = self._convert_to_write(vals)
        vals.update(
            {
                "object_id": self.object_id
                and f"{self.object_id._name},{self.object_id.id}",
                "test": self.test.id,
                "qty": self.qty,
                "meddev_parent_id": self.id,
                "meddev_job_id": self.meddev_job_id.id,
                "auto_generated": True,
                "state": "ready",
                "inspection_lines": self._prepare_inspection_lines(self.test)
                if self.test
                else [],
            }
        )
        # the server makes the linked inspection the checked step asked for
        child = self.sudo().create(vals)
        child.lot_id = self.lot_id
        return child.with_env(self.env)

    def _meddev_on_decided(self):
        """After a final decision: the switching rules count the original
        inspections; a rejected lot is handed to the nonconformance process."""
        final = self.filtered(lambda i: i.meddev_state in ("accepted", "rejected"))
        originals = final.filtered(lambda i: not i.meddev_parent_id)
        if originals:
            switches = self.env["meddev.sampling.switch"]._meddev_for(
                [(i.meddev_partner_id.id, i.product_id.id) for i in originals],
                originals.company_id[:1] or self.env.company,
            )
            for inspection in originals:
                switch = switches[
                    (inspection.meddev_partner_id.id, inspection.product_id.id)
                ]
                switch._meddev_record_lot(inspection)
        rejected = final.filtered(lambda i: i.meddev_state == "rejected")
        if rejected:
            rejected._meddev_on_rejected()

    def _meddev_on_rejected(self):
        """Hook: the lots of these inspections were rejected and stay held in
        quarantine, awaiting disposition (the nonconformance process). By
        default the QA managers get a to-do."""
        group = self.env.ref("meddev_base.group_meddev_qa_manager")
        managers = group.sudo().users
        for inspection in self:
            for manager in managers[:1]:
                inspection.sudo().activity_schedule(
                    "mail.mail_activity_data_todo",
                    user_id=manager.id,
                    summary=self.env._("Rejected lot awaiting disposition"),
                    note=inspection.meddev_decision_reason,
                )

    # ------------------------------------------------------------------
    # OCA's own steps stay OCA's for inspections without a sampling plan
    # ------------------------------------------------------------------
    def _meddev_refuse_oca_step(self):
        planned = self.filtered("meddev_plan_id")
        if planned:
            raise UserError(
                self.env._(
                    "%(inspections)s follows its sampling plan: its decision is "
                    "signed by the inspector (and reviewed), not set with this "
                    "button.",
                    inspections=", ".join(planned.mapped("name")),
                )
            )

    def action_draft(self):
        self._meddev_refuse_oca_step()
        return super().action_draft()

    def action_todo(self):
        self._meddev_refuse_oca_step()
        return super().action_todo()

    def action_confirm(self):
        self._meddev_refuse_oca_step()
        return super().action_confirm()

    def action_approve(self):
        self._meddev_refuse_oca_step()
        return super().action_approve()

    def action_cancel(self):
        self._meddev_refuse_oca_step()
        return super().action_cancel()

    def set_test(self, trigger_line, force_fill=False):
        self._meddev_refuse_oca_step()
        return super().set_test(trigger_line, force_fill=force_fill)

    @api.ondelete(at_uninstall=False)
    def _unlink_except_meddev(self):
        if self.filtered("meddev_plan_id") and not self.env.is_superuser():
            raise UserError(
                self.env._(
                    "An inspection of a sampling plan is a quality record: it is "
                    "cancelled with a signed reason, never deleted."
                )
            )

    # ------------------------------------------------------------------
    # creation from the receipt
    # ------------------------------------------------------------------
    @api.model
    def _meddev_create_for_moves(self, moves):
        """One inspection per lot received by these done moves from a supplier,
        where a sampling plan applies (one search per model, one create)."""
        moves = moves.filtered(lambda m: m.state == "done" and m.picking_id)
        if not moves:
            return self.browse()
        company = moves.company_id[:1]
        partners = moves.picking_id.partner_id.commercial_partner_id
        plans = self.env["meddev.sampling.plan"]._meddev_find(
            moves.product_id, partners, company
        )
        planned = [
            (move, plans[key])
            for move in moves
            if (
                key := (
                    move.product_id.id,
                    move.picking_id.partner_id.commercial_partner_id.id,
                )
            )
            in plans
        ]
        if not planned:
            return self.browse()
        switches = self.env["meddev.sampling.switch"]._meddev_for(
            [
                (
                    move.picking_id.partner_id.commercial_partner_id.id,
                    move.product_id.id,
                )
                for move, _plan in planned
            ],
            company,
        )
        jobs = self._meddev_jobs_of(moves)
        vals_list, lots = [], []
        for move, plan in planned:
            partner = move.picking_id.partner_id.commercial_partner_id
            switch = switches[(partner.id, move.product_id.id)]
            for lot, qty in move._meddev_quantities_by_lot():
                vals_list.append(
                    self._meddev_inspection_values(move, plan, switch, qty, jobs)
                )
                lots.append(lot)
        # the server records the inspections for whoever validates the receipt
        inspections = self.sudo().create(vals_list)
        for inspection, lot in zip(inspections, lots, strict=True):
            if inspection.lot_id != lot:
                inspection.lot_id = lot
        return inspections.with_env(self.env)

    @api.model
    def _meddev_jobs_of(self, moves):
        # the job of a returned lot, whatever the receiver may read
        jobs = (
            self.env["meddev.outsourcing.job"]
            .sudo()
            .search([("receipt_move_id", "in", moves.ids)])
        )
        return {job.receipt_move_id.id: job for job in jobs}

    @api.model
    def _meddev_inspection_values(self, move, plan, switch, qty, jobs):
        # discontinued: the lots are still inspected, on the tightened table
        table = "tightened" if switch.severity == "discontinued" else switch.severity
        partner = move.picking_id.partner_id.commercial_partner_id
        job = jobs.get(move.id) or self.env["meddev.outsourcing.job"]
        vals = plan._meddev_lot_values(qty, table)
        vals.update(
            {
                "severity": switch.severity,
                "meddev_discontinued": switch.severity == "discontinued",
                "object_id": f"stock.move,{move.id}",
                "qty": qty,
                "test": plan.test_id.id,
                "company_id": move.company_id.id,
                "auto_generated": True,
                "state": "ready",
                "meddev_plan_id": plan.id,
                "meddev_partner_id": partner.id,
                "meddev_location_id": move.location_dest_id.id,
                "meddev_job_id": job.id,
                "inspection_lines": self._prepare_inspection_lines(plan.test_id)
                if plan.test_id
                else [],
            }
        )
        return vals

    # ------------------------------------------------------------------
    # the release gate
    # ------------------------------------------------------------------
    def _meddev_holds_line(self, line):
        self.ensure_one()
        if self.lot_id:
            return line.lot_id == self.lot_id
        return (
            line.product_id == self.product_id
            and line.location_id == self.meddev_location_id
        )

    def _meddev_held_message(self):
        self.ensure_one()
        labels = dict(self._fields["meddev_state"]._description_selection(self.env))
        return self.env._(
            "%(product)s %(lot)s stays in quarantine until its inspection "
            "%(inspection)s is accepted and signed (now: %(state)s).",
            product=self.product_id.display_name,
            lot=self.lot_id.name or "",
            inspection=self.name,
            state=labels[self.meddev_state],
        )

    def _meddev_problem_for_job(self):
        """Why the inspection of a job's returned lot does not yet allow its
        release, or None."""
        if not self:
            return None
        latest = self.filtered("meddev_holds")
        if not latest:
            return None
        labels = dict(self._fields["meddev_state"]._description_selection(self.env))
        return self.env._(
            "the return inspection %(inspection)s is not accepted and signed "
            "(now: %(state)s)",
            inspection=latest[0].name,
            state=labels[latest[0].meddev_state],
        )
