from odoo import api, fields, models
from odoo.exceptions import UserError, ValidationError

VALUE_TYPES = [
    ("numeric", "Numeric"),
    ("pass_fail", "Pass / Fail"),
    ("text", "Text"),
]


class MeddevProcessSpecParameter(models.Model):
    """One parameter of a process specification: a numeric value with its unit
    and limits (EO exposure 45-55 °C), a pass/fail result (biological
    indicator) or a text. A process record holds one value per parameter,
    checked against these limits when entered. Frozen with its version."""

    _name = "meddev.process.spec.parameter"
    _description = "Process Specification Parameter"
    _inherit = ["meddev.audit.mixin"]
    _order = "spec_id, sequence, id"

    spec_id = fields.Many2one(
        "meddev.process.spec",
        string="Specification",
        required=True,
        index=True,
        ondelete="cascade",
    )
    sequence = fields.Integer(default=10)
    step = fields.Char(
        translate=True, help="The process step, e.g. preconditioning, exposure."
    )
    name = fields.Char(string="Parameter", required=True, translate=True)
    value_type = fields.Selection(VALUE_TYPES, default="numeric", required=True)
    uom = fields.Char(
        string="Unit", help="The unit values are entered in: °C, %RH, h, mg/L, d..."
    )
    lower_limit = fields.Float(digits=(16, 4))
    upper_limit = fields.Float(digits=(16, 4))
    has_lower = fields.Boolean(string="Has Lower Limit")
    has_upper = fields.Boolean(string="Has Upper Limit")
    required = fields.Boolean(default=True)
    limits_display = fields.Char(string="Limits", compute="_compute_limits_display")

    @api.depends("value_type", "lower_limit", "upper_limit", "has_lower", "has_upper")
    @api.depends_context("lang")
    def _compute_limits_display(self):
        for parameter in self:
            parameter.limits_display = parameter._limits_text()

    def _limits_text(self):
        self.ensure_one()
        if self.value_type == "pass_fail":
            return self.env._("Pass")
        if self.value_type != "numeric":
            return ""
        unit = f" {self.uom}" if self.uom else ""
        low, high = f"{self.lower_limit:g}", f"{self.upper_limit:g}"
        if self.has_lower and self.has_upper:
            return f"{low} – {high}{unit}"
        if self.has_lower:
            return f"≥ {low}{unit}"
        if self.has_upper:
            return f"≤ {high}{unit}"
        return unit.strip()

    @api.constrains(
        "value_type", "uom", "has_lower", "has_upper", "lower_limit", "upper_limit"
    )
    def _check_limits(self):
        for parameter in self:
            if parameter.value_type != "numeric":
                continue
            if not (parameter.uom or "").strip():
                raise ValidationError(
                    self.env._(
                        "Give the unit of the numeric parameter %(parameter)s.",
                        parameter=parameter.name,
                    )
                )
            if (
                parameter.has_lower
                and parameter.has_upper
                and parameter.lower_limit > parameter.upper_limit
            ):
                raise ValidationError(
                    self.env._(
                        "The lower limit of %(parameter)s is above its upper limit.",
                        parameter=parameter.name,
                    )
                )

    def _check_spec_draft(self, specs):
        frozen = specs.filtered(lambda spec: spec.state != "draft")
        if frozen:
            raise UserError(
                self.env._(
                    "The parameters of %(specs)s are fixed: create a new version.",
                    specs=", ".join(frozen.mapped("display_name")),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        specs = self.env["meddev.process.spec"].browse(
            {vals.get("spec_id") for vals in vals_list if vals.get("spec_id")}
        )
        self._check_spec_draft(specs)
        return super().create(vals_list)

    def write(self, vals):
        self._check_spec_draft(self.spec_id)
        if "spec_id" in vals:
            self._check_spec_draft(self.spec_id.browse(vals["spec_id"]))
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_only_draft(self):
        self._check_spec_draft(self.spec_id)

    def _check_value(self, value):
        """(in limits, the value as stored) for a value entered for this
        parameter; ValidationError naming the parameter when the value does not
        fit its type."""
        self.ensure_one()
        if self.value_type == "numeric":
            return self._check_numeric(value)
        if self.value_type == "pass_fail":
            if value not in ("pass", "fail"):
                raise ValidationError(
                    self.env._(
                        "%(parameter)s is a pass/fail result: enter pass or fail.",
                        parameter=self.name,
                    )
                )
            return value == "pass", value
        text = (value or "").strip() if isinstance(value, str) else value
        return bool(text), text

    def _check_numeric(self, value):
        if isinstance(value, bool) or value in (None, ""):
            number = None
        else:
            try:
                number = float(str(value).replace(",", ".").strip())
            except ValueError:
                number = None
        if number is None:
            raise ValidationError(
                self.env._(
                    "%(parameter)s needs a number in %(unit)s; %(value)r is not one.",
                    parameter=self.name,
                    unit=self.uom,
                    value=value,
                )
            )
        low_ok = not self.has_lower or number >= self.lower_limit
        high_ok = not self.has_upper or number <= self.upper_limit
        return low_ok and high_ok, number
