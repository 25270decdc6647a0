from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MeddevSupplierScope(models.Model):
    """What a supplier is qualified for (ISO 13485 §7.4.1): an outsourced
    process (EO sterilization, CNC machining, coating...), a product category or
    one product.

    Products and product categories name the scope their suppliers must be
    qualified for (*Supplier Qualification Required*); purchase orders and
    receipts of such products are refused from suppliers without a qualified or
    conditional qualification of that scope.
    """

    _name = "meddev.supplier.scope"
    _description = "Supplier Qualification Scope"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, name, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Short reference, e.g. EO-STER.")
    sequence = fields.Integer(default=10)
    scope_type = fields.Selection(
        [
            ("process", "Outsourced Process"),
            ("product_category", "Product Category"),
            ("product", "Product"),
        ],
        required=True,
        default="process",
    )
    product_categ_id = fields.Many2one(
        "product.category", string="Product Category", ondelete="restrict"
    )
    product_tmpl_id = fields.Many2one(
        "product.template", string="Product", ondelete="restrict"
    )
    description = fields.Text(translate=True)
    required_document_ids = fields.One2many(
        "meddev.supplier.scope.document",
        "scope_id",
        string="Required Documents",
        help="Documents the supplier must have on file, valid and covering this "
        "scope, before its qualification for the scope is approved.",
    )
    active = fields.Boolean(default=True)

    _sql_constraints = [
        ("code_unique", "UNIQUE (code)", "A qualification scope code is unique."),
    ]

    @api.constrains("scope_type", "product_categ_id", "product_tmpl_id")
    def _check_scope_target(self):
        for scope in self:
            if scope.scope_type == "product_category" and not scope.product_categ_id:
                raise ValidationError(
                    self.env._(
                        "Scope %(scope)s is about a product category: choose it.",
                        scope=scope.name,
                    )
                )
            if scope.scope_type == "product" and not scope.product_tmpl_id:
                raise ValidationError(
                    self.env._(
                        "Scope %(scope)s is about a product: choose it.",
                        scope=scope.name,
                    )
                )

    @api.depends("name", "code")
    def _compute_display_name(self):
        for scope in self:
            scope.display_name = (
                f"[{scope.code}] {scope.name}" if scope.code else scope.name
            )
