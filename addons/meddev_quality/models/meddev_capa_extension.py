from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .meddev_capa import OPEN_STATES

EXTENSION_STATES = [
    ("draft", "Draft"),
    ("requested", "Requested"),
    ("approved", "Approved"),
    ("rejected", "Rejected"),
]
SERVER_FIELDS = ("current_date", "approved_by_id", "approved_on", "decision_comment")
REQUEST_FIELDS = ("capa_id", "action_id", "new_date", "reason")


class MeddevCapaExtension(models.Model):
    """A request to move the due date of a CAPA, or of one of its actions,
    to a later date, with its reason: the due date moves only when the QA
    manager signs the request's approval (not the requester).

    Draft → requested (the requester) → approved (signed; the new date is
    written) or rejected (signed, with a reason)."""

    _name = "meddev.capa.extension"
    _description = "CAPA Due Date Extension Request"
    _inherit = ["meddev.stage.permission.mixin", "mail.thread"]
    _order = "id desc"
    _check_company_auto = True
    _audit_controlled_states = ("approved", "rejected")
    _meddev_actions = {
        "request": "Request the Extension",
        "approve": "Approve the Extension",
        "reject": "Reject the Extension",
    }
    _meddev_server_fields = SERVER_FIELDS

    capa_id = fields.Many2one(
        "meddev.capa",
        string="CAPA",
        required=True,
        index=True,
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="capa_id.company_id", store=True, precompute=True, index=True
    )
    action_id = fields.Many2one(
        "meddev.capa.action",
        domain="[('capa_id', '=', capa_id), ('state', '=', 'open')]",
        ondelete="restrict",
        check_company=True,
        help="Empty: the CAPA's own due date.",
    )
    state = fields.Selection(
        EXTENSION_STATES,
        string="Status",
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        copy=False,
    )
    current_date = fields.Date(string="Due Date When Requested", readonly=True)
    new_date = fields.Date(string="New Due Date", required=True, tracking=True)
    reason = fields.Text(required=True)
    approved_by_id = fields.Many2one("res.users", string="Decided By", readonly=True)
    approved_on = fields.Datetime(string="Decided On", readonly=True)
    decision_comment = fields.Text(readonly=True)

    @api.depends("capa_id.name", "action_id.name", "new_date")
    def _compute_display_name(self):
        for request in self:
            target = request.action_id.name or request.capa_id.name or ""
            request.display_name = self.env._(
                "%(target)s until %(date)s", target=target, date=request.new_date
            )

    # ------------------------------------------------------------------
    # what may be written
    # ------------------------------------------------------------------
    def _target_due(self):
        """The due date the request would move, as it is now."""
        self.ensure_one()
        return (self.action_id or self.capa_id).date_due

    def _meddev_request_problems(self):
        self.ensure_one()
        problems = []
        if self.capa_id.state not in OPEN_STATES:
            problems.append(self.env._("the CAPA is no longer open"))
        if self.action_id and self.action_id.capa_id != self.capa_id:
            problems.append(self.env._("the action is not one of the CAPA's"))
        elif self.action_id.state == "done":
            problems.append(self.env._("the action is done"))
        if not (self.reason or "").strip():
            problems.append(self.env._("give the reason"))
        today = fields.Date.context_today(self)
        if self.new_date and (
            self.new_date <= self._target_due() or self.new_date < today
        ):
            problems.append(
                self.env._(
                    "the new due date must be after the current one (%(date)s)",
                    date=self._target_due(),
                )
            )
        return problems

    def _meddev_raise_request_problems(self):
        for request in self:
            problems = request._meddev_request_problems()
            if problems:
                raise ValidationError(
                    self.env._(
                        "The extension request of %(capa)s is refused:\n%(problems)s",
                        capa=request.capa_id.name,
                        problems="\n".join(f"- {p}" for p in problems),
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_check_create_state(vals_list)
        for vals in vals_list:
            if not self.env.su and set(vals) & set(SERVER_FIELDS):
                raise UserError(self.env._("The decision is the QA manager's."))
            # checked before anything is written
            self.new(vals)._meddev_raise_request_problems()
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) & set(REQUEST_FIELDS) and not self.env.su:
            fixed = self.filtered(lambda request: request.state != "draft")
            if fixed:
                raise UserError(
                    self.env._("A request is changed only while it is a draft.")
                )
        result = super().write(vals)
        if set(vals) & set(REQUEST_FIELDS):
            self._meddev_raise_request_problems()
        return result

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def action_request(self):
        self._meddev_raise_request_problems()
        self._meddev_check_action("request")
        for request in self:
            request._meddev_server_write(
                {"state": "requested", "current_date": request._target_due()}
            )
        return True

    def action_approve(self):
        """Signed by the QA manager: the due date moves to the new date."""
        self._meddev_raise_request_problems()
        self._meddev_check_action("approve")
        for request in self:
            request._meddev_apply()
        self._meddev_server_write(
            {
                "state": "approved",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
                "decision_comment": self.env.context.get("audit_reason") or False,
            }
        )
        return True

    def _meddev_apply(self):
        self.ensure_one()
        if self.action_id:
            self.action_id._meddev_server_write({"date_due": self.new_date})
            # the owner's to-do moves with it
            self.action_id.activity_id.sudo().write({"date_deadline": self.new_date})
        else:
            self.capa_id._meddev_server_write({"date_due": self.new_date})
        self.capa_id.message_post(
            body=self.env._(
                "Due date of %(target)s extended from %(old)s to %(new)s: %(reason)s",
                target=self.action_id.name or self.capa_id.name,
                old=self.current_date,
                new=self.new_date,
                reason=self.reason,
            )
        )

    def action_reject(self):
        reason = (self.env.context.get("audit_reason") or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "Rejecting the extension needs a reason: give it in the "
                    "signature's comment."
                )
            )
        self._meddev_check_action("reject")
        self._meddev_server_write(
            {
                "state": "rejected",
                "approved_by_id": self.env.uid,
                "approved_on": fields.Datetime.now(),
                "decision_comment": reason,
            }
        )
        return True
