from odoo import api, fields, models
from odoo.exceptions import AccessError, UserError

from odoo.addons.meddev_base.models.meddev_supplier_scope_mixin import (
    portal_restricted,
)

PORTAL_GROUP = "meddev_base.group_meddev_supplier_portal"
REVIEWER_GROUP = "meddev_base.group_meddev_qa_engineer"
# the supplier's portal users read the findings addressed to it, once the
# audit is reported
PORTAL_RULE_DOMAIN = (
    "[('meddev_supplier_id', '=', user.commercial_partner_id.id), "
    "('responsible', '=', 'supplier'), "
    "('audit_id.state', 'in', ('reported', 'closed'))]"
)


# what the supplier answers to a finding addressed to it
REPLY_FIELDS = ("root_cause", "correction", "corrective_action")
REPLY_FIELDS_SET = frozenset(REPLY_FIELDS)


class MeddevSupplierAuditFinding(models.Model):
    """A finding of a supplier audit: its classification, the clause it is
    about, the follow-up action required and who does it.

    Open → closed (a QA engineer or above, with the evidence that the
    follow-up action was done). An open finding past its due date is overdue.
    Critical and major open findings keep the audit from being closed.

    The supplier answers a finding addressed to it on the portal (root cause,
    correction, corrective action): the reply is submitted to QA, who accepts
    it or returns it with a comment for the supplier to revise. The supplier
    neither grades nor closes a finding.
    """

    _name = "meddev.supplier.audit.finding"
    _description = "Supplier Audit Finding"
    _inherit = [
        "meddev.supplier.scope.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "audit_id desc, sequence, id"
    _meddev_supplier_field = "partner_id"
    _audit_controlled_states = ("closed",)
    _meddev_actions = {"close": "Close"}
    # a finding addressed to the supplier, as it reads it; not our evidence
    _meddev_portal_fields = (
        "audit_id",
        "partner_id",
        "sequence",
        "description",
        "classification",
        "clause",
        "follow_up",
        "responsible",
        "due_date",
        "state",
        "closed_on",
        "is_overdue",
        "root_cause",
        "correction",
        "corrective_action",
        "reply_state",
        "reply_date",
        "reply_review_comment",
    )
    # the supplier's reply, written on the portal; never the grading,
    # follow-up, evidence or status
    _meddev_portal_write_fields = REPLY_FIELDS

    sequence = fields.Integer(default=10)
    audit_id = fields.Many2one(
        "meddev.supplier.audit",
        required=True,
        index=True,
        # cascade kept: only a planned audit is deleted (_unlink_only_planned),
        # whose findings are open and may be deleted on their own as well
        ondelete="cascade",
        tracking=True,
    )
    partner_id = fields.Many2one(
        related="audit_id.partner_id",
        store=True,
        precompute=True,
        index=True,
        string="Supplier",
    )
    description = fields.Text(required=True, tracking=True)
    classification = fields.Selection(
        [
            ("critical", "Critical"),
            ("major", "Major"),
            ("minor", "Minor"),
            ("observation", "Observation"),
        ],
        required=True,
        default="minor",
        tracking=True,
        help="Critical and major findings keep the audit open until closed.",
    )
    clause = fields.Char(help="The requirement, e.g. ISO 13485 7.5.7.")
    follow_up = fields.Text(
        string="Follow-up Action", help="The action required to close the finding."
    )
    responsible = fields.Selection(
        [("supplier", "Supplier"), ("us", "Us")],
        required=True,
        default="supplier",
        tracking=True,
    )
    due_date = fields.Date(tracking=True)
    state = fields.Selection(
        string="Status",
        selection=[("open", "Open"), ("closed", "Closed")],
        default="open",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    closed_on = fields.Date(readonly=True, copy=False, tracking=True)
    evidence = fields.Text(
        copy=False, help="How the follow-up action was verified: needed to close."
    )
    root_cause = fields.Text(help="The supplier's analysis of the cause.")
    correction = fields.Text(help="What the supplier did to fix the problem found.")
    corrective_action = fields.Text(
        help="What the supplier does so that the problem does not recur."
    )
    reply_state = fields.Selection(
        [
            ("none", "Awaiting Reply"),
            ("submitted", "Reply Submitted"),
            ("returned", "Reply Returned"),
            ("accepted", "Reply Accepted"),
        ],
        string="Supplier Reply",
        default="none",
        required=True,
        readonly=True,
        copy=False,
        tracking=True,
    )
    reply_date = fields.Date(
        string="Replied On", readonly=True, copy=False, tracking=True
    )
    reply_review_comment = fields.Text(
        string="QA Comment on the Reply",
        copy=False,
        help="Why QA returns the reply: the supplier reads it on the portal.",
    )
    is_overdue = fields.Boolean(
        string="Overdue",
        compute="_compute_is_overdue",
        search="_search_is_overdue",
    )

    @api.model
    def _meddev_ensure_supplier_rule(self):
        """The supplier's portal users read the findings addressed to it
        (responsible: supplier) of its reported or closed audits only."""
        portal = self.env.ref(PORTAL_GROUP, raise_if_not_found=False)
        if portal:
            self.env["ir.rule"]._meddev_ensure_model_rule(
                self,
                "supplier_scope_rule_",
                "the findings addressed to the supplier (portal)",
                PORTAL_RULE_DOMAIN,
                groups=portal,
            )

    @api.depends("state", "due_date")
    @api.depends_context("tz")
    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for finding in self:
            finding.is_overdue = bool(
                finding.state == "open"
                and finding.due_date
                and finding.due_date < today
            )

    def _search_is_overdue(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(self.env._("Unsupported search on overdue findings."))
        domain = [
            ("state", "=", "open"),
            ("due_date", "<", fields.Date.context_today(self)),
        ]
        if (operator == "=") == value:
            return domain
        return ["!", "&", *domain]

    @api.depends("audit_id.name", "classification", "sequence")
    def _compute_display_name(self):
        labels = dict(self._fields["classification"]._description_selection(self.env))
        for finding in self:
            finding.display_name = "{} #{} ({})".format(
                finding.audit_id.name or "",
                finding.id or "",
                labels.get(finding.classification, ""),
            )

    @api.model_create_multi
    def create(self, vals_list):
        audit_ids = {vals.get("audit_id") for vals in vals_list if vals.get("audit_id")}
        closed = (
            self.env["meddev.supplier.audit"]
            .browse(audit_ids)
            .filtered(lambda audit: audit.state == "closed")
        )
        if closed:
            raise UserError(
                self.env._(
                    "Audit %(audits)s is closed: no finding can be added.",
                    audits=", ".join(closed.mapped("display_name")),
                )
            )
        return super().create(vals_list)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_open(self):
        if self.filtered(lambda f: f.state != "open" or f.audit_id.state == "closed"):
            raise UserError(
                self.env._(
                    "Closed findings and the findings of closed audits cannot be "
                    "deleted."
                )
            )

    def write(self, vals):
        replied = self.env["meddev.supplier.audit.finding"]
        if REPLY_FIELDS_SET.intersection(vals) and portal_restricted(self):
            self._check_reply_open()
            replied = self
        result = super().write(vals)
        if replied:
            replied._reply_submitted()
        return result

    # ------------------------------------------------------------------
    # the supplier's reply
    # ------------------------------------------------------------------
    def _check_reply_open(self):
        """The supplier answers an open finding whose reply QA has not
        accepted yet."""
        done = self.filtered(lambda f: f.state != "open" or f.reply_state == "accepted")
        if done:
            raise UserError(
                self.env._(
                    "%(findings)s is closed or its reply accepted: the reply "
                    "can no longer be changed.",
                    findings=", ".join(done.mapped("display_name")),
                )
            )

    def _reply_submitted(self):
        """Record the reply as submitted, tell QA in the chatter."""
        # the server records when the supplier answered (the portal user
        # writes its reply only) and posts it for QA
        findings = self.sudo()
        findings.write(
            {"reply_state": "submitted", "reply_date": fields.Date.context_today(self)}
        )
        for finding in findings:
            finding.message_post(
                body=self.env._(
                    "The supplier (%(user)s) submitted its reply on the portal: "
                    "review it.",
                    user=self.env.user.name,
                ),
                author_id=self.env.user.partner_id.id,
                subtype_xmlid="mail.mt_note",
            )

    def _check_reply_reviewer(self):
        if not (self.env.su or self.env.user.has_group(REVIEWER_GROUP)):
            raise AccessError(
                self.env._("Only a QA engineer or above reviews a supplier's reply.")
            )
        unsubmitted = self.filtered(lambda f: f.reply_state != "submitted")
        if unsubmitted:
            raise UserError(
                self.env._(
                    "%(findings)s has no reply awaiting review.",
                    findings=", ".join(unsubmitted.mapped("display_name")),
                )
            )

    def action_accept_reply(self):
        self._check_reply_reviewer()
        self.write({"reply_state": "accepted"})
        return True

    def action_return_reply(self):
        """Return the reply to the supplier with the comment saying why."""
        self._check_reply_reviewer()
        missing = self.filtered(lambda f: not (f.reply_review_comment or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Say in the QA comment why the reply to %(findings)s is "
                    "returned: the supplier reads it.",
                    findings=", ".join(missing.mapped("display_name")),
                )
            )
        self.write({"reply_state": "returned"})
        return True

    def action_close(self):
        """Close the finding with the evidence of its follow-up action."""
        missing = self.filtered(lambda f: not (f.evidence or "").strip())
        if missing:
            raise UserError(
                self.env._(
                    "Record the evidence of the follow-up action before closing "
                    "%(findings)s.",
                    findings=", ".join(missing.mapped("display_name")),
                )
            )
        self._meddev_check_action("close")
        self.write({"state": "closed", "closed_on": fields.Date.context_today(self)})
        return True
