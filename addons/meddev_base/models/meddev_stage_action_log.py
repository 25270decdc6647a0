from odoo import api, fields, models
from odoo.exceptions import UserError

from .meddev_audit_checkpoint import make_append_only


class MeddevStageActionLog(models.Model):
    """Who did which controlled action on which record, when (append-only).

    Written by ``meddev.stage.permission.mixin._meddev_check_action`` only,
    after every check passed; read for segregation of duties and shown on the
    record. Readable with the record it is about.
    """

    _name = "meddev.stage.action.log"
    _inherit = ["meddev.record.access.mixin"]
    _description = "Stage Action Log"
    _order = "timestamp desc, id desc"
    _log_access = False
    _rec_name = "action_label"

    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    action = fields.Char(required=True, readonly=True)
    action_label = fields.Char(string="Action Done", readonly=True)
    user_id = fields.Many2one(
        "res.users", string="Done By", required=True, readonly=True, ondelete="restrict"
    )
    timestamp = fields.Datetime(
        string="Done at (UTC)",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )

    def init(self):
        make_append_only(self.env.cr, self._table)

    def write(self, vals):  # pylint: disable=method-required-super
        # append-only: refusing is the point, there is no super() to call
        raise UserError(self.env._("The stage action log cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The stage action log cannot be deleted."))

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("The stage action log cannot be copied."))
