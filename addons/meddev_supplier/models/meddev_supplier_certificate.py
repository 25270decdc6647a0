from datetime import timedelta

from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools import format_date
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# days before expiry at which the QA managers are alerted, largest first
# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)


ALERT_THRESHOLDS = (90, 30, 0)
EXPIRING_DAYS = ALERT_THRESHOLDS[0]
EXPIRY_ACTIONS = ("conditional", "suspended")
DEFAULT_EXPIRY_ACTION = "conditional"
# written by the daily check, by nobody else
SYSTEM_FIELDS = ("last_alert_threshold", "expiry_processed")


class MeddevSupplierCertificate(models.Model):
    """A supplier's certificate or licence (资质证书): ISO 13485 certificate,
    business licence, medical device manufacturing licence, sterilization
    validation report, quality agreement.

    Its status (valid, expiring within 90 days, expired) is refreshed by a
    daily scheduled action, which also gives the QA managers a to-do and an
    alert in the chatter, mailed to them, 90, 30 and 0 days before expiry (once
    per threshold) and, once the certificate
    expired, drops the supplier's qualifications it covers to conditional or
    suspended (system parameter ``meddev_supplier.expiry_action``), unless
    another certificate of the same type, in force (active, not expired),
    still covers them.
    """

    _name = "meddev.supplier.certificate"
    _description = "Supplier Certificate"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.audit.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "expiry_date, id"
    _rec_name = "number"
    # what the supplier gives when it uploads a renewed certificate
    _meddev_portal_write_fields = (
        "partner_id",
        "cert_type",
        "number",
        "issuer",
        "issue_date",
        "expiry_date",
        "attachment",
        "attachment_filename",
        "scope_ids",
        "renewal_of_id",
    )
    # the supplier's own certificate data and its review; not the internal
    # expiry alerts
    _meddev_portal_fields = (
        *_meddev_portal_write_fields,
        "state",
        "days_to_expiry",
        "review_state",
        "review_comment",
    )

    cert_type = fields.Selection(
        [
            ("iso13485", "ISO 13485 certificate"),
            ("business_licence", "Business licence"),
            ("mfg_licence", "Medical device manufacturing licence"),
            ("sterilization_validation", "Sterilization validation report"),
            ("quality_agreement", "Quality agreement"),
            ("other", "Other"),
        ],
        string="Type",
        required=True,
        tracking=True,
    )
    number = fields.Char(required=True, tracking=True)
    issuer = fields.Char(help="Certification body or authority, e.g. TÜV SÜD.")
    issue_date = fields.Date(tracking=True)
    expiry_date = fields.Date(tracking=True, index=True, help="Empty: does not expire.")
    attachment = fields.Binary(attachment=True)
    attachment_filename = fields.Char(string="File Name")
    scope_ids = fields.Many2many(
        "meddev.supplier.scope",
        string="Scopes Covered",
        help="The qualification scopes the certificate supports. Empty: every "
        "scope of the supplier.",
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("valid", "Valid"),
            ("expiring", "Expiring"),
            ("expired", "Expired"),
        ],
        compute="_compute_state",
        store=True,
        precompute=True,
        index=True,
        help="Expiring: within 90 days. Refreshed daily.",
    )
    days_to_expiry = fields.Integer(compute="_compute_days_to_expiry")
    last_alert_threshold = fields.Integer(
        string="Last Expiry Alert (days)",
        default=-1,
        readonly=True,
        copy=False,
        help="The last threshold (90, 30, 0 days before expiry) at which the QA "
        "managers were alerted; -1: none yet.",
    )
    expiry_processed = fields.Boolean(
        readonly=True,
        copy=False,
        help="The expiry was applied to the supplier's qualifications.",
    )
    active = fields.Boolean(default=True)

    @api.depends("expiry_date")
    def _compute_state(self):
        today = fields.Date.context_today(self)
        for certificate in self:
            expiry = certificate.expiry_date
            if not expiry or expiry > today + timedelta(days=EXPIRING_DAYS):
                certificate.state = "valid"
            elif expiry >= today:
                certificate.state = "expiring"
            else:
                certificate.state = "expired"

    @api.depends("expiry_date")
    def _compute_days_to_expiry(self):
        today = fields.Date.context_today(self)
        for certificate in self:
            expiry = certificate.expiry_date
            certificate.days_to_expiry = (expiry - today).days if expiry else 0

    @api.constrains("issue_date", "expiry_date")
    def _check_dates(self):
        for certificate in self:
            if (
                certificate.issue_date
                and certificate.expiry_date
                and certificate.expiry_date < certificate.issue_date
            ):
                raise ValidationError(
                    self.env._(
                        "Certificate %(number)s expires before it was issued.",
                        number=certificate.number,
                    )
                )

    @api.depends("number", "cert_type", "partner_id")
    def _compute_display_name(self):
        types = dict(self._fields["cert_type"]._description_selection(self.env))
        for certificate in self:
            certificate.display_name = "{} {}".format(
                types.get(certificate.cert_type, ""), certificate.number or ""
            ).strip()

    def write(self, vals):
        if not self.env.su and any(name in vals for name in SYSTEM_FIELDS):
            raise UserError(
                self.env._(
                    "The expiry alerts and their effect on the qualifications are "
                    "recorded by the server only."
                )
            )
        if "expiry_date" in vals:
            # a renewed certificate is alerted and applied again at its new expiry
            vals = dict(vals, last_alert_threshold=-1, expiry_processed=False)
        return super().write(vals)

    # ------------------------------------------------------------------
    # daily check
    # ------------------------------------------------------------------
    @api.model
    def _expiry_action(self):
        # system parameters are readable by administrators only
        action = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("meddev_supplier.expiry_action", DEFAULT_EXPIRY_ACTION)
        )
        return action if action in EXPIRY_ACTIONS else DEFAULT_EXPIRY_ACTION

    @api.model
    def _cron_check_expiry(self):
        """Refresh the status, alert the QA managers at 90, 30 and 0 days
        before expiry, and apply expired certificates to the qualifications."""
        # the scheduled check sees and updates every supplier's certificates,
        # whoever runs it
        certificates = self.sudo().search([("expiry_date", "!=", False)])
        self.env.add_to_compute(self._fields["state"], certificates)
        certificates.flush_recordset(["state"])
        certificates._alert_expiry()
        certificates.filtered(
            lambda c: c.state == "expired" and not c.expiry_processed
        )._apply_expiry()
        return True

    def _alert_expiry(self):
        """One to-do per QA manager and one alert (mailed) at the smallest
        threshold reached, once."""
        today = fields.Date.context_today(self)
        managers = self.env.ref("meddev_base.group_meddev_qa_manager").users.filtered(
            lambda user: user.active and not user.share
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        activities = []
        alerted = {}
        for certificate in self:
            days = (certificate.expiry_date - today).days
            reached = [t for t in ALERT_THRESHOLDS if days <= t]
            if not reached:
                continue
            threshold = reached[-1]
            last = certificate.last_alert_threshold
            if last != -1 and last <= threshold:
                continue
            alerted.setdefault(threshold, self.browse())
            alerted[threshold] |= certificate
            if days > 0:
                summary = self.env._(
                    "Certificate expires in %(days)s days: %(certificate)s",
                    days=days,
                    certificate=certificate.display_name,
                )
            else:
                summary = self.env._(
                    "Certificate expired: %(certificate)s",
                    certificate=certificate.display_name,
                )
            note = self.env._(
                "%(certificate)s of %(supplier)s expires on %(date)s. Obtain the "
                "renewed certificate and record its new expiry date.",
                certificate=certificate.display_name,
                supplier=certificate.partner_id.display_name,
                date=certificate.expiry_date,
            )
            activities += [
                {
                    "res_model_id": model_id,
                    "res_id": certificate.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager.id,
                    "summary": summary,
                    "note": note,
                    "date_deadline": today,
                }
                for manager in managers
            ]
        # the scheduler assigns the to-dos to the QA managers; Odoo's generic
        # "assigned to you" mail is left out: the alert below is the mail
        self.env["mail.activity"].sudo().with_context(
            mail_activity_quick_update=True
        ).create(activities)
        for threshold, certificates in alerted.items():
            # which alert was given is recorded by the server
            certificates.sudo().write({"last_alert_threshold": threshold})
        self.browse().union(*alerted.values())._notify_expiry(managers)

    def _notify_expiry(self, managers):
        """Post the expiry alert on each certificate as an internal note to the
        QA managers: in the chatter, and mailed to those who take their
        notifications by email (in Odoo's inbox for the others), in each
        manager's language. The mails are queued for the mail queue."""
        if not self or not managers:
            return
        today = fields.Date.context_today(self)
        # OdooBot signs the alert, so that a QA manager running the check is
        # notified too (an author is not notified of their own message)
        author = self.env.ref("base.partner_root")
        note = self.env.ref("mail.mt_note")
        for lang, users in managers.grouped("lang").items():
            # the scheduled check posts on every supplier's certificates
            certificates = self.sudo().with_context(
                lang=lang or self.env.lang, mail_notify_force_send=False
            )
            for certificate in certificates:
                env = certificate.env
                days = (certificate.expiry_date - today).days
                if days > 0:
                    subject = env._(
                        "Certificate expires in %(days)s days: %(certificate)s",
                        days=days,
                        certificate=certificate.display_name,
                    )
                elif days == 0:
                    subject = env._(
                        "Certificate expires today: %(certificate)s",
                        certificate=certificate.display_name,
                    )
                else:
                    subject = env._(
                        "Certificate expired: %(certificate)s",
                        certificate=certificate.display_name,
                    )
                body = env._(
                    "%(certificate)s of %(supplier)s expires on %(date)s. Obtain "
                    "the renewed certificate and record its new expiry date; "
                    "the supplier's qualifications it covers are dropped once it "
                    "has expired.",
                    certificate=certificate.display_name,
                    supplier=certificate.partner_id.display_name,
                    date=format_date(env, certificate.expiry_date),
                )
                certificate.message_post(
                    subject=subject,
                    body=body,
                    author_id=author.id,
                    partner_ids=users.partner_id.ids,
                    subtype_id=note.id,
                    message_type="notification",
                )
        # the mails are sent by the mail queue, run now rather than within the
        # hour (its triggers are the administrator's: the server asks it)
        self.env.ref("mail.ir_cron_mail_scheduler_action").sudo()._trigger()

    def _covers(self, qualification):
        """Whether the certificate supports the qualification."""
        self.ensure_one()
        return self.meddev_supplier_id == qualification.meddev_supplier_id and (
            not self.scope_ids or qualification.scope_id in self.scope_ids
        )

    def _other_valid_certificates(self):
        """The suppliers' other certificates that are in force: active (not
        archived) and not expired."""
        today = fields.Date.context_today(self)
        # the scheduled check reads every supplier's certificates
        return self.sudo().search(
            [
                ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                ("id", "not in", self.ids),
                ("review_state", "=", "accepted"),
                "|",
                ("expiry_date", "=", False),
                ("expiry_date", ">=", today),
            ]
        )

    def _apply_expiry(self):
        """Drop the qualifications an expired certificate covers, unless
        another certificate of the same type, in force, still covers them
        (e.g. the renewed certificate recorded as a new one)."""
        if not self:
            return
        target = self._expiry_action()
        from_states = (
            ("qualified", "conditional") if target == "suspended" else ("qualified",)
        )
        # the server changes the status of the supplier's qualifications
        qualifications = (
            self.env["meddev.supplier.qualification"]
            .sudo()
            .search(
                [
                    ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                    ("state", "in", from_states),
                ]
            )
        )
        valid = self._other_valid_certificates()
        reasons = {}
        for qualification in qualifications:
            covering = self.filtered(
                lambda c, q=qualification: c._covers(q)
                and not valid.filtered(
                    lambda v, c=c, q=q: v.cert_type == c.cert_type and v._covers(q)
                )
            )
            if not covering:
                continue
            reason = system_reason(
                self.env,
                _lt(
                    "Certificate expired: %(certificates)s",
                    certificates=", ".join(
                        f"{c.display_name} ({c.expiry_date})" for c in covering
                    ),
                ),
            )
            reasons.setdefault(reason, qualifications.browse())
            reasons[reason] |= qualification
        for reason, records in reasons.items():
            # the scheduled check moves the state (the stage guard lets the
            # server do it), with the certificate as reason for change
            records.sudo().with_context(audit_reason=reason).write({"state": target})
        # recorded by the server: the expiry is applied once
        self.sudo().write({"expiry_processed": True})
