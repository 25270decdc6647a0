from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError, ValidationError

from odoo.addons.meddev_base.models.meddev_supplier_scope_mixin import (
    portal_restricted,
)

REVIEWER_GROUP = "meddev_base.group_meddev_qa_engineer"


class MeddevSupplierCertificate(models.Model):
    """A renewed certificate the supplier uploads on the portal is *pending
    review*: archived, so that nothing (qualifications, approved supplier
    list, expiry check) counts it, until a QA engineer accepts it (it becomes
    the certificate in force; the one it renews is archived, superseded) or
    rejects it with a reason the supplier reads. Recorded in the audit trail
    and the chatter of both certificates."""

    _inherit = "meddev.supplier.certificate"

    review_state = fields.Selection(
        [
            ("accepted", "Accepted"),
            ("pending", "Pending Review"),
            ("rejected", "Rejected"),
        ],
        string="Review",
        required=True,
        readonly=True,
        copy=False,
        index=True,
        tracking=True,
        default=lambda self: "pending" if portal_restricted(self) else "accepted",
        help="Pending review: uploaded by the supplier on the portal; not in "
        "force until QA accepts it.",
    )
    # a supplier's upload is not in force until accepted
    active = fields.Boolean(default=lambda self: not portal_restricted(self))
    renewal_of_id = fields.Many2one(
        "meddev.supplier.certificate",
        string="Renews",
        readonly=True,
        copy=False,
        index=True,
        context={"active_test": False},
        help="The certificate this one renews: superseded once QA accepts it.",
    )
    superseded_by_id = fields.Many2one(
        "meddev.supplier.certificate",
        string="Superseded by",
        readonly=True,
        copy=False,
        context={"active_test": False},
    )
    review_comment = fields.Text(
        copy=False,
        help="Why QA rejects the supplier's upload: the supplier reads it on "
        "the portal.",
    )

    @api.constrains("renewal_of_id", "partner_id")
    def _check_renewal_supplier(self):
        # the suppliers are compared whatever the user reads of the renewed
        # certificate (a portal user naming another supplier's is refused)
        for certificate in self.sudo():
            renewed = certificate.renewal_of_id
            if not renewed:
                continue
            if renewed.meddev_supplier_id != certificate.meddev_supplier_id:
                raise ValidationError(
                    self.env._("A certificate renews one of its own supplier only.")
                )
            if renewed.review_state != "accepted":
                raise ValidationError(
                    self.env._(
                        "A certificate renews a certificate QA accepted, not "
                        "an upload under or after review."
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_portal_check_create(vals_list)
        certificates = super().create(vals_list)
        pending = certificates.filtered(lambda c: c.review_state == "pending")
        missing = pending.filtered(lambda c: not c.attachment)
        if missing:
            raise ValidationError(
                self.env._("Attach the renewed certificate (PDF) to submit it.")
            )
        pending._notify_renewal_submitted()
        return certificates

    def write(self, vals):
        if "review_state" in vals:
            self._check_reviewer()
        return super().write(vals)

    # ------------------------------------------------------------------
    # review
    # ------------------------------------------------------------------
    def _check_reviewer(self):
        if self.env.su or self.env.user.has_group(REVIEWER_GROUP):
            return
        raise AccessError(
            self.env._(
                "Only a QA engineer or above accepts or rejects a certificate "
                "the supplier submitted."
            )
        )

    def _check_pending(self):
        done = self.filtered(lambda c: c.review_state != "pending")
        if done:
            raise UserError(
                self.env._(
                    "%(certificates)s is not pending review.",
                    certificates=", ".join(done.mapped("display_name")),
                )
            )

    def _notify_renewal_submitted(self):
        """Tell QA (a note and a to-do per QA manager) and note the upload on
        the certificate it renews."""
        self._meddev_notify_qa_managers(
            self.env._("Review the certificate the supplier submitted"),
            self.env._(
                "Submitted by the supplier on the portal (%(user)s), pending "
                "review: not in force until QA accepts it.",
                user=self.env.user.name,
            ),
        )
        # the supplier does not post on our chatter: the server notes it
        for certificate in self.sudo().filtered("renewal_of_id"):
            certificate.renewal_of_id.message_post(
                body=self.env._(
                    "The supplier submitted a renewal: %(certificate)s, pending "
                    "review.",
                    certificate=certificate.display_name,
                ),
                subtype_xmlid="mail.mt_note",
            )

    def action_accept_renewal(self):
        """The supplier's upload becomes the certificate in force; the one it
        renews is archived, superseded by it."""
        self._check_reviewer()
        self._check_pending()
        self.write({"review_state": "accepted", "active": True})
        for certificate in self:
            renewed = certificate.renewal_of_id
            if renewed:
                renewed.write({"active": False, "superseded_by_id": certificate.id})
                renewed.message_post(
                    body=self.env._(
                        "Superseded by %(certificate)s, accepted by %(user)s.",
                        certificate=certificate.display_name,
                        user=self.env.user.name,
                    ),
                    subtype_xmlid="mail.mt_note",
                )
            certificate.message_post(
                body=self.env._("Accepted by %(user)s.", user=self.env.user.name),
                subtype_xmlid="mail.mt_note",
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True

    def action_reject_renewal(self):
        """Refuse the supplier's upload with the reason (the review comment);
        it stays out of force."""
        self._check_reviewer()
        self._check_pending()
        missing = self.filtered(lambda c: not (c.review_comment or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Say in the review comment why %(certificates)s is rejected: "
                    "the supplier reads it.",
                    certificates=", ".join(missing.mapped("display_name")),
                )
            )
        self.write({"review_state": "rejected"})
        for certificate in self:
            certificate.message_post(
                body=self.env._(
                    "Rejected by %(user)s: %(reason)s",
                    user=self.env.user.name,
                    reason=certificate.review_comment,
                ),
                subtype_xmlid="mail.mt_note",
            )
        self.activity_feedback(["mail.mail_activity_data_todo"])
        return True
