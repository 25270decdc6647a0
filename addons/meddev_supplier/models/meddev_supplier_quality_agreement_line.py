from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .meddev_supplier_qms_element import RESPONSIBILITIES
from .meddev_supplier_quality_agreement import FROZEN_STATES


class MeddevSupplierQualityAgreementLine(models.Model):
    """One QMS element of a quality agreement's responsibility matrix: who is
    responsible (manufacturer, supplier, shared) and what is required.

    Part of the agreement's signed content: changed freely in draft, with a
    reason once approved, never while under review, superseded or terminated.
    """

    _name = "meddev.supplier.quality.agreement.line"
    _description = "Quality Agreement Responsibility"
    _inherit = ["meddev.portal.fields.mixin", "meddev.audit.mixin"]
    _order = "agreement_id, sequence, id"
    _audit_controlled_states = ("approved", "superseded", "terminated")
    # the matrix as printed for both parties (the supplier scope mixin's
    # whitelist, applied to this model of the agreement)
    _meddev_portal_fields = (
        "agreement_id",
        "state",
        "sequence",
        "element_id",
        "clause_ref",
        "responsibility",
        "requirement",
        "notes",
    )

    agreement_id = fields.Many2one(
        "meddev.supplier.quality.agreement",
        string="Quality Agreement",
        required=True,
        index=True,
        # cascade kept: only a draft agreement is deleted (_unlink_only_draft),
        # whose lines may be deleted on their own as well
        ondelete="cascade",
    )
    state = fields.Selection(related="agreement_id.state", string="Status")
    # stored so that the audit trail of the line is read in the agreement's
    # company only, like the agreement's own (in the INSERT: precomputed)
    company_id = fields.Many2one(
        related="agreement_id.company_id", store=True, precompute=True, index=True
    )
    sequence = fields.Integer(default=10)
    element_id = fields.Many2one(
        "meddev.supplier.qms.element",
        string="QMS Element",
        required=True,
        ondelete="restrict",
    )
    clause_ref = fields.Char(related="element_id.clause_ref")
    responsibility = fields.Selection(RESPONSIBILITIES, required=True, default="shared")
    requirement = fields.Text(help="What the responsible party must do.")
    notes = fields.Text()

    _sql_constraints = [
        (
            "element_unique",
            "UNIQUE (agreement_id, element_id)",
            "A QMS element is listed once per quality agreement.",
        ),
    ]

    @api.depends("agreement_id.display_name", "element_id.name")
    def _compute_display_name(self):
        for line in self:
            line.display_name = " - ".join(
                part
                for part in (line.agreement_id.display_name, line.element_id.name)
                if part
            )

    def _check_agreements_editable(self, agreements, reason):
        """Refuse, changing nothing, a change of the matrix of an agreement
        under review, superseded or terminated, and one without a reason of an
        approved agreement."""
        frozen = agreements.filtered(lambda a: a.state in FROZEN_STATES)
        if frozen:
            frozen._raise_frozen()
        approved = agreements.filtered(lambda a: a.state == "approved")
        if approved and not reason:
            raise ValidationError(
                self.env._(
                    "A reason for change is required to change the responsibility "
                    "matrix of %(agreements)s: it is approved. Enter it in the "
                    "Reason for Change field (or pass the audit_reason context "
                    "key).",
                    agreements=", ".join(approved.mapped("display_name")),
                )
            )

    def _context_reason(self, vals=None):
        reason = (vals or {}).get("audit_reason") or self.env.context.get(
            "audit_reason"
        )
        return reason.strip() if isinstance(reason, str) else None

    @api.model_create_multi
    def create(self, vals_list):
        if self.env.su:
            # server code (data files, the agreement created in its state)
            return super().create(vals_list)
        agreements = self.env["meddev.supplier.quality.agreement"].browse(
            {vals["agreement_id"] for vals in vals_list if vals.get("agreement_id")}
        )
        reasons = [self._context_reason(vals) for vals in vals_list]
        self._check_agreements_editable(agreements, all(reasons))
        return super().create(vals_list)

    def write(self, vals):
        if set(vals) - {"audit_reason"}:
            agreements = self.agreement_id
            if vals.get("agreement_id"):
                agreements |= agreements.browse(vals["agreement_id"])
            self._check_agreements_editable(agreements, self._context_reason(vals))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_editable(self):
        self._check_agreements_editable(self.agreement_id, self._context_reason())
