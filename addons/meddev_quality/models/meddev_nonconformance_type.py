from odoo import fields, models

from .meddev_nonconformance_grade_rule import OCCURRENCES, SEVERITIES

# what a type may require before the exception is confirmed: field name on
# meddev.nonconformance → the type's flag
REQUIRABLE_FIELDS = {
    "product_id": "require_product",
    "lot_ids": "require_lot",
    "quantity": "require_quantity",
    "partner_id": "require_supplier",
    "job_id": "require_job",
    "inspection_id": "require_inspection",
    "location": "require_location",
    "evidence_ids": "require_evidence",
    "customer_id": "require_customer",
}


class MeddevNonconformanceType(models.Model):
    """A kind of exception (process deviation, nonconforming lot, transport
    delay...): what its record must hold before it is confirmed, and its
    default severity and occurrence for grading."""

    _name = "meddev.nonconformance.type"
    _description = "Exception Type"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    company_id = fields.Many2one(
        "res.company", help="Empty: the type is shared by all companies."
    )
    default_severity = fields.Selection(
        SEVERITIES, help="Proposed when an exception of the type is opened."
    )
    default_occurrence = fields.Selection(OCCURRENCES)
    require_product = fields.Boolean(string="Requires the Product")
    require_lot = fields.Boolean(string="Requires the Lots")
    require_quantity = fields.Boolean(string="Requires the Quantity")
    require_supplier = fields.Boolean(string="Requires the Supplier")
    require_job = fields.Boolean(string="Requires the Outsourcing Job")
    require_inspection = fields.Boolean(string="Requires the Inspection")
    require_location = fields.Boolean(string="Requires Where")
    require_evidence = fields.Boolean(string="Requires Evidence")
    require_customer = fields.Boolean(string="Requires the Customer")

    _sql_constraints = [
        (
            "code_company_uniq",
            "unique(code, company_id)",
            "The code of an exception type is unique per company.",
        )
    ]

    def _missing_labels(self, nonconformance):
        """Labels of the fields this type requires that ``nonconformance``
        leaves empty."""
        self.ensure_one()
        return [
            nonconformance._fields[name].get_description(self.env)["string"]
            for name, flag in REQUIRABLE_FIELDS.items()
            if self[flag] and not nonconformance[name]
        ]
