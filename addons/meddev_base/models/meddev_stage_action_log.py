from collections import defaultdict

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

    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The company of the record (empty: a record of no company). Read in "
        "that company only.",
    )

    def init(self):
        make_append_only(self.env.cr, self._table)

    @api.model_create_multi
    def create(self, vals_list):
        companies = self._meddev_record_companies(vals_list)
        for vals in vals_list:
            if "company_id" not in vals:
                vals["company_id"] = companies.get((vals["res_model"], vals["res_id"]))
        return super().create(vals_list)

    @api.model
    def _meddev_record_companies(self, vals_list):
        """{(model, id): company id} of the records the logs are about, read
        with one query per document type."""
        ids_by_model = defaultdict(set)
        for vals in vals_list:
            ids_by_model[vals["res_model"]].add(vals["res_id"])
        result = {}
        for model, ids in ids_by_model.items():
            if model not in self.env or "company_id" not in self.env[model]._fields:
                continue
            # the company is recorded whatever the actor may read of the record
            records = self.env[model].sudo().browse(ids).exists()
            result.update({(model, r.id): r.company_id.id or False for r in records})
        return result

    def write(self, vals):  # pylint: disable=method-required-super
        # append-only: refusing is the point, there is no super() to call
        raise UserError(self.env._("The stage action log cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("The stage action log cannot be deleted."))

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("The stage action log cannot be copied."))
