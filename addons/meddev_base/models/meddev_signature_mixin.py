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
# how the signed content is chosen: 1 = every audited field but the state and
# the excluded ones; 2 = also without fields computed from others
SIGNATURE_SCHEME = 2
SCHEME_KEY = "meddev_signature_scheme"


def _derived_field(field):
    """A stored field computed from others that nobody edits: not part of
    what a signer decides."""
    return bool(field.compute) and field.readonly and not field.inverse


class MeddevSignatureMixin(models.AbstractModel):
    """Opt-in electronic signatures (21 CFR 11.50, 11.70, 11.100, 11.200,
    11.300) for an audited model.

    A workflow step that needs a signature is a ``meddev.signature.rule``
    (model, step, meaning, roles, optionally the state it leads to). The form's
    button calls ``action_meddev_sign`` with the step in its context; the dialog
    re-asks the password (and the 2FA code when the user has one) and calls
    ``_meddev_sign``, which checks everything again on the server, runs the
    step (``_meddev_signed_step``) and then records the signature bound to a
    digest of the signed content. Reaching a rule's target state any other way
    (create or write) is refused.

    What a signature covers, decided here for every model: the record's own
    content *after* the step it signs (so the step's own writes, such as an
    approval date, are signed too), that is every audited field except the
    state, the signatures, fields computed from others (not the signer's
    decision: a stored name follows a partner's renaming) and the model's
    ``_signature_exclude_fields``. Each signature also keeps the digest of the
    content just before its step, so that an earlier signature still matches
    when only later signed steps changed the record: signatures form a chain
    per record, and any change between two links, or after the last one,
    shows as *not matching*.
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
        scheme = self.env.context.get(SCHEME_KEY, SIGNATURE_SCHEME)
        return [
            field
            for field in self._audit_fields()
            if field.name not in exclude and (scheme < 2 or not _derived_field(field))
        ]

    def _meddev_signed_content(self):
        self.ensure_one()
        fields_ = self._meddev_signed_fields()
        values = self._audit_values(fields_)[self.id]
        return {name: raw for name, (raw, _display) in sorted(values.items())}

    def _meddev_signed_content_hash(self, content=None, scheme=SIGNATURE_SCHEME):
        """SHA-256 of the signed content (``scheme``: how the content is
        chosen; 1 for signatures made before the content excluded computed
        fields)."""
        self.ensure_one()
        if content is None:
            content = self.with_context(**{SCHEME_KEY: scheme})._meddev_signed_content()
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
        """Re-authenticate the current user, do the step ``action`` and sign it.

        Every check is made here, whatever the client did before: the rule and
        the signer's roles, the signing lock, the password (and the 2FA code when
        the user has 2FA). A failure is recorded in the audit trail in its own
        transaction, so that it stays when the caller's transaction is rolled
        back; the third failure within the window locks the user's signing.
        The step runs first (``_meddev_signed_step``), then the signature is
        recorded over the content as the step left it: a signature matches its
        record right after signing, whatever the step wrote.
        """
        self.ensure_one()
        rule = self._meddev_signature_rule(action)
        self._meddev_authenticate(rule, action, password, totp_code)
        prior_hash = self._meddev_signed_content_hash()
        signed = self.env.cr.cache.setdefault(SIGNED_KEY, set())
        signed.add((self._name, self.id, action))
        try:
            self._meddev_signed_step(action, (comment or "").strip())
        finally:
            signed.discard((self._name, self.id, action))
        self.invalidate_recordset()
        signature = self._meddev_insert_signature(
            rule, comment, prior_hash, bool(totp_code)
        )
        self._meddev_log_signature(rule, signature)
        return signature

    def _meddev_authenticate(self, rule, action, password, totp_code):
        """Refuse, and record the failed attempt, unless the current user may
        sign ``rule`` and gave the right password (and 2FA code)."""
        user = self.env.user
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
            self._meddev_check_credentials(password, totp_code)
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

    def _meddev_check_credentials(self, password, totp_code):
        user = self.env.user
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

    def _meddev_signed_step(self, action, comment):
        """What the signed step does, inside the signature (the step is
        marked signed while it runs), before the content is hashed. Here: move
        to the rule's target state. The stage permission mixin runs the
        model's ``action_<step>`` instead; models do not override this."""
        rule = self._meddev_signature_rule(action)
        if rule.target_state:
            self.with_context(audit_reason=comment or rule.name).write(
                {self._audit_state_field: rule.target_state}
            )

    def _meddev_insert_signature(self, rule, comment, prior_hash, totp_used):
        """The signature row, written by the server only (no access right lets
        anyone create one), over the content as it is now."""
        user = self.env.user
        content = self._meddev_signed_content()
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO meddev_signature (res_model, res_id, res_name, action,
                    signer_id, signer_login, printed_name, meaning, comment,
                    signed_at, content_hash, prior_content_hash, content_scheme,
                    signed_content, totp_used, company_id)
                VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s,
                    (clock_timestamp() AT TIME ZONE 'UTC'), %s, %s, %s,
                    %s::jsonb, %s, %s)
                RETURNING id
                """,
                self._name,
                self.id,
                self.sudo().display_name,  # the name as signed, in full
                rule.action,
                user.id,
                user.login,
                user.name,
                rule.meaning,
                comment or None,
                self._meddev_signed_content_hash(content),
                prior_hash,
                SIGNATURE_SCHEME,
                json.dumps(content, ensure_ascii=False, default=str),
                totp_used,
                self._meddev_signature_company(),
            )
        )
        signature = self.env["meddev.signature"].browse(self.env.cr.fetchone()[0])
        self.invalidate_recordset(["signature_ids", "signature_mismatch"])
        return signature

    def _meddev_log_signature(self, rule, signature):
        """The audit entry of the signature (who, meaning, step)."""
        meanings = dict(
            self.env["meddev.signature"]
            ._fields["meaning"]
            ._description_selection(self.env)
        )
        self.env["meddev.audit.entry"]._log_event(
            self,
            "sign",
            # the signature the server just wrote, read whatever the signer
            # may read (a supplier's portal user reads no signature rows)
            reason=signature.sudo().comment,
            changes=[
                {
                    "field": "signature",
                    "label": self.env._("Signature"),
                    "old": False,
                    "new": signature.id,
                    # the step's name, read in the reader's language
                    "rule_id": rule.id,
                    "old_display": "",
                    "new_display": (
                        f"{self.env.user.name}: {meanings[rule.meaning]} ({rule.name})"
                    ),
                }
            ],
        )

    def _meddev_signature_company(self):
        """The company id the signature of this record is read in, or None
        (a record of no company: readable per the signature access rules)."""
        self.ensure_one()
        if "company_id" not in self._fields:
            return None
        # the company is recorded whatever the signer may read of the record
        return self.sudo().company_id.id or None

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
                        # read in the reader's language (meddev_audit_display)
                        "sign_failed",
                        {"action": action, "why": why},
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
                code="sign_locked",
                params={"count": failures, "minutes": window},
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
    @api.model
    def _meddev_target_rules(self, state):
        """The signature rules of this model that lead to ``state``."""
        Rule = self.env["meddev.signature.rule"]
        ids = Rule._meddev_target_states(self._name).get(state, ())
        # rules are configuration, enforced whatever the user may read
        return Rule.sudo().browse(ids)

    def _meddev_check_signed_state(self, state, moving):
        """Refuse ``moving`` (records about to be in ``state``) unless each is
        inside the signature of a rule leading there."""
        rules = self._meddev_target_rules(state)
        if not (rules and moving):
            return
        signed = self.env.cr.cache.get(SIGNED_KEY, set())
        unsigned = moving.filtered(
            lambda r: not any(
                (r._name, r.id, action) in signed for action in rules.mapped("action")
            )
        )
        if unsigned:
            # named in the refusal even if the user may not read all of them
            names = unsigned.sudo().mapped("display_name")
            self._meddev_refuse_unsigned(rules, names)

    def _meddev_refuse_unsigned(self, rules, names):
        raise UserError(
            self.env._(
                "%(records)s can reach this state only by the electronic "
                "signature %(step)s.",
                records=", ".join(names),
                step=" / ".join(rules.mapped("name")),
            )
        )

    @api.model_create_multi
    def create(self, vals_list):
        field = self._audit_state_field
        if field in self._fields:
            # refused before anything is written: nothing is signed yet
            for state in {vals[field] for vals in vals_list if vals.get(field)}:
                rules = self._meddev_target_rules(state)
                if rules:
                    self._meddev_refuse_unsigned(rules, [self._description])
        records = super().create(vals_list)
        if field in self._fields:
            # after the defaults: a default_<state> context key counts too
            for state in set(records.mapped(field)):
                self._meddev_check_signed_state(
                    state, records.filtered(lambda r, s=state: r[field] == s)
                )
        return records

    def write(self, vals):
        field = self._audit_state_field
        if self and field in vals:
            moving = self.filtered(lambda r: r[field] != vals[field])
            self._meddev_check_signed_state(vals[field], moving)
            moving._meddev_check_leaving_signed_state()
        return super().write(vals)

    def _meddev_check_leaving_signed_state(self):
        """A state reached by a signature (a rule's target state) is left only
        inside a signed step too, even in superuser mode: a signed review is
        not put back to draft by a plain write."""
        if not self:
            return
        field = self._audit_state_field
        targets = set(
            self.env["meddev.signature.rule"]._meddev_target_states(self._name)
        )
        leaving = self.filtered(lambda r: r[field] in targets)
        signed = {key[:2] for key in self.env.cr.cache.get(SIGNED_KEY, set())}
        unsigned = leaving.filtered(lambda r: (r._name, r.id) not in signed)
        if unsigned:
            raise UserError(
                self.env._(
                    "%(records)s was put in its state by an electronic signature: "
                    "it leaves it only by the electronic signature of a further "
                    "step.",
                    records=", ".join(unsigned.sudo().mapped("display_name")),
                )
            )

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
            # wide enough for the Chinese format (2026年11月28日 10时15分03秒)
            ("signed_at", {"width": "210px"}),
            ("comment", {}),
            ("matches", {"widget": "boolean"}),
        ):
            etree.SubElement(listing, "field", {"name": name, **extra})
        return arch, view
