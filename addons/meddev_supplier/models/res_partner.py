from odoo import api, fields, models

from .meddev_supplier_qualification import APPROVED_STATES

# (count field, model, action xml id) of the partner form's smart buttons
SUPPLIER_RECORDS = (
    (
        "meddev_qualification_count",
        "meddev.supplier.qualification",
        "meddev_supplier.meddev_supplier_qualification_action",
    ),
    (
        "meddev_certificate_count",
        "meddev.supplier.certificate",
        "meddev_supplier.meddev_supplier_certificate_action",
    ),
    (
        "meddev_audit_count",
        "meddev.supplier.audit",
        "meddev_supplier.meddev_supplier_audit_action",
    ),
    (
        "meddev_change_notice_count",
        "meddev.supplier.change.notice",
        "meddev_supplier.meddev_supplier_change_notice_action",
    ),
    (
        "meddev_quality_agreement_count",
        "meddev.supplier.quality.agreement",
        "meddev_supplier.meddev_supplier_quality_agreement_action",
    ),
)
QMS_USER = "meddev_base.group_meddev_user"


class ResPartner(models.Model):
    """The supplier's QMS records and approved supplier list status on the
    partner form, for QMS users: counted for the commercial partner."""

    _inherit = "res.partner"

    meddev_qualification_count = fields.Integer(
        string="Qualifications",
        compute="_compute_meddev_supplier_counts",
        groups=QMS_USER,
    )
    meddev_certificate_count = fields.Integer(
        string="Certificates",
        compute="_compute_meddev_supplier_counts",
        groups=QMS_USER,
    )
    meddev_audit_count = fields.Integer(
        string="Supplier Audits",
        compute="_compute_meddev_supplier_counts",
        groups=QMS_USER,
    )
    meddev_change_notice_count = fields.Integer(
        string="Change Notices",
        compute="_compute_meddev_supplier_counts",
        groups=QMS_USER,
    )
    meddev_quality_agreement_count = fields.Integer(
        string="Quality Agreements",
        compute="_compute_meddev_supplier_counts",
        groups=QMS_USER,
    )
    meddev_asl_status = fields.Char(
        string="Approved Supplier List",
        compute="_compute_meddev_asl_status",
        groups=QMS_USER,
        help="The scopes the supplier is qualified (or conditionally qualified) "
        "for.",
    )

    def _compute_meddev_supplier_counts(self):
        commercial = self.commercial_partner_id
        for field_name, model, _action in SUPPLIER_RECORDS:
            # counted with the reader's rights: only the records they may read
            groups = self.env[model]._read_group(
                [("meddev_supplier_id", "in", commercial.ids)],
                ["meddev_supplier_id"],
                ["__count"],
            )
            counts = {partner.id: count for partner, count in groups}
            for partner in self:
                partner[field_name] = counts.get(partner.commercial_partner_id.id, 0)

    def _compute_meddev_asl_status(self):
        qualifications = self.env["meddev.supplier.qualification"].search(
            [
                ("meddev_supplier_id", "in", self.commercial_partner_id.ids),
                ("state", "in", APPROVED_STATES),
            ]
        )
        states = dict(qualifications._fields["state"]._description_selection(self.env))
        for partner in self:
            own = qualifications.filtered(
                lambda q, p=partner: q.meddev_supplier_id == p.commercial_partner_id
            )
            parts = []
            for state in APPROVED_STATES:
                scopes = own.filtered(lambda q, s=state: q.state == s).scope_id
                if scopes:
                    parts.append(
                        self.env._(
                            "%(state)s for: %(scopes)s",
                            state=states[state],
                            scopes=", ".join(scopes.mapped("name")),
                        )
                    )
            partner.meddev_asl_status = (
                "; ".join(parts) if parts else self.env._("Not on the list")
            )

    @api.model
    def _meddev_supplier_action(self, model):
        return next(action for _f, name, action in SUPPLIER_RECORDS if name == model)

    def _action_view_meddev_supplier_records(self, model):
        self.ensure_one()
        commercial = self.commercial_partner_id
        action = self.env["ir.actions.act_window"]._for_xml_id(
            self._meddev_supplier_action(model)
        )
        action["domain"] = [("meddev_supplier_id", "=", commercial.id)]
        action["context"] = {"default_partner_id": commercial.id}
        return action

    def action_view_meddev_qualifications(self):
        return self._action_view_meddev_supplier_records(
            "meddev.supplier.qualification"
        )

    def action_view_meddev_certificates(self):
        return self._action_view_meddev_supplier_records("meddev.supplier.certificate")

    def action_view_meddev_audits(self):
        return self._action_view_meddev_supplier_records("meddev.supplier.audit")

    def action_view_meddev_change_notices(self):
        return self._action_view_meddev_supplier_records(
            "meddev.supplier.change.notice"
        )

    def action_view_meddev_quality_agreements(self):
        return self._action_view_meddev_supplier_records(
            "meddev.supplier.quality.agreement"
        )
