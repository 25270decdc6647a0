from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

from .meddev_sampling_plan import DEFECT_CLASSES


class MeddevInspectionDefect(models.Model):
    """Defective units found in an inspection's sample: their class (critical,
    major, minor), how many, what was wrong, and the question they fail where
    there is one. Recorded while the inspection is open; frozen once its
    result is signed."""

    _name = "meddev.inspection.defect"
    _description = "Inspection Defect"
    _inherit = ["meddev.audit.mixin"]
    _order = "inspection_id, id"

    inspection_id = fields.Many2one(
        "qc.inspection", required=True, ondelete="restrict", index=True
    )
    company_id = fields.Many2one(related="inspection_id.company_id", store=True)
    defect_class = fields.Selection(DEFECT_CLASSES, required=True, default="major")
    quantity = fields.Integer(string="Defective Units", required=True, default=1)
    name = fields.Char(string="Defect", required=True)
    line_id = fields.Many2one(
        "qc.inspection.line",
        string="Question",
        ondelete="restrict",
        domain="[('inspection_id', '=', inspection_id)]",
    )
    product_id = fields.Many2one(related="inspection_id.product_id", store=True)
    lot_id = fields.Many2one(related="inspection_id.lot_id", store=True)
    partner_id = fields.Many2one(
        related="inspection_id.meddev_partner_id", string="Supplier", store=True
    )

    @api.constrains("quantity")
    def _check_quantity(self):
        for defect in self:
            if defect.quantity < 1:
                raise ValidationError(
                    self.env._("A defect counts one defective unit or more.")
                )

    @api.constrains("line_id", "inspection_id")
    def _check_line(self):
        for defect in self:
            if defect.line_id and defect.line_id.inspection_id != defect.inspection_id:
                raise ValidationError(
                    self.env._("The question belongs to another inspection.")
                )

    def _meddev_check_open(self, inspections):
        closed = inspections.filtered(lambda i: i.meddev_state != "todo")
        if closed:
            raise UserError(
                self.env._(
                    "%(inspections)s is signed: its defects are frozen. A "
                    "re-inspection records new ones.",
                    inspections=", ".join(closed.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        inspections = self.env["qc.inspection"].browse(
            [vals.get("inspection_id") for vals in vals_list]
        )
        self._meddev_check_open(inspections.exists())
        return super().create(vals_list)

    def write(self, vals):
        self._meddev_check_open(self.inspection_id)
        if vals.get("inspection_id"):
            self._meddev_check_open(
                self.env["qc.inspection"].browse(vals["inspection_id"])
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_open(self):
        self._meddev_check_open(self.inspection_id)
