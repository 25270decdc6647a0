from odoo import api, fields, models

RESPONSIBILITIES = [
    ("manufacturer", "Manufacturer"),
    ("supplier", "Supplier"),
    ("shared", "Shared"),
]


class MeddevSupplierQmsElement(models.Model):
    """A QMS element a supplier quality agreement (质量协议) allocates between
    the manufacturer and the supplier: document control, change notification,
    process validation, records retention... (ISO 13485 §4.1.5, §7.4; NMPA
    GMP, purchasing). New agreements list every active element with its
    default responsibility and requirement.
    """

    _name = "meddev.supplier.qms.element"
    _description = "Quality Agreement QMS Element"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, code, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short reference, e.g. CHG.")
    sequence = fields.Integer(default=10)
    clause_ref = fields.Char(
        string="Clause Reference",
        help="The ISO 13485 clause and NMPA requirement the element answers, "
        "e.g. ISO 13485 §7.4.2.",
    )
    default_responsibility = fields.Selection(
        RESPONSIBILITIES,
        required=True,
        default="shared",
        help="The responsibility new agreements start with.",
    )
    description = fields.Text(
        string="Default Requirement",
        translate=True,
        help="The requirement new agreements start with; adapt it per supplier.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "A QMS element code is unique."),
    ]

    @api.depends("name", "code")
    def _compute_display_name(self):
        for element in self:
            element.display_name = (
                f"[{element.code}] {element.name}" if element.code else element.name
            )
