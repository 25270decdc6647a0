from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# findings of these classes keep the audit open while they are open
# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)


BLOCKING_CLASSIFICATIONS = ("critical", "major")


class MeddevSupplierAudit(models.Model):
    """An audit of a supplier (ISO 13485 §7.4.1, NMPA 供应商审核): on site,
    remote or on documents, for one or more qualification scopes, optionally
    as the evidence of a qualification's evaluation.

    Planned → in progress (QA engineer) → reported (the lead auditor, with the
    result) → closed (a QA manager reviews it and signs, meaning *reviewed*;
    never the lead auditor who reported it: segregation of duties). Closing is
    refused while a critical or major finding is open.
    """

    _name = "meddev.supplier.audit"
    _description = "Supplier Audit"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "planned_date desc, id desc"
    _meddev_sequence_code = "meddev.supplier.audit"
    _audit_controlled_states = ("reported", "closed")
    # the audit as the audited supplier knows it, and the findings addressed to
    # it (their record rule); not the internal summary
    _meddev_portal_fields = (
        "name",
        "partner_id",
        "scope_ids",
        "audit_type",
        "planned_date",
        "done_date",
        "lead_auditor_id",
        "auditor_ids",
        "result",
        "state",
        "finding_ids",
    )
    _meddev_actions = {
        "start": "Start",
        "report": "Report",
        "close": "Close",
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    scope_ids = fields.Many2many(
        "meddev.supplier.scope",
        string="Scopes",
        help="The qualification scopes the audit covers.",
    )
    qualification_id = fields.Many2one(
        "meddev.supplier.qualification",
        index=True,
        domain="[('partner_id', '=', partner_id)]",
        help="The qualification this audit evaluates, if any.",
    )
    audit_type = fields.Selection(
        [
            ("on_site", "On Site"),
            ("remote", "Remote"),
            ("document", "Document Review"),
        ],
        string="Type",
        required=True,
        default="on_site",
        tracking=True,
    )
    planned_date = fields.Date(required=True, tracking=True)
    done_date = fields.Date(string="Date Done", tracking=True, copy=False)
    lead_auditor_id = fields.Many2one(
        "res.users",
        required=True,
        tracking=True,
        domain="[('share', '=', False)]",
        help="Reports the audit; may not close it (segregation of duties).",
    )
    auditor_ids = fields.Many2many(
        "res.users",
        "meddev_supplier_audit_auditor_rel",
        "audit_id",
        "user_id",
        string="Auditors",
        domain="[('share', '=', False)]",
    )
    summary = fields.Text(copy=False)
    result = fields.Selection(
        [
            ("passed", "Passed"),
            ("passed_with_findings", "Passed with Findings"),
            ("failed", "Failed"),
        ],
        tracking=True,
        copy=False,
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("planned", "Planned"),
            ("in_progress", "In Progress"),
            ("reported", "Reported"),
            ("closed", "Closed"),
        ],
        default="planned",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    finding_ids = fields.One2many(
        "meddev.supplier.audit.finding", "audit_id", string="Findings", copy=False
    )
    finding_count = fields.Integer(compute="_compute_finding_counts")
    open_finding_count = fields.Integer(
        string="Open Findings", compute="_compute_finding_counts"
    )

    @api.depends("finding_ids.state")
    def _compute_finding_counts(self):
        for audit in self:
            audit.finding_count = len(audit.finding_ids)
            audit.open_finding_count = len(
                audit.finding_ids.filtered(lambda f: f.state == "open")
            )

    def _report_finding_counts(self):
        """The findings per classification, then all of them: total, open and
        closed (the counts of the audit report)."""
        self.ensure_one()
        field = self.env["meddev.supplier.audit.finding"]._fields["classification"]
        rows = []
        for classification, label in [
            *field._description_selection(self.env),
            (False, ""),  # the total row, labelled by the report
        ]:
            findings = self.finding_ids.filtered(
                lambda f, c=classification: not c or f.classification == c
            )
            open_count = len(findings.filtered(lambda f: f.state == "open"))
            rows.append(
                {
                    "classification": classification,
                    "label": label,
                    "total": len(findings),
                    "open": open_count,
                    "closed": len(findings) - open_count,
                }
            )
        return rows

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for audit in self:
            audit.display_name = " - ".join(
                part for part in (audit.name, audit.partner_id.name) if part
            )

    @api.constrains("partner_id", "qualification_id")
    def _check_qualification_supplier(self):
        for audit in self:
            partner = audit.partner_id
            if audit.qualification_id and audit.qualification_id.partner_id != partner:
                raise ValidationError(
                    self.env._(
                        "Audit %(audit)s evaluates a qualification of another "
                        "supplier.",
                        audit=audit.display_name,
                    )
                )

    @api.constrains("planned_date", "done_date")
    def _check_dates(self):
        today = fields.Date.context_today(self)
        for audit in self:
            if audit.done_date and audit.done_date > today:
                raise ValidationError(
                    self.env._(
                        "Audit %(audit)s cannot be done in the future.",
                        audit=audit.display_name,
                    )
                )

    @api.onchange("qualification_id")
    def _onchange_qualification_id(self):
        if self.qualification_id and self.qualification_id.scope_id not in (
            self.scope_ids
        ):
            self.scope_ids |= self.qualification_id.scope_id

    @api.ondelete(at_uninstall=False)
    def _unlink_only_planned(self):
        if self.filtered(lambda audit: audit.state != "planned"):
            raise UserError(
                self.env._("Only planned audits can be deleted; close the others.")
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def action_meddev_sign(self):
        # tell before the signing dialog why the audit cannot be closed yet
        result = super().action_meddev_sign()
        if self.env.context.get("meddev_sign_action") == "close":
            self._check_closable()
        return result

    def action_start(self):
        self._meddev_check_action("start")
        self.write({"state": "in_progress"})
        return True

    def action_report(self):
        """The lead auditor reports the audit with its result."""
        for audit in self:
            if audit.lead_auditor_id != self.env.user:
                raise UserError(
                    self.env._(
                        "Audit %(audit)s is reported by its lead auditor "
                        "%(auditor)s.",
                        audit=audit.display_name,
                        auditor=audit.lead_auditor_id.name,
                    )
                )
            if not audit.result:
                raise UserError(
                    self.env._(
                        "Give the result of audit %(audit)s before reporting it.",
                        audit=audit.display_name,
                    )
                )
        self._meddev_check_action("report")
        today = fields.Date.context_today(self)
        for audit in self:
            audit.write({"state": "reported", "done_date": audit.done_date or today})
        return True

    def _check_closable(self):
        """Refuse closing while a critical or major finding is open. (The lead
        auditor, who reported the audit, is refused by the stage permission.)"""
        for audit in self:
            blocking = audit.finding_ids.filtered(
                lambda f: f.state == "open"
                and f.classification in BLOCKING_CLASSIFICATIONS
            )
            if blocking:
                raise UserError(
                    self.env._(
                        "Audit %(audit)s cannot be closed while critical or major "
                        "findings are open: %(findings)s.",
                        audit=audit.display_name,
                        findings=", ".join(blocking.mapped("display_name")),
                    )
                )

    def action_close(self):
        """A QA manager closes the reported audit by signing it (reviewed)."""
        self._check_closable()
        self._meddev_check_action("close")
        reason = self.env.context.get("audit_reason") or system_reason(
            self.env, _lt("Audit report reviewed and closed")
        )
        self.with_context(audit_reason=reason).write({"state": "closed"})
        return True

    def action_view_findings(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_supplier.meddev_supplier_audit_finding_action"
        )
        action["domain"] = [("audit_id", "=", self.id)]
        action["context"] = {"default_audit_id": self.id}
        return action
