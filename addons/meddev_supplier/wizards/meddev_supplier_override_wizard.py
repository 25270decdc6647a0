from odoo import api, fields, models
from odoo.exceptions import UserError

# what the dialog does on each kind of document
OVERRIDABLE = {
    "purchase.order": "_meddev_confirm_with_override",
    "stock.picking": "button_validate",
}


class MeddevSupplierOverrideWizard(models.TransientModel):
    """Confirms (or approves) a purchase order or validates a receipt
    although the supplier is not qualified for a controlled product: for
    holders of the Supplier Block Override role (given temporarily), with a
    reason that goes into the audit trail of the document."""

    _name = "meddev.supplier.override.wizard"
    _description = "Override of the Approved Supplier List"

    res_model = fields.Char(string="Document Type", required=True, readonly=True)
    res_ids = fields.Json(string="Documents", required=True, readonly=True)
    reason = fields.Text(
        required=True,
        help="Why the document must go ahead with a supplier that is not "
        "qualified (recorded in the audit trail of the document).",
    )

    @api.model
    def _open_for(self, records):
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Override the Approved Supplier List"),
            "res_model": self._name,
            "view_mode": "form",
            "target": "new",
            "context": {
                "default_res_model": records._name,
                "default_res_ids": records.ids,
            },
        }

    def action_confirm(self):
        self.ensure_one()
        method = OVERRIDABLE.get(self.res_model)
        reason = (self.reason or "").strip()
        if not method or not reason:
            raise UserError(self.env._("Give the reason for the override."))
        records = self.env[self.res_model].browse(self.res_ids).exists()
        return getattr(
            records.with_context(meddev_supplier_override_reason=reason), method
        )()
