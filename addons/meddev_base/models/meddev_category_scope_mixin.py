from odoo import api, fields, models

# A user with product categories sees the records of those categories (and of
# their subcategories) and the records without category; a user without any
# sees everything. Evaluated by ir.rule with the user in its context.
CATEGORY_DOMAIN = (
    "[(1, '=', 1)] if not user.meddev_product_categ_ids else "
    "['|', ('meddev_product_categ_id', '=', False), "
    "('meddev_product_categ_id', 'child_of', user.meddev_product_categ_ids.ids)]"
)


class MeddevCategoryScopeMixin(models.AbstractModel):
    """Optional team scoping by product category.

    A model whose records concern a product inherits this mixin and names the
    field holding the product category (``_meddev_category_field``, default
    ``product_id.categ_id``). When its table is set up, the mixin adds a global
    record rule (xml id ``<model's module>.category_scope_rule_<table>``): a user
    whose *QMS Product Scope* lists categories reads and changes only the
    records of those categories and their subcategories, and those without
    category; a user whose scope is empty, the default, is not restricted.
    """

    _name = "meddev.category.scope.mixin"
    _description = "Product-Category-Scoped Record"

    # the path to the record's product category
    _meddev_category_field = "product_id.categ_id"

    meddev_product_categ_id = fields.Many2one(
        "product.category",
        string="Product Category (Scope)",
        compute="_compute_meddev_product_categ_id",
        store=True,
        precompute=True,
        index=True,
    )

    @api.depends(lambda self: [self._meddev_category_field])
    def _compute_meddev_product_categ_id(self):
        for record in self:
            record.meddev_product_categ_id = record.mapped(
                record._meddev_category_field
            )[:1]

    def init(self):
        super().init()
        if self._abstract or not self._auto or not self._table:
            return
        # after the model is reflected in ir.model (init() runs before)
        self.pool.post_init(self._meddev_ensure_category_rule)

    @api.model
    def _meddev_ensure_category_rule(self):
        """Create the category scope rule of this model, once."""
        self.env["ir.rule"]._meddev_ensure_model_rule(
            self,
            "category_scope_rule_",
            "the user's product categories",
            CATEGORY_DOMAIN,
        )
