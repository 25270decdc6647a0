from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevProcessSpecDocument(models.Model):
    """A record the supplier returns with each lot processed to the
    specification (CoC, sterilization certificate, cycle chart): the lot is
    released only when every required one is attached to its job."""

    _name = "meddev.process.spec.document"
    _description = "Process Specification Required Record"
    _inherit = ["meddev.audit.mixin"]
    _order = "spec_id, sequence, id"

    spec_id = fields.Many2one(
        "meddev.process.spec",
        string="Specification",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Record", required=True, translate=True)
    code = fields.Selection(
        [
            ("coc", "Certificate of Conformance (CoC)"),
            ("sterilization_certificate", "Sterilization Certificate"),
            ("cycle_chart", "Cycle Chart / Batch Record"),
            ("test_report", "Test Report"),
            ("other", "Other"),
        ],
        string="Kind",
        required=True,
        default="coc",
    )
    required = fields.Boolean(default=True)

    @api.model_create_multi
    def create(self, vals_list):
        specs = self.env["meddev.process.spec"].browse(
            {vals.get("spec_id") for vals in vals_list if vals.get("spec_id")}
        )
        self.env["meddev.process.spec.parameter"]._check_spec_draft(specs)
        return super().create(vals_list)

    def write(self, vals):
        self.env["meddev.process.spec.parameter"]._check_spec_draft(self.spec_id)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.spec_id.filtered(lambda spec: spec.state != "draft"):
            raise UserError(
                self.env._("The required records of a submitted version are fixed.")
            )
