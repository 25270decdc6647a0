from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevSodException(models.Model):
    """A recorded exception to a segregation-of-duties conflict: this user may
    hold both roles, for this reason, until this date.

    Requested with a reason, approved by an electronic signature of the
    quality director (who is neither the requester nor the user), revocable
    with a signed reason. Only an approved, unexpired exception lets the user
    hold the pair.
    """

    _name = "meddev.sod.exception"
    _description = "Segregation of Duties Exception"
    _inherit = [
        "meddev.governance.request.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
    ]
    _order = "id desc"
    _audit_controlled_states = ("approved",)
    _meddev_sequence_code = "meddev.sod.exception"
    _meddev_actions = {
        "submit": "Submit",
        "approve": "Approve",
        "reject": "Reject",
        "revoke": "Revoke",
    }

    conflict_id = fields.Many2one(
        "meddev.sod.conflict",
        string="Conflicting Roles",
        required=True,
        ondelete="restrict",
        tracking=True,
    )
    user_id = fields.Many2one(
        "res.users",
        required=True,
        domain=[("share", "=", False)],
        tracking=True,
    )
    reason = fields.Text(
        required=True,
        help="Why the user must hold both roles, and what compensating control "
        "applies (e.g. every approval of the user is reviewed by the director).",
    )
    date_end = fields.Date(
        string="Valid Until", help="Empty: until revoked.", tracking=True
    )
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("rejected", "Rejected"),
            ("revoked", "Revoked"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )

    def write(self, vals):
        fixed = {"conflict_id", "user_id", "reason", "date_end", "requested_by_id"}
        if fixed & set(vals) and (
            "requested_by_id" in vals or self.filtered(lambda e: e.state != "draft")
        ):
            raise UserError(
                self.env._(
                    "A submitted exception cannot be changed: revoke it and "
                    "request a new one."
                )
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda e: e.state != "draft"):
            raise UserError(
                self.env._("Only draft exceptions can be deleted; revoke the others.")
            )

    def action_submit(self):
        self._meddev_check_action("submit")
        self.write({"state": "submitted"})
        return True

    def action_approve(self):
        self._meddev_check_action("approve")
        self.write({"state": "approved"})
        return True

    def action_reject(self):
        self._meddev_check_action("reject")
        self.write({"state": "rejected"})
        return True

    def action_revoke(self):
        self._meddev_check_action("revoke")
        if not self.env.context.get("audit_reason"):
            raise UserError(
                self.env._("Give the reason for revoking in the signature's comment.")
            )
        self.write({"state": "revoked"})
        return True
