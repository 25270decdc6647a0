from odoo import api, fields, models
from odoo.exceptions import UserError

from .meddev_outsourcing_process_record import RECORDING_STATES


class MeddevOutsourcingJobDocument(models.Model):
    """A record the supplier returns with the lot (CoC, sterilization
    certificate, cycle chart), uploaded on the portal or by our staff. Kept:
    a document is replaced by uploading another, never deleted after the lot's
    release."""

    _name = "meddev.outsourcing.job.document"
    _description = "Outsourcing Job Document"
    _inherit = ["meddev.supplier.scope.mixin", "meddev.audit.mixin"]
    _order = "job_id, id"
    _meddev_supplier_field = "partner_id"
    _meddev_portal_fields = (
        "job_id",
        "name",
        "code",
        "datas",
        "filename",
        "create_date",
    )
    _meddev_portal_write_fields = ("job_id", "name", "code", "datas", "filename")

    # evidence: never deleted with its job (only a draft job is deleted, and
    # a draft job has no record nor document yet)
    job_id = fields.Many2one(
        "meddev.outsourcing.job", required=True, index=True, ondelete="restrict"
    )
    partner_id = fields.Many2one(
        related="job_id.partner_id", store=True, precompute=True
    )
    company_id = fields.Many2one(
        related="job_id.company_id", store=True, precompute=True
    )
    name = fields.Char(required=True)
    code = fields.Selection(
        selection=lambda self: self.env["meddev.process.spec.document"]
        ._fields["code"]
        ._description_selection(self.env),
        string="Kind",
        required=True,
        default="coc",
    )
    datas = fields.Binary(string="File", attachment=True, required=True)
    filename = fields.Char()
    attachment_id = fields.Many2one("ir.attachment", compute="_compute_attachment_id")

    def _compute_attachment_id(self):
        # the file's attachment is looked up whatever the reader may list
        attachments = (
            self.env["ir.attachment"]
            .sudo()
            .search(
                [
                    ("res_model", "=", self._name),
                    ("res_id", "in", self.ids),
                    ("res_field", "=", "datas"),
                ]
            )
        )
        by_record = {attachment.res_id: attachment for attachment in attachments}
        for document in self:
            document.attachment_id = by_record.get(document.id, False)

    def _split_values(self):
        self.ensure_one()
        return {
            "name": self.name,
            "code": self.code,
            "datas": self.datas,
            "filename": self.filename,
        }

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_portal_check_create(vals_list)
        jobs = self.env["meddev.outsourcing.job"].browse(
            {vals["job_id"] for vals in vals_list if vals.get("job_id")}
        )
        open_states = (*RECORDING_STATES, "sent")
        # the job's state decides, whatever the uploader may read of it
        closed = jobs.sudo().filtered(lambda job: job.state not in open_states)
        if closed and not self.env.su:
            raise UserError(
                self.env._(
                    "Documents are attached to %(jobs)s while it is at the supplier "
                    "or returned, not after its release or rejection.",
                    jobs=", ".join(closed.mapped("name")),
                )
            )
        return super().create(vals_list)

    def write(self, vals):
        if not self.env.su:
            raise UserError(
                self.env._("An uploaded document is kept as it is: upload a new one.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(
            self.env._("An uploaded document is evidence: it is never deleted.")
        )
