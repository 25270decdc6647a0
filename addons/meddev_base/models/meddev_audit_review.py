from datetime import timedelta

from odoo import api, fields, models

DEFAULT_INTERVAL_DAYS = 30


class MeddevAuditReview(models.Model):
    """Periodic review of the audit trail (EU GMP Annex 11 §9): QA looks at the
    entries recorded since the last review and signs the review off."""

    _name = "meddev.audit.review"
    _description = "Audit Trail Review"
    _inherit = ["meddev.signature.mixin", "mail.thread", "mail.activity.mixin"]
    _order = "date_to desc, id desc"
    _audit_controlled_states = ("reviewed",)

    name = fields.Char(
        required=True,
        readonly=True,
        copy=False,
        default=lambda self: self.env["ir.sequence"].next_by_code(
            "meddev.audit.review"
        ),
    )
    date_from = fields.Datetime(
        string="Entries From (UTC)",
        readonly=True,
        help="End of the previous review, or the first entry of the trail.",
    )
    date_to = fields.Datetime(
        string="Entries Up To (UTC)",
        required=True,
        readonly=True,
        default=fields.Datetime.now,
    )
    entry_count = fields.Integer(string="Entries Reviewed", readonly=True)
    unlink_count = fields.Integer(string="Deletions", readonly=True)
    reason_count = fields.Integer(string="Changes With Reason", readonly=True)
    failed_signature_count = fields.Integer(string="Failed Signatures", readonly=True)
    chain_ok = fields.Boolean(string="Chain Intact", readonly=True)
    chain_message = fields.Char(string="Chain Verification", readonly=True)
    notes = fields.Text(string="Reviewer's Observations")
    anomalies = fields.Boolean(
        string="Anomalies Found",
        help="Tick when the review found entries that need a follow-up "
        "(e.g. a deviation or a CAPA).",
    )
    state = fields.Selection(
        [("draft", "To Review"), ("reviewed", "Reviewed")],
        default="draft",
        required=True,
        readonly=True,
        tracking=True,
    )

    @api.model_create_multi
    def create(self, vals_list):
        last = self.search([], order="date_to desc", limit=1)
        for vals in vals_list:
            vals.setdefault("date_from", last.date_to or False)
            vals.update(self._collect(vals.get("date_from"), vals.get("date_to")))
        return super().create(vals_list)

    @api.model
    def _collect(self, date_from, date_to):
        """Counts of the period and the chain verification, at creation."""
        Entry = self.env["meddev.audit.entry"].sudo()  # reviewers see all entries
        Entry._seal()
        domain = [("timestamp", "<=", date_to or fields.Datetime.now())]
        if date_from:
            domain.append(("timestamp", ">", date_from))
        counts = dict(Entry._read_group(domain, ["operation"], ["__count"]))
        result = Entry.verify_chain()
        return {
            "entry_count": sum(counts.values()),
            "unlink_count": counts.get("unlink", 0),
            "reason_count": Entry.search_count([*domain, ("reason", "!=", False)]),
            "failed_signature_count": counts.get("sign_failed", 0),
            "chain_ok": result["ok"],
            "chain_message": result["message"],
        }

    def _entries_domain(self):
        self.ensure_one()
        domain = [("timestamp", "<=", self.date_to)]
        if self.date_from:
            domain.append(("timestamp", ">", self.date_from))
        return domain

    def action_view_entries(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_base.meddev_audit_entry_action"
        )
        action["domain"] = self._entries_domain()
        action["name"] = self.env._("Entries of %(name)s", name=self.name)
        return action

    @api.model
    def _cron_open_review(self):
        """Open a review, with an activity for the QA managers, when due."""
        # system parameters are readable by administrators only
        interval = int(
            self.env["ir.config_parameter"]
            .sudo()
            .get_param("meddev_base.audit_review_interval_days", DEFAULT_INTERVAL_DAYS)
        )
        if self.search_count([("state", "=", "draft")]):
            return False
        last = self.search([], order="date_to desc", limit=1)
        if last and last.date_to > fields.Datetime.now() - timedelta(days=interval):
            return False
        review = self.create({})
        # one to-do, for the first QA manager; the others see the open review
        manager = self.env.ref("meddev_base.group_meddev_qa_manager").users.sorted(
            "id"
        )[:1]
        if manager:
            review.activity_schedule(
                "mail.mail_activity_data_todo",
                user_id=manager.id,
                summary=self.env._("Review the audit trail and sign the review off"),
            )
        return review
