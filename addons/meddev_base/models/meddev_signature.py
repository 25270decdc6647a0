from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

from .meddev_audit_checkpoint import make_append_only

MEANINGS = [
    ("authored", "Authored"),
    ("reviewed", "Reviewed"),
    ("approved", "Approved"),
    ("released", "Released"),
    ("rejected", "Rejected"),
    ("revoked", "Revoked"),
]


class MeddevSignature(models.Model):
    """An electronic signature (21 CFR 11.50, 11.70): who signed what, when, and
    what the signature means, bound to a digest of the signed content.

    Append-only like the audit trail. Created only by
    ``meddev.signature.mixin._meddev_sign`` after re-authentication; no access
    right lets anyone create, change or delete one.
    """

    _name = "meddev.signature"
    _inherit = ["meddev.record.access.mixin"]
    _description = "Electronic Signature"
    _order = "signed_at desc, id desc"
    _log_access = False
    _rec_name = "printed_name"

    res_model = fields.Char(string="Model", required=True, readonly=True, index=True)
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", required=True, readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    action = fields.Char(
        readonly=True, help="The step of the record's workflow this signature made."
    )
    signer_id = fields.Many2one(
        "res.users", required=True, readonly=True, ondelete="restrict"
    )
    signer_login = fields.Char(readonly=True)
    printed_name = fields.Char(
        required=True, readonly=True, help="The signer's full name when signing."
    )
    meaning = fields.Selection(MEANINGS, required=True, readonly=True)
    comment = fields.Text(readonly=True)
    signed_at = fields.Datetime(string="Signed at (UTC)", required=True, readonly=True)
    signed_at_local = fields.Char(
        string="Signed at (Local Time)",
        compute="_compute_signed_at_local",
        help="The signing time in the reader's time zone.",
    )
    content_hash = fields.Char(
        string="Signed Content Digest",
        required=True,
        readonly=True,
        help="SHA-256 of the record's signed content when it was signed.",
    )
    prior_content_hash = fields.Char(
        string="Digest Before the Step",
        readonly=True,
        help="SHA-256 of the record's signed content just before the signed "
        "step ran: an earlier signature still matches when it equals this.",
    )
    content_scheme = fields.Integer(
        string="Signed Content Scheme",
        readonly=True,
        help="How the signed content was chosen (empty: 1, before computed "
        "fields were left out).",
    )
    signed_content = fields.Json(readonly=True)
    totp_used = fields.Boolean(string="Two-factor Code Given", readonly=True)
    company_id = fields.Many2one(
        "res.company",
        readonly=True,
        index=True,
        ondelete="restrict",
        help="The company of the signed record (empty: a record of no company). "
        "Read in that company only.",
    )
    matches = fields.Boolean(
        string="Matches Content",
        compute="_compute_matches",
        help="False once the signed content of the record has changed since.",
    )

    def init(self):
        make_append_only(self.env.cr, self._table)
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS meddev_signature_record_idx "
                "ON meddev_signature (res_model, res_id)"
            )
        )

    @api.depends("signed_at")
    @api.depends_context("tz")
    def _compute_signed_at_local(self):
        for signature in self:
            local = signature.signed_at and fields.Datetime.context_timestamp(
                signature, signature.signed_at
            )
            signature.signed_at_local = (
                local.strftime("%Y-%m-%d %H:%M:%S %Z") if local else False
            )

    @api.depends("content_hash")
    def _compute_matches(self):
        """A signature matches while the record's content is what it signed:
        the content before the next signature's step (which that signature
        recorded), or, for the last signature, the content now."""
        records = self._signed_records()
        following = self._following_signatures()
        for signature in self:
            record = records.get((signature.res_model, signature.res_id))
            scheme = signature.content_scheme or 1
            later = following.get(signature.id)
            if not record:
                signature.matches = False
            elif later and later.prior_content_hash and later.content_scheme == scheme:
                signature.matches = later.prior_content_hash == signature.content_hash
            else:
                # the digest covers fields the reader may not be allowed to read
                signature.matches = (
                    record.sudo()._meddev_signed_content_hash(scheme=scheme)
                    == signature.content_hash
                )

    def _signed_records(self):
        """{(model, id): record} of the existing records signed, one existence
        check per document type."""
        result = {}
        for model in set(self.mapped("res_model")):
            if model not in self.env or not hasattr(
                self.env[model], "_meddev_signed_content_hash"
            ):
                continue
            ids = self.filtered(lambda s, m=model: s.res_model == m).mapped("res_id")
            for record in self.env[model].browse(ids).exists():
                result[(model, record.id)] = record
        return result

    def _following_signatures(self):
        """{signature id: the next signature of the same record}."""
        domain = [("res_model", "in", list(set(self.mapped("res_model"))))]
        domain.append(("res_id", "in", list(set(self.mapped("res_id")))))
        # the chain is read whatever the reader may read of it
        siblings = self.sudo().search(domain, order="signed_at, id")
        result, last = {}, {}
        for signature in siblings:
            key = (signature.res_model, signature.res_id)
            if key in last:
                result[last[key].id] = signature
            last[key] = signature
        return result

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # only the signing method creates signatures, with raw SQL
        raise UserError(self.env._("Signatures are made with the signing dialog only."))

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Electronic signatures cannot be changed."))

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("Electronic signatures cannot be deleted."))

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("Electronic signatures cannot be copied."))
