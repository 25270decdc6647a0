import hashlib
import json
import logging
from datetime import timedelta

from lxml import etree

from odoo import api, fields, models
from odoo.exceptions import AccessDenied, AccessError, UserError
from odoo.tools import SQL, str2bool

_logger = logging.getLogger(__name__)

DEFAULT_MAX_FAILURES = 3
DEFAULT_WINDOW_MINUTES = 15
# set in the cursor's cache (never in the context an RPC caller controls)
SIGNED_KEY = "meddev_signed_steps"


class MeddevSignatureMixin(models.AbstractModel):
    """Opt-in electronic signatures (21 CFR 11.50, 11.70, 11.100, 11.200,
    11.300) for an audited model.

    A workflow step that needs a signature is a ``meddev.signature.rule``
    (model, step, meaning, roles, optionally the state it leads to). The form's
    button calls ``action_meddev_sign`` with the step in its context; the dialog
    re-asks the password (and the 2FA code when the user has one) and calls
    ``_meddev_sign``, which checks everything again on the server, records the
    signature bound to a digest of the signed content, and runs the model's
    ``_meddev_on_signed`` hook. Reaching a rule's target state any other way is
    refused.
    """

    _name = "meddev.signature.mixin"
    _inherit = ["meddev.audit.mixin"]
    _description = "Electronically Signed Record"

    # fields left out of the signed content besides the state field
    _signature_exclude_fields = ()

    signature_ids = fields.One2many(
        "meddev.signature",
        "res_id",
        string="Signatures",
        domain=lambda self: [("res_model", "=", self._name)],
        readonly=True,
    )
    signature_mismatch = fields.Boolean(
        string="Signed Content Changed",
        compute="_compute_signature_mismatch",
        help="The content was changed after it was signed.",
    )

    @api.depends("signature_ids")
    def _compute_signature_mismatch(self):
        for record in self:
            # whoever reads the record sees whether its signatures still match
            signatures = record.sudo().signature_ids
            record.signature_mismatch = bool(signatures) and not all(
                signatures.mapped("matches")
            )

    # ------------------------------------------------------------------
    # signed content
    # ------------------------------------------------------------------
    def _meddev_signed_fields(self):
        exclude = {self._audit_state_field, "signature_ids"}
        exclude.update(self._signature_exclude_fields)
        return [f for f in self._audit_fields() if f.name not in exclude]

    def _meddev_signed_content(self):
        self.ensure_one()
        fields_ = self._meddev_signed_fields()
        values = self._audit_values(fields_)[self.id]
        return {name: raw for name, (raw, _display) in sorted(values.items())}

    def _meddev_signed_content_hash(self, content=None):
        self.ensure_one()
        content = self._meddev_signed_content() if content is None else content
        text = "{},{}\n{}".format(
            self._name,
            self.id,
            json.dumps(
                content,
                sort_keys=True,
                ensure_ascii=False,
                separators=(",", ":"),
                default=str,
            ),
        )
        return hashlib.sha256(text.encode()).hexdigest()

    # ------------------------------------------------------------------
    # rules
    # ------------------------------------------------------------------
    def _meddev_signature_rule(self, action):
        # rules are configuration, enforced whatever the user may read
        rule = (
            self.env["meddev.signature.rule"]
            .sudo()
            .search([("model", "=", self._name), ("action", "=", action)], limit=1)
        )
        if not rule:
            raise UserError(
                self.env._(
                    "No electronic signature rule is configured for the step "
                    "%(action)s of %(model)s; ask your QMS administrator.",
                    action=action,
                    model=self._description,
                )
            )
        return rule

    def _meddev_user_may_sign(self, rule, user=None):
        user = user or self.env.user
        return bool(rule.group_ids & user.groups_id)

    def _meddev_2fa_refusal(self, user=None):
        """Why ``user`` may not sign for want of two-factor authentication,
        or None when the user may.

        2FA is required of every signer when the setting says so, else of the
        holders of a role marked *2FA Required to Sign* (held directly or
        through another role: ``groups_id`` holds the implied groups too).
        """
        user = user or self.env.user
        if user.totp_enabled:
            return None
        # system parameters are readable by administrators only
        required_of_all = str2bool(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("meddev_base.signature_require_2fa_all", "False"),
            default=False,
        )
        roles = user.groups_id.filtered("meddev_signature_requires_2fa")
        if not (required_of_all or roles):
            return None
        how = self.env._(
            "Enable it in My Profile → Account Security → Two-factor "
            "authentication, then sign again."
        )
        if roles:
            why = self.env._(
                "%(user)s may not sign without two-factor authentication: the "
                "role(s) %(roles)s require it.",
                user=user.name,
                roles=", ".join(roles.sorted("name").mapped("name")),
            )
        else:
            why = self.env._(
                "%(user)s may not sign without two-factor authentication: every "
                "signer must use it.",
                user=user.name,
            )
        return f"{why} {how}"

    # ------------------------------------------------------------------
    # signing
    # ------------------------------------------------------------------
    def action_meddev_sign(self):
        """Button: open the signing dialog for the step in the context."""
        self.ensure_one()
        action = self.env.context.get("meddev_sign_action")
        rule = self._meddev_signature_rule(action)
        if not self._meddev_user_may_sign(rule):
            raise AccessError(self._meddev_not_allowed_message(rule))
        refusal = self._meddev_2fa_refusal()
        if refusal:
            raise UserError(refusal)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Electronic Signature"),
            "res_model": "meddev.signature.wizard",
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": self._name,
                "default_res_id": self.id,
                "default_action": action,
            },
        }

    def _meddev_not_allowed_message(self, rule):
        return self.env._(
            "%(user)s may not sign %(step)s: it needs one of the roles %(roles)s.",
            user=self.env.user.name,
            step=rule.name,
            roles=", ".join(rule.group_ids.mapped("name")),
        )

    def _meddev_sign(self, action, password, totp_code=None, comment=None):
        """Re-authenticate the current user and sign ``action`` on the record.

        Every check is made here, whatever the client did before: the rule and
        the signer's roles, the signing lock, the password (and the 2FA code when
        the user has 2FA). A failure is recorded in the audit trail in its own
        transaction, so that it stays when the caller's transaction is rolled
        back; the third failure within the window locks the user's signing.
        """
        self.ensure_one()
        user = self.env.user
        rule = self._meddev_signature_rule(action)
        if user.meddev_signing_locked:
            raise UserError(
                self.env._(
                    "Your electronic signing is locked after repeated failed "
                    "attempts. A QMS administrator must unlock it."
                )
            )
        if not self._meddev_user_may_sign(rule):
            self._meddev_record_failure(action, "not allowed")
            raise AccessError(self._meddev_not_allowed_message(rule))
        refusal = self._meddev_2fa_refusal(user)
        if refusal:
            if self._meddev_record_failure(action, "no two-factor authentication"):
                refusal = "{} {}".format(
                    refusal,
                    self.env._(
                        "Your electronic signing is now locked; the QMS "
                        "administrators were told."
                    ),
                )
            raise UserError(refusal)
        try:
            user._check_credentials(
                {"type": "password", "password": password or ""},
                {"interactive": True},
            )
            if "totp_enabled" in user._fields and user.totp_enabled:
                if not totp_code:
                    raise AccessDenied(
                        self.env._("Enter the code of your authenticator app.")
                    )
                user._totp_check(int(totp_code))
        except (AccessDenied, ValueError):
            locked = self._meddev_record_failure(action, "wrong credentials")
            if locked:
                raise UserError(
                    self.env._(
                        "Wrong password or code. Your electronic signing is now "
                        "locked; the QMS administrators were told."
                    )
                ) from None
            raise AccessDenied(
                self.env._("Wrong password or code: the signature was refused.")
            ) from None

        content = self._meddev_signed_content()
        content_hash = self._meddev_signed_content_hash(content)
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO meddev_signature (res_model, res_id, res_name, action,
                    signer_id, signer_login, printed_name, meaning, comment,
                    signed_at, content_hash, signed_content, totp_used, company_id)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,
                    (clock_timestamp() AT TIME ZONE 'UTC'), %s, %s::jsonb, %s, %s)
                RETURNING id
                """,
                self._name,
                self.id,
                self.sudo().display_name,  # the name as signed, in full
                action,
                user.id,
                user.login,
                user.name,
                rule.meaning,
                comment or None,
                content_hash,
                json.dumps(content, ensure_ascii=False, default=str),
                bool(totp_code),
                self._meddev_signature_company(),
            )
        )
        signature = self.env["meddev.signature"].browse(self.env.cr.fetchone()[0])
        meanings = dict(
            self.env["meddev.signature"]
            ._fields["meaning"]
            ._description_selection(self.env)
        )
        self.env["meddev.audit.entry"]._log_event(
            self,
            "sign",
            reason=comment,
            changes=[
                {
                    "field": "signature",
                    "label": self.env._("Signature"),
                    "old": False,
                    "new": signature.id,
                    "old_display": "",
                    "new_display": (
                        f"{user.name}: {meanings[rule.meaning]} ({rule.name})"
                    ),
                }
            ],
        )
        self.invalidate_recordset(["signature_ids"])
        self.env.cr.cache.setdefault(SIGNED_KEY, set()).add(
            (self._name, self.id, action)
        )
        try:
            self._meddev_on_signed(action, signature)
        finally:
            self.env.cr.cache[SIGNED_KEY].discard((self._name, self.id, action))
        return signature

    def _meddev_signature_company(self):
        """The company id the signature of this record is read in, or None
        (a record of no company: readable per the signature access rules)."""
        self.ensure_one()
        if "company_id" not in self._fields:
            return None
        # the company is recorded whatever the signer may read of the record
        return self.sudo().company_id.id or None

    def _meddev_on_signed(self, action, signature):
        """Hook: what the signed step does (e.g. move to the target state)."""
        rule = self._meddev_signature_rule(action)
        if rule.target_state:
            self.with_context(audit_reason=signature.comment or rule.name).write(
                {self._audit_state_field: rule.target_state}
            )

    def _meddev_record_failure(self, action, why):
        """Record a failed attempt in its own committed transaction; lock the
        user's signing at the limit. Returns whether the user is now locked."""
        # system parameters are readable by administrators only
        params = self.env["ir.config_parameter"].sudo()
        limit = int(
            params.get_param("meddev_base.signature_max_failures", DEFAULT_MAX_FAILURES)
        )
        window = int(
            params.get_param(
                "meddev_base.signature_window_minutes", DEFAULT_WINDOW_MINUTES
            )
        )
        uid = self.env.uid
        # read here: the record may be new in the caller's transaction
        name = self.sudo().display_name
        company = self.company_id.id if "company_id" in self._fields else None
        with self.env.registry.cursor() as cr:
            cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
            env = api.Environment(cr, uid, self.env.context)
            Entry = env["meddev.audit.entry"]
            Entry._insert_rows(
                [
                    (
                        uid,
                        env.user.login,
                        self._name,
                        self.id,
                        name,
                        "sign_failed",
                        [],
                        env._("Step %(action)s: %(why)s", action=action, why=why),
                        company or None,
                    )
                ]
            )
            since = fields.Datetime.now() - timedelta(minutes=window)
            cr.execute(
                SQL(
                    """SELECT count(*) FROM meddev_audit_entry
                        WHERE user_id = %s AND operation = 'sign_failed'
                          AND timestamp >= %s
                          AND timestamp > coalesce((
                              SELECT max(timestamp) FROM meddev_audit_entry
                               WHERE res_model = 'res.users' AND res_id = %s
                                 AND operation = 'sign_unlocked'), '-infinity')""",
                    uid,
                    since,
                    uid,
                )
            )
            failures = cr.fetchone()[0]
            _logger.warning(
                "meddev signature: failed attempt %s/%s by uid %s on %s,%s (%s)",
                failures,
                limit,
                uid,
                self._name,
                self.id,
                why,
            )
            if failures < limit:
                return False
            user = env.user.sudo()  # the lock flag is not writable by users
            user.meddev_signing_locked = True
            Entry._log_event(
                user,
                "sign_locked",
                reason=env._(
                    "%(count)s failed signature attempts within %(minutes)s minutes",
                    count=failures,
                    minutes=window,
                ),
            )
            officers = env.ref("meddev_base.group_meddev_admin").users
            # the notification goes to officers the signer may not read
            env["mail.thread"].sudo().message_notify(
                partner_ids=officers.partner_id.ids,
                subject=env._("Electronic signing locked: %(user)s", user=user.name),
                body=env._(
                    "%(user)s failed to sign %(count)s times within %(minutes)s "
                    "minutes (last on %(record)s). Signing is locked until a QMS "
                    "administrator unlocks it from the user's form.",
                    user=user.name,
                    count=failures,
                    minutes=window,
                    record=name,
                ),
            )
            return True

    # ------------------------------------------------------------------
    # guard: a target state only through its signature
    # ------------------------------------------------------------------
    def write(self, vals):
        state_field = self._audit_state_field
        if self and state_field in vals:
            # rules are configuration, enforced whatever the user may read
            rules = (
                self.env["meddev.signature.rule"]
                .sudo()
                .search(
                    [
                        ("model", "=", self._name),
                        ("target_state", "=", vals[state_field]),
                    ]
                )
            )
            signed = self.env.cr.cache.get(SIGNED_KEY, set())
            for rule in rules:
                unsigned = [
                    r for r in self if (self._name, r.id, rule.action) not in signed
                ]
                if unsigned and any(
                    r[state_field] != rule.target_state for r in unsigned
                ):
                    raise UserError(
                        self.env._(
                            "%(records)s can reach this state only by the electronic "
                            "signature %(step)s.",
                            records=", ".join(r.display_name for r in unsigned),
                            step=rule.name,
                        )
                    )
        return super().write(vals)

    # ------------------------------------------------------------------
    # form: signatures and the warning when signed content changed
    # ------------------------------------------------------------------
    @api.model
    def _get_view(self, view_id=None, view_type="form", **options):
        arch, view = super()._get_view(view_id, view_type, **options)
        sheet = arch.xpath("//sheet")
        if (
            view_type != "form"
            or not sheet
            or arch.xpath("//field[@name='signature_ids']")
        ):
            return arch, view
        alert = etree.Element(
            "div",
            {
                "class": "alert alert-danger o_meddev_signature_mismatch",
                "role": "alert",
                "invisible": "not signature_mismatch",
            },
        )
        alert.text = self.env._(
            "The content of this record changed after it was signed: a signature "
            "no longer matches."
        )
        sheet[0].insert(0, alert)
        etree.SubElement(
            sheet[0], "field", {"name": "signature_mismatch", "invisible": "1"}
        )
        separator = etree.SubElement(
            sheet[0], "separator", {"string": self.env._("Electronic Signatures")}
        )
        separator.tail = None
        signatures = etree.SubElement(
            sheet[0],
            "field",
            {"name": "signature_ids", "readonly": "1", "nolabel": "1"},
        )
        listing = etree.SubElement(signatures, "list", {"create": "0", "delete": "0"})
        for name, extra in (
            ("printed_name", {}),
            ("meaning", {}),
            ("signed_at", {}),
            ("comment", {}),
            ("matches", {"widget": "boolean"}),
        ):
            etree.SubElement(listing, "field", {"name": name, **extra})
        return arch, view
