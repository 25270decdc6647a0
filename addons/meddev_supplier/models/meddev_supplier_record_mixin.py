from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

QA_MANAGER_GROUP = "meddev_base.group_meddev_qa_manager"


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
            # the server numbers the record, whoever creates it (a supplier's
            # portal user submitting a change notice reads no sequence)
            sequence = self.env["ir.sequence"].sudo()
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

    def _meddev_notify_qa_managers(self, summary, body):
        """Post ``body`` as an internal note on each record and give each QA
        manager a to-do ``summary`` on it: what a supplier's portal user
        submitted reaches QA."""
        # the server posts and assigns the review for the supplier, who reads
        # neither the QA managers, the chatter nor their to-dos
        records = self.sudo()
        managers = records.env.ref(QA_MANAGER_GROUP).users.filtered(
            lambda user: user.active and not user.share
        )
        for record in records:
            record.message_post(body=body, subtype_xmlid="mail.mt_note")
        model_id = records.env["ir.model"]._get_id(self._name)
        activity_type = records.env.ref("mail.mail_activity_data_todo")
        records.env["mail.activity"].with_context(
            mail_activity_quick_update=True
        ).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager.id,
                    "summary": summary,
                    # done by the review actions (activity_feedback)
                    "automated": True,
                }
                for record in records
                for manager in managers
            ]
        )
