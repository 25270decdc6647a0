from datetime import timedelta

from odoo import Command, api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from .meddev_audit_display import system_reason

_lt = LazyTranslate(__name__)
# a reason the system gives, read in each reader's language: lazy, so that
# its source is kept with it (env._ would give the translated text only)
PERIOD_STARTED = _lt("Period started")  # pylint: disable=prefer-env-translation

DEFAULT_MAX_DAYS = 90
# fields of the request itself: fixed once it is submitted
REQUEST_FIELDS = ("user_id", "group_id", "date_start", "date_end", "reason")
# written by the server when it grants and revokes, by nobody else
SYSTEM_FIELDS = ("granted_at", "revoked_at", "end_reason", "added_group_ids")


class MeddevRoleGrant(models.Model):
    """A temporary permission (临时权限): a QMS role given to a user for a period.

    Requested with a reason, approved by an electronic signature of a QA
    manager (not the requester, not the grantee), granted when the period
    starts and revoked when it ends by a scheduled action that is triggered at
    both moments and also runs every hour, so that a grant whose end passed
    while Odoo was down is revoked at the next run. Each grant and revocation
    is an audit entry on the user (``role_granted`` / ``role_revoked``) naming
    the groups added or removed; the grant itself is audited like any
    controlled record.
    """

    _name = "meddev.role.grant"
    _description = "Temporary Role Grant"
    _inherit = [
        "meddev.governance.request.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "date_start desc, id desc"
    _check_company_auto = True
    _audit_controlled_states = ("approved", "active")
    _meddev_sequence_code = "meddev.role.grant"
    _signature_exclude_fields = (
        "granted_at",
        "revoked_at",
        "added_group_ids",
        "end_reason",
    )
    _meddev_actions = {
        "submit": "Submit",
        "approve": "Approve",
        "reject": "Reject",
        "revoke": "Revoke",
        "cancel": "Cancel",
    }

    user_id = fields.Many2one(
        "res.users",
        string="Granted To",
        required=True,
        domain=[("share", "=", False)],
        tracking=True,
        index=True,
        check_company=True,
    )
    group_id = fields.Many2one(
        "res.groups",
        string="Role",
        required=True,
        domain=lambda self: self._grantable_domain(),
        tracking=True,
    )
    date_start = fields.Datetime(
        string="From", required=True, default=fields.Datetime.now, tracking=True
    )
    date_end = fields.Datetime(
        string="Until",
        required=True,
        default=lambda self: fields.Datetime.now() + timedelta(days=1),
        tracking=True,
    )
    reason = fields.Text(required=True, help="Why the user needs the role.")
    state = fields.Selection(
        [
            ("draft", "Draft"),
            ("submitted", "Submitted"),
            ("approved", "Approved"),
            ("active", "Active"),
            ("expired", "Expired"),
            ("revoked", "Revoked"),
            ("rejected", "Rejected"),
            ("cancelled", "Cancelled"),
        ],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
    )
    granted_at = fields.Datetime(string="Granted at", readonly=True, copy=False)
    revoked_at = fields.Datetime(string="Ended at", readonly=True, copy=False)
    end_reason = fields.Char(string="Ended Because", readonly=True, copy=False)
    added_group_ids = fields.Many2many(
        "res.groups",
        "meddev_role_grant_added_group_rel",
        "grant_id",
        "group_id",
        string="Groups Added",
        readonly=True,
        copy=False,
        help="The groups the user did not have and received with the role "
        "(the role and the groups it implies); removed again at the end.",
    )
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )

    # ------------------------------------------------------------------
    # helpers
    # ------------------------------------------------------------------
    @api.model
    def _grantable_domain(self):
        category = self.env.ref(
            "meddev_base.module_category_meddev", raise_if_not_found=False
        )
        excluded = [
            xmlid
            for xmlid in (
                "meddev_base.group_meddev_user",
                "meddev_base.group_meddev_supplier_portal",
            )
            if self.env.ref(xmlid, raise_if_not_found=False)
        ]
        return [
            ("category_id", "=", category.id if category else False),
            ("id", "not in", [self.env.ref(x).id for x in excluded]),
        ]

    @api.model
    def _max_days(self):
        # system parameters are readable by administrators only
        value = (
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("meddev_base.role_grant_max_days", DEFAULT_MAX_DAYS)
        )
        return int(value or DEFAULT_MAX_DAYS)

    def _cron(self):
        return self.env.ref(
            "meddev_base.ir_cron_meddev_role_grants", raise_if_not_found=False
        )

    # ------------------------------------------------------------------
    # constraints
    # ------------------------------------------------------------------
    @api.constrains("date_start", "date_end")
    def _check_period(self):
        max_days = self._max_days()
        for grant in self:
            if grant.date_end <= grant.date_start:
                raise ValidationError(
                    self.env._(
                        "%(grant)s ends before it starts.", grant=grant.display_name
                    )
                )
            if grant.date_end - grant.date_start > timedelta(days=max_days):
                raise ValidationError(
                    self.env._(
                        "%(grant)s lasts longer than %(days)s days, the longest "
                        "a temporary role may be granted (Settings).",
                        grant=grant.display_name,
                        days=max_days,
                    )
                )

    @api.constrains("group_id", "user_id")
    def _check_group(self):
        allowed = self.env["res.groups"].search(self._grantable_domain())
        for grant in self:
            if grant.group_id not in allowed:
                raise ValidationError(
                    self.env._(
                        "%(group)s cannot be granted temporarily: only QMS roles "
                        "can.",
                        group=grant.group_id.name,
                    )
                )
            if grant.user_id.share:
                raise ValidationError(
                    self.env._(
                        "%(user)s is a portal user: QMS roles are granted to "
                        "internal users only.",
                        user=grant.user_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # ORM
    # ------------------------------------------------------------------
    def write(self, vals):
        if not self.env.su and any(name in vals for name in SYSTEM_FIELDS):
            raise UserError(
                self.env._(
                    "When a role was granted and taken back is recorded by the "
                    "server only."
                )
            )
        locked = [name for name in REQUEST_FIELDS if name in vals]
        if locked or "requested_by_id" in vals:
            not_draft = self.filtered(lambda grant: grant.state != "draft")
            if not_draft or "requested_by_id" in vals:
                raise UserError(
                    self.env._(
                        "%(grants)s was submitted: the user, role, period and "
                        "reason can no longer be changed. Cancel it and request "
                        "again.",
                        grants=", ".join((not_draft or self).mapped("display_name")),
                    )
                )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        if self.filtered(lambda grant: grant.state != "draft"):
            raise UserError(
                self.env._(
                    "Only draft role requests can be deleted; cancel the others."
                )
            )

    # ------------------------------------------------------------------
    # stage permissions: who may act
    # ------------------------------------------------------------------
    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        refusal = super()._meddev_refusal(
            action, permissions, logs, user, signature=signature
        )
        if refusal or action != "cancel":
            return refusal
        if user != self.requested_by_id and not user.has_group(
            "meddev_base.group_meddev_qa_manager"
        ):
            return UserError(
                self.env._(
                    "Only %(requester)s, who requested %(grant)s, or a QA manager "
                    "may cancel it.",
                    requester=self.requested_by_id.name,
                    grant=self.display_name,
                )
            )
        return None

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_submit(self):
        now = fields.Datetime.now()
        ended = self.filtered(lambda grant: grant.date_end <= now)
        if ended:
            raise UserError(
                self.env._(
                    "%(grants)s ends in the past: correct the period.",
                    grants=", ".join(ended.mapped("display_name")),
                )
            )
        held = self.filtered(lambda grant: grant.group_id in grant.user_id.groups_id)
        if held:
            raise UserError(
                self.env._(
                    "%(user)s already has the role %(group)s.",
                    user=held[0].user_id.name,
                    group=held[0].group_id.name,
                )
            )
        self._check_sod_conflicts()
        self._meddev_check_action("submit")
        self.write({"state": "submitted"})
        self._notify_approvers()
        return True

    def action_approve(self):
        self._check_sod_conflicts()
        self._meddev_check_action("approve")
        self.write({"state": "approved"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        self._schedule()
        self._apply_due()
        return True

    def action_reject(self):
        self._meddev_check_action("reject")
        self.write({"state": "rejected"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_cancel(self):
        self._meddev_check_action("cancel")
        self.write({"state": "cancelled"})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def action_revoke(self):
        """Ends an approved or active grant before its end: signed, with the
        reason in the signature's comment."""
        self._meddev_check_action("revoke")
        reason = self.env.context.get("audit_reason")
        if not reason:
            raise UserError(
                self.env._("Give the reason for revoking in the signature's comment.")
            )
        self._end("revoked", reason)
        return True

    def _notify_approvers(self):
        """One to-do per QA manager who may approve (neither the grantee nor
        the requester), created in one batch."""
        managers = self.env.ref("meddev_base.group_meddev_qa_manager").users
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = todo._get_date_deadline()
        self.env["mail.activity"].create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": grant.id,
                    "activity_type_id": todo.id,
                    # like activity_schedule: removed by activity_unlink
                    "automated": True,
                    "user_id": manager.id,
                    "date_deadline": deadline,
                    "summary": self.env._("Approve temporary role"),
                    "note": self.env._(
                        "%(user)s asks for %(group)s from %(start)s to %(end)s "
                        "(UTC): %(reason)s",
                        user=grant.user_id.name,
                        group=grant.group_id.name,
                        start=grant.date_start,
                        end=grant.date_end,
                        reason=grant.reason,
                    ),
                }
                for grant in self
                for manager in managers - grant.user_id - grant.requested_by_id
            ]
        )

    def _check_sod_conflicts(self):
        """The role must not give its user a conflicting pair of roles."""
        found = self.env["meddev.sod.conflict"]._unexcused(
            [
                (
                    grant,
                    grant.user_id,
                    grant.user_id.groups_id
                    | grant.group_id
                    | grant.group_id.trans_implied_ids,
                )
                for grant in self
            ]
        )
        for grant, conflicts in found.items():
            raise UserError(
                self.env._(
                    "%(grant)s would give %(user)s conflicting roles: "
                    "%(conflicts)s. Record a segregation-of-duties exception "
                    "first.",
                    grant=grant.display_name,
                    user=grant.user_id.name,
                    conflicts="; ".join(conflicts.mapped("display_name")),
                )
            )

    # ------------------------------------------------------------------
    # granting and revoking
    # ------------------------------------------------------------------
    def _schedule(self):
        cron = self._cron()
        if cron:
            moments = [grant.date_start for grant in self]
            moments += [grant.date_end for grant in self]
            # scheduling the job is the server's, whoever approves
            cron.sudo()._trigger(at=moments)

    @api.model
    def _cron_apply(self):
        """Grant the approved roles whose period started, revoke those whose
        period ended: whatever the time now, also after missed runs."""
        self.search([("state", "in", ("approved", "active"))])._apply_due()
        return True

    def _apply_due(self):
        now = fields.Datetime.now()
        ended = self.filtered(
            lambda grant: grant.state in ("approved", "active")
            and grant.date_end <= now
        )
        ended._end("expired", self.env._("The period ended."))
        started = self.filtered(
            lambda grant: grant.state == "approved" and grant.date_start <= now
        )
        started._grant()

    def _grant(self):
        Entry = self.env["meddev.audit.entry"]
        rows = []
        now = fields.Datetime.now()
        for grant in self:
            # granting a role writes the user's groups: the server does it for
            # the approved request, whoever approved or runs the scheduler
            user = grant.user_id.sudo()
            before = user.groups_id
            user.write({"groups_id": [Command.link(grant.group_id.id)]})
            added = user.groups_id - before
            # the state moves on the schedule, not by a user action
            started = system_reason(self.env, PERIOD_STARTED)
            grant.sudo().with_context(audit_reason=started).write(
                {
                    "state": "active",
                    "granted_at": now,
                    "added_group_ids": [Command.set(added.ids)],
                }
            )
            rows.append(grant._role_entry(user, "role_granted", before, added))
        Entry._insert_rows(rows)

    def _end(self, state, reason):
        """End the grants (expired or revoked) and take back what they added,
        except what the user still holds through another active grant or
        through the groups that remain."""
        if not self:
            return
        Entry = self.env["meddev.audit.entry"]
        now = fields.Datetime.now()
        others = self.search(
            [
                ("state", "=", "active"),
                ("user_id", "in", self.user_id.ids),
                ("id", "not in", self.ids),
            ]
        )
        rows = []
        for grant in self:
            # revoking writes the user's groups: the server does it
            user = grant.user_id.sudo()
            before = user.groups_id
            removed = self.env["res.groups"]
            if grant.state == "active":
                kept = others.filtered(lambda g, u=grant.user_id: g.user_id == u)
                kept_groups = kept.added_group_ids
                remaining = before - grant.added_group_ids
                needed = remaining | remaining.trans_implied_ids | kept_groups
                needed |= kept_groups.trans_implied_ids
                removed = grant.added_group_ids - needed
                if removed:
                    user.write({"groups_id": [Command.unlink(g.id) for g in removed]})
                    # an implied group stays linked when only its implier is
                    # removed: take back what the grant added and nothing else
                    removed = before - user.groups_id
                rows.append(
                    grant._role_entry(user, "role_revoked", before, removed, reason)
                )
            # expiry moves the state on the schedule (as the server); a revoke
            # is the user's checked action
            writer = grant if state == "revoked" else grant.sudo()
            writer.with_context(audit_reason=reason).write({"state": state})
            # when and why it ended is recorded by the server
            grant.sudo().with_context(audit_reason=reason).write(
                {"revoked_at": now, "end_reason": reason}
            )
        Entry._insert_rows(rows)

    def _role_entry(self, user, operation, before, changed, why=None):
        """An audit entry on the user: which groups the grant added or removed."""
        self.ensure_one()
        Entry = self.env["meddev.audit.entry"]
        after = user.groups_id
        names = ", ".join(changed.sorted("id").mapped("full_name"))
        change = {
            "field": "groups_id",
            "label": self.env._("Groups"),
            "old": sorted(before.ids),
            "new": sorted(after.ids),
            "old_display": "",
            "new_display": names,
            # the groups named, read in the reader's language
            "display_ids": changed.sorted("id").ids,
        }
        params = {
            "grant": self.name,
            "group_id": self.group_id.id,
            "group": self.group_id.name,
        }
        if operation == "role_granted":
            params.update(end=str(self.date_end), reason=self.reason)
            reason = self.env._(
                "%(grant)s: %(group)s granted until %(end)s UTC (%(reason)s)",
                grant=self.name,
                group=self.group_id.name,
                end=self.date_end,
                reason=self.reason,
            )
        else:
            reason = self.env._(
                "%(grant)s: %(group)s taken back (%(why)s)",
                grant=self.name,
                group=self.group_id.name,
                why=why or "",
            )
            params["why"] = why or ""
        return Entry._row_for(user, operation, [change], reason, operation, params)
