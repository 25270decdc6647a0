from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .meddev_aql_code_letter import INSPECTION_LEVELS
from .meddev_aql_master import AQL_SELECTION

CLASS_AQL_SELECTION = [("0", "0 (none accepted)"), *AQL_SELECTION]
DEFECT_CLASSES = [
    ("critical", "Critical"),
    ("major", "Major"),
    ("minor", "Minor"),
]


class MeddevSamplingPlan(models.Model):
    """How the lots of a product (or product category) received from a supplier
    (or any supplier) are inspected: GB/T 2828.1 inspection level, AQL per
    defect class, the test (OCA quality control questions) and whether a
    second person reviews the inspector's decision (复核)."""

    _name = "meddev.sampling.plan"
    _description = "Sampling Plan"
    _inherit = ["meddev.audit.mixin", "mail.thread"]
    _order = "sequence, id"
    _check_company_auto = True

    name = fields.Char(required=True, tracking=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True, tracking=True)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    product_id = fields.Many2one(
        "product.product",
        check_company=True,
        tracking=True,
        help="The product inspected; or leave empty and set a category.",
    )
    categ_id = fields.Many2one(
        "product.category",
        string="Product Category",
        tracking=True,
        help="Applies to the products of this category (and its subcategories) "
        "that have no plan of their own.",
    )
    partner_id = fields.Many2one(
        "res.partner",
        string="Supplier",
        check_company=True,
        tracking=True,
        help="Only lots from this supplier; empty: any supplier without a plan "
        "of its own.",
    )
    test_id = fields.Many2one(
        "qc.test",
        string="Test",
        check_company=True,
        tracking=True,
        help="The questions (measurements and checks) of each inspection.",
    )
    inspection_level = fields.Selection(
        INSPECTION_LEVELS, required=True, default="ii", tracking=True
    )
    aql_critical = fields.Selection(
        CLASS_AQL_SELECTION, string="AQL Critical", required=True, default="0"
    )
    aql_major = fields.Selection(
        CLASS_AQL_SELECTION, string="AQL Major", required=True, default="0.65"
    )
    aql_minor = fields.Selection(
        CLASS_AQL_SELECTION, string="AQL Minor", required=True, default="2.5"
    )
    review_required = fields.Boolean(
        string="Second-Person Review",
        default=True,
        tracking=True,
        help="The inspector's signed decision is reviewed and signed by a QA "
        "engineer other than the inspector (复核) before it counts.",
    )
    note = fields.Text()

    @api.constrains("product_id", "categ_id")
    def _check_subject(self):
        for plan in self:
            if bool(plan.product_id) == bool(plan.categ_id):
                raise ValidationError(
                    self.env._(
                        "Sampling plan %(plan)s applies to a product or to a "
                        "product category: set one of them.",
                        plan=plan.name,
                    )
                )

    # ------------------------------------------------------------------
    # which plan applies
    # ------------------------------------------------------------------
    @api.model
    def _meddev_find(self, products, partners, company):
        """{(product id, partner id): plan} for each product × commercial
        partner; the most specific plan wins (product and supplier, product,
        category and supplier, category; the closest category first)."""
        # the plans decide for whoever receives the goods
        plans = self.sudo().search(
            [
                ("company_id", "=", company.id),
                "|",
                ("product_id", "in", products.ids),
                ("categ_id", "parent_of", products.categ_id.ids),
            ]
        )
        found = {}
        for product in products:
            for partner in partners:
                plan = plans._meddev_best(product, partner)
                if plan:
                    found[(product.id, partner.id)] = plan.with_env(self.env)
        return found

    def _meddev_best(self, product, partner):
        def rank(plan):
            if plan.product_id:
                return (0, 0 if plan.partner_id else 1, 0)
            depth = plan.categ_id.parent_path.count("/")
            return (1, 0 if plan.partner_id else 1, -depth)

        candidates = self.filtered(
            lambda plan: (
                plan.product_id == product
                or (
                    not plan.product_id
                    and product.categ_id.parent_path.startswith(
                        plan.categ_id.parent_path
                    )
                )
            )
            and plan.partner_id in (partner, partner.browse())
        )
        return candidates.sorted(lambda plan: (rank(plan), plan.sequence))[:1]

    # ------------------------------------------------------------------
    # the plan of a lot
    # ------------------------------------------------------------------
    def _meddev_lot_values(self, lot_size, severity):
        """The inspection's sampling figures for a lot of ``lot_size`` units
        inspected with ``severity``: code letter, sample size, 100 %
        inspection and per defect class its plan (letter, n, Ac, Re)."""
        self.ensure_one()
        Master = self.env["meddev.aql.master"]
        lot_size = int(lot_size)
        vals = {"lot_size": lot_size, "severity": severity}
        vals["inspection_level"] = self.inspection_level
        if lot_size < 2:
            return self._meddev_whole_lot(vals, lot_size)
        letter = self.env["meddev.aql.code.letter"]._meddev_letter(
            self.inspection_level, lot_size
        )
        vals["code_letter"] = letter
        plans = {}
        for code, _label in DEFECT_CLASSES:
            aql = self[f"aql_{code}"]
            vals[f"aql_{code}"] = aql
            if aql != "0":
                plans[code] = Master._meddev_resolve(severity, letter, aql)
        largest = max(
            (plan["sample_size"] for plan in plans.values()),
            default=Master._meddev_sample_size(severity, letter),
        )
        for code, _label in DEFECT_CLASSES:
            plan = plans.get(code) or {
                "code_letter": letter,
                "sample_size": largest,
                "ac": 0,
                "re": 1,
            }
            vals.update(
                {
                    f"letter_{code}": plan["code_letter"],
                    f"n_{code}": min(plan["sample_size"], lot_size),
                    f"ac_{code}": plan["ac"],
                    f"re_{code}": plan["re"],
                }
            )
        vals["sample_size"] = min(largest, lot_size)
        vals["full_inspection"] = largest >= lot_size
        return vals

    def _meddev_whole_lot(self, vals, lot_size):
        vals.update(
            {
                "code_letter": False,
                "sample_size": lot_size,
                "full_inspection": True,
            }
        )
        for code, _label in DEFECT_CLASSES:
            vals.update(
                {
                    f"aql_{code}": self[f"aql_{code}"],
                    f"letter_{code}": False,
                    f"n_{code}": lot_size,
                    f"ac_{code}": 0,
                    f"re_{code}": 1,
                }
            )
        return vals
