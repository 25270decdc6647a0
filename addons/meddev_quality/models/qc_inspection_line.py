from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import float_round


class QcInspectionLine(models.Model):
    """The answers of an inspection of a sampling plan are audited (whoever
    enters them: the inspector or an instrument through the API) and frozen
    once its result is signed."""

    _name = "qc.inspection.line"
    _inherit = ["qc.inspection.line", "meddev.audit.mixin"]

    meddev_value_entered = fields.Boolean(
        string="Value Entered",
        readonly=True,
        help="A quantitative value was entered (0.0 is a value too).",
    )

    def _meddev_answered(self):
        self.ensure_one()
        if self.question_type == "qualitative":
            return bool(self.qualitative_value)
        return bool(self.uom_id) and (
            self.meddev_value_entered or bool(self.quantitative_value)
        )

    def _compute_quality_test_check(self):
        result = super()._compute_quality_test_check()
        # OCA converts a value in another unit than the test's on an empty
        # unit (the value is compared unconverted): convert it from its unit,
        # to the precision of the values (4.55 mm is 0.455 cm, not more)
        digits = self.env["decimal.precision"].precision_get("Quality Control")
        for line in self:
            if (
                line.question_type == "quantitative"
                and line.uom_id
                and line.test_uom_id
                and line.uom_id != line.test_uom_id
            ):
                amount = line.uom_id._compute_quantity(
                    line.quantitative_value,
                    line.test_uom_id,
                    round=False,
                    raise_if_failure=False,
                )
                amount = float_round(amount, precision_digits=digits)
                line.success = line.max_value >= amount >= line.min_value
        return result

    def _meddev_out_of_limits(self):
        """Whether the answer fails the question (OCA's success test, from the
        answer itself)."""
        self.ensure_one()
        if self.question_type == "qualitative":
            return not self.qualitative_value.ok
        amount = self.quantitative_value
        if self.uom_id and self.test_uom_id and self.uom_id != self.test_uom_id:
            amount = float_round(
                self.uom_id._compute_quantity(
                    amount, self.test_uom_id, round=False, raise_if_failure=False
                ),
                precision_digits=self.env["decimal.precision"].precision_get(
                    "Quality Control"
                ),
            )
        return not (self.min_value <= amount <= self.max_value)

    def _meddev_check_open(self, inspections=None):
        inspections = self.inspection_id if inspections is None else inspections
        closed = inspections.filtered(
            lambda i: i.meddev_plan_id and i.meddev_state != "todo"
        )
        if closed:
            raise UserError(
                self.env._(
                    "%(inspections)s is signed: its answers are frozen. A "
                    "re-inspection records new ones.",
                    inspections=", ".join(closed.mapped("name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        inspections = self.env["qc.inspection"].browse(
            [vals["inspection_id"] for vals in vals_list if vals.get("inspection_id")]
        )
        self.browse()._meddev_check_open(inspections)
        return super().create(vals_list)

    def write(self, vals):
        self._meddev_check_open()
        if "quantitative_value" in vals:
            vals = dict(vals, meddev_value_entered=True)
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_if_open(self):
        self._meddev_check_open()
