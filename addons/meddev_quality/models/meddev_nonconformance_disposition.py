from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_compare
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# the reasons the system writes are lazy translations, read in the reader's
# language by the audit trail
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)

DISPOSITIONS = [
    ("use_as_is", "Use as Is"),
    ("concession", "Concession (让步接收)"),
    ("rework", "Rework"),
    ("scrap", "Scrap"),
    ("return", "Return to Supplier"),
]
DISPOSITION_STATES = [
    ("draft", "Proposed"),
    ("approved", "Approved"),
    ("done", "Done"),
    ("cancel", "Cancelled"),
]
# a decision that lets the quantity be used needs its justification
JUSTIFIED = ("use_as_is", "concession")
# fixed once the disposition is approved (the signed content)
DECISION_FIELDS = ("hold_id", "disposition", "quantity", "justification")
SERVER_FIELDS = (
    "approved_by_id",
    "approved_on",
    "authorized_by_id",
    "authorized_on",
    "done_on",
    "picking_id",
)


class MeddevNonconformanceDisposition(models.Model):
    """The MRB's decision (评审) on a quantity of a held lot: use as is,
    concession (让步接收), rework, scrap or return to the supplier. Each is
    signed by the QA manager; a concession of a critical exception also by
    the management representative, another person. The approved decision is
    carried out by the server through Odoo's own operations: a transfer out
    of quarantine, a scrap, a return to the supplier, a transfer to rework;
    only that quantity leaves the hold. A finished rework gives its quantity
    back to the hold for the next decision (after re-inspection)."""

    _name = "meddev.nonconformance.disposition"
    _description = "Exception Disposition"
    _inherit = ["meddev.stage.permission.mixin", "mail.thread"]
    _order = "id"
    _check_company_auto = True
    _audit_controlled_states = ("approved", "done", "cancel")
    _meddev_actions = {
        "approve": "Approve the Disposition",
        "authorize": "Authorize the Concession",
        "cancel_disposition": "Cancel the Disposition",
    }
    _meddev_server_fields = SERVER_FIELDS
    _signature_exclude_fields = (
        "authorized_by_id",
        "authorized_on",
        "done_on",
        "picking_id",
        "scrap_ids",
        "message_ids",
    )

    nonconformance_id = fields.Many2one(
        "meddev.nonconformance",
        string="Exception",
        required=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one(
        related="nonconformance_id.company_id",
        store=True,
        index=True,
        precompute=True,
    )
    hold_id = fields.Many2one(
        "meddev.nonconformance.hold",
        string="Held Lot",
        required=True,
        index=True,
        ondelete="restrict",
        domain="[('nonconformance_id', '=', nonconformance_id), "
        "('state', '=', 'held')]",
    )
    product_id = fields.Many2one(related="hold_id.product_id")
    lot_id = fields.Many2one(
        related="hold_id.lot_id", store=True, index=True, precompute=True
    )
    uom_id = fields.Many2one(related="hold_id.uom_id", string="Unit")
    disposition = fields.Selection(DISPOSITIONS, required=True)
    quantity = fields.Float(required=True, digits="Product Unit of Measure")
    justification = fields.Text(
        help="Why the quantity may be used (required for use as is and "
        "concession): the evaluation, the risk, the customer's agreement."
    )
    state = fields.Selection(
        DISPOSITION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        index=True,
        tracking=True,
    )
    needs_authorization = fields.Boolean(
        string="Management Representative Signs",
        compute="_compute_needs_authorization",
        help="A concession on a critical exception is also signed by the "
        "management representative.",
    )
    approved_by_id = fields.Many2one("res.users", readonly=True)
    approved_on = fields.Datetime(readonly=True)
    authorized_by_id = fields.Many2one("res.users", readonly=True)
    authorized_on = fields.Datetime(readonly=True)
    done_on = fields.Datetime(readonly=True)
    picking_id = fields.Many2one(
        "stock.picking", string="Transfer", readonly=True, check_company=True
    )
    scrap_ids = fields.One2many(
        "stock.scrap", "meddev_disposition_id", string="Scraps", readonly=True
    )
    move_ids = fields.One2many(
        "stock.move", "meddev_disposition_id", string="Stock Moves", readonly=True
    )

    @api.depends("disposition", "nonconformance_id.grade")
    def _compute_needs_authorization(self):
        for record in self:
            record.needs_authorization = (
                record.disposition == "concession"
                and record.nonconformance_id.grade == "critical"
            )

    # ------------------------------------------------------------------
    # what may be written
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._meddev_check_open_exception()
        return records

    def write(self, vals):
        decided = [name for name in DECISION_FIELDS if name in vals]
        if decided and not self.env.su and self.filtered(lambda d: d.state != "draft"):
            raise UserError(
                self.env._(
                    "An approved disposition is signed as it is: cancel it and "
                    "propose another."
                )
            )
        result = super().write(vals)
        if "hold_id" in vals or "nonconformance_id" in vals:
            self._meddev_check_open_exception()
        return result

    @api.ondelete(at_uninstall=False)
    def _unlink_except_recorded(self):
        if not self.env.is_superuser():
            raise UserError(
                self.env._(
                    "A disposition is part of the exception's record: cancel it, "
                    "it is never deleted."
                )
            )

    def _meddev_check_open_exception(self):
        for record in self:
            if record.hold_id.nonconformance_id != record.nonconformance_id:
                raise UserError(
                    self.env._("The held lot is not one of this exception's.")
                )
            if record.nonconformance_id.state != "open":
                raise UserError(
                    self.env._(
                        "Dispositions are decided on a confirmed, open exception "
                        "(%(record)s is not).",
                        record=record.nonconformance_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def _meddev_approve_problems(self):
        self.ensure_one()
        problems = []
        rounding = self.uom_id.rounding
        if float_compare(self.quantity, 0, precision_rounding=rounding) <= 0:
            problems.append(self.env._("the quantity must be positive"))
        pending = self.hold_id.qty_pending + self.quantity
        if float_compare(self.quantity, pending, precision_rounding=rounding) > 0:
            problems.append(
                self.env._(
                    "only %(pending)s %(unit)s of %(lot)s are left to disposition",
                    pending=pending,
                    unit=self.uom_id.name,
                    lot=self.lot_id.name,
                )
            )
        if self.disposition in JUSTIFIED and not (self.justification or "").strip():
            problems.append(
                self.env._("a concession or use as is needs its justification")
            )
        if self.hold_id.state != "held":
            problems.append(self.env._("the lot is no longer held"))
        return problems

    def action_approve(self):
        """The QA manager's signature decides the disposition."""
        for record in self:
            problems = record._meddev_approve_problems()
            if problems:
                raise UserError(
                    self.env._(
                        "%(disposition)s cannot be approved:\n%(problems)s",
                        disposition=record.display_name,
                        problems="\n".join(f"- {p}" for p in problems),
                    )
                )
        self._meddev_check_open_exception()
        self._meddev_check_action("approve")
        self._meddev_server_write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
            }
        )
        self.filtered(lambda d: not d.needs_authorization)._meddev_execute()
        return True

    def action_authorize(self):
        """The management representative's signature on a critical concession."""
        unneeded = self.filtered(lambda d: not d.needs_authorization)
        if unneeded:
            raise UserError(
                self.env._(
                    "Only a concession on a critical exception is authorized by "
                    "the management representative."
                )
            )
        if self.filtered("authorized_by_id"):
            raise UserError(self.env._("The concession is already authorized."))
        self._meddev_check_action("authorize")
        self._meddev_server_write(
            {"authorized_by_id": self.env.uid, "authorized_on": fields.Datetime.now()}
        )
        self._meddev_execute()
        return True

    def action_cancel_disposition(self):
        started = self.filtered(lambda d: d.move_ids or d.scrap_ids)
        if started:
            raise UserError(
                self.env._(
                    "%(dispositions)s is being carried out in stock: cancel its "
                    "transfer first.",
                    dispositions=", ".join(started.mapped("display_name")),
                )
            )
        self._meddev_check_action("cancel_disposition")
        self._meddev_server_write({"state": "cancel"})
        return True

    @api.depends("disposition", "quantity", "lot_id")
    def _compute_display_name(self):
        labels = dict(self._fields["disposition"]._description_selection(self.env))
        for record in self:
            record.display_name = self.env._(
                "%(disposition)s: %(quantity)s %(unit)s of %(lot)s",
                disposition=labels.get(record.disposition, ""),
                quantity=record.quantity,
                unit=record.uom_id.name or "",
                lot=record.lot_id.name or "",
            )

    # ------------------------------------------------------------------
    # carrying it out
    # ------------------------------------------------------------------
    def _meddev_execute(self):
        """Carry out the approved dispositions (the server's part of the
        signed step: the signer need not have stock rights)."""
        # the server carries out in stock what the signer decided
        records = self.sudo().with_context(
            audit_reason=system_reason(self.env, _lt("Disposition carried out"))
        )
        for record in records:
            getattr(record, f"_meddev_execute_{record.disposition}")()
        records._meddev_mark_done_if_finished()

    def _meddev_mark_done_if_finished(self):
        # the server records the outcome of the stock operation, whoever
        # validated it
        records = self.sudo().with_context(
            audit_reason=system_reason(self.env, _lt("Disposition carried out"))
        )
        finished = records.filtered(
            lambda d: d.state == "approved"
            and (d.move_ids or d.scrap_ids)
            and all(m.state in ("done", "cancel") for m in d.move_ids)
            and all(s.state == "done" for s in d.scrap_ids)
            and any(m.state == "done" for m in d.move_ids)
        )
        if finished:
            finished._meddev_server_write(
                {"state": "done", "done_on": fields.Datetime.now()}
            )
            finished.hold_id._meddev_release_if_done()
