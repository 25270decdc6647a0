from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevGovernanceRequestMixin(models.AbstractModel):
    """A permission-governance request about one user (a temporary role, an
    exception to segregation of duties): numbered, requested by its creator,
    decided by signed steps, never approved by the user it concerns.

    Inherited before ``meddev.stage.permission.mixin`` (checked when the
    registry loads); the model has a ``user_id`` (whom the request concerns)
    and sets ``_meddev_sequence_code``. A signed ``revoke`` step needs its
    reason as the signature's comment (the models' ``action_revoke``).
    """

    _name = "meddev.governance.request.mixin"
    _description = "Permission Governance Request"

    _meddev_sequence_code = None

    name = fields.Char(
        string="Reference", readonly=True, copy=False, default="/", index=True
    )
    requested_by_id = fields.Many2one(
        "res.users",
        default=lambda self: self.env.user,
        readonly=True,
        required=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            # the requester is whoever creates the request (data files, loaded
            # by the server, may name another)
            if not (self.env.su and vals.get("requested_by_id")):
                vals["requested_by_id"] = self.env.uid
            if vals.get("name", "/") == "/":
                # the sequence is configuration; any requester numbers a request
                vals["name"] = self.env["ir.sequence"].sudo().next_by_code(
                    self._meddev_sequence_code
                ) or self.env._("New")
        return super().create(vals_list)

    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        refusal = super()._meddev_refusal(
            action, permissions, logs, user, signature=signature
        )
        if not refusal and action == "approve" and user == self.user_id:
            return UserError(
                self.env._(
                    "%(user)s may not approve %(request)s, which concerns "
                    "%(user)s: segregation of duties.",
                    user=user.name,
                    request=self.display_name,
                )
            )
        return refusal
