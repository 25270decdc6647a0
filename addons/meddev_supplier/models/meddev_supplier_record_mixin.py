from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError


class MeddevSupplierRecordMixin(models.AbstractModel):
    """A record about one supplier company (qualification, certificate, audit,
    change notice, scorecard): the supplier is the commercial partner, never a
    contact; its portal users read the record (supplier scope); a reference is
    numbered from ``_meddev_sequence_code`` when the model sets one. Inherited
    before ``meddev.stage.permission.mixin``, whose signed steps run the
    model's ``action_<step>`` with the signature's comment as reason.
    """

    _name = "meddev.supplier.record.mixin"
    _inherit = ["meddev.supplier.scope.mixin"]
    _description = "Supplier Record"

    _meddev_supplier_field = "partner_id"
    # the ir.sequence code numbering the record's ``name``, if any
    _meddev_sequence_code = None

    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        required=True,
        index=True,
        domain="['|', ('is_company', '=', True), ('parent_id', '=', False)]",
        help="The supplier's company (commercial partner).",
    )

    @api.constrains("partner_id")
    def _check_supplier_company(self):
        for record in self:
            partner = record.partner_id
            if partner != partner.commercial_partner_id:
                raise ValidationError(
                    self.env._(
                        "Record the %(document)s on the supplier's company "
                        "%(company)s, not on its contact %(contact)s.",
                        document=self._description,
                        company=partner.commercial_partner_id.name,
                        contact=partner.name,
                    )
                )

    @api.model_create_multi
    def create(self, vals_list):
        if self._meddev_sequence_code:
            sequence = self.env["ir.sequence"]
            for vals in vals_list:
                if vals.get("name", "/") == "/":
                    vals["name"] = sequence.next_by_code(
                        self._meddev_sequence_code
                    ) or self.env._("New")
        return super().create(vals_list)

    def _require_reason(self, label):
        """The reason of a signed step (the signature's comment), or refuse
        the step ``label`` without one."""
        reason = (self.env.context.get("audit_reason") or "").strip()
        if not reason:
            raise UserError(
                self.env._(
                    "%(action)s needs a reason: give it in the signature's comment.",
                    action=label,
                )
            )
        return reason
