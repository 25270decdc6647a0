from odoo import api, fields, models

PORTAL_GROUP = "meddev_base.group_meddev_supplier_portal"


class MeddevSupplierScopeMixin(models.AbstractModel):
    """Records of one supplier: its portal users read them, never another
    supplier's.

    A model that suppliers see on the portal (outsourcing jobs, certificates,
    SCARs...) inherits this mixin and names the field holding the supplier::

        class OutsourcingJob(models.Model):
            _name = "meddev.outsourcing.job"
            _inherit = ["meddev.supplier.scope.mixin", ...]
            _meddev_supplier_field = "partner_id"

    The mixin stores the supplier's commercial partner in ``meddev_supplier_id``
    and, when the model's table is set up, gives the Supplier Portal User role a
    record rule ``meddev_supplier_id = the user's commercial partner`` for every
    operation (xml id ``<model's module>.supplier_scope_rule_<table>``, so that
    it goes with the module). The rule is
    configuration like any other: the permission matrix lists it, and the model's
    module still grants the role its access rights in ``ir.model.access.csv``.
    Internal users are not restricted by it.
    """

    _name = "meddev.supplier.scope.mixin"
    _description = "Supplier-Scoped Record"

    # the field (a many2one to res.partner) naming the supplier of the record
    _meddev_supplier_field = "partner_id"

    meddev_supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier (Company)",
        compute="_compute_meddev_supplier_id",
        store=True,
        index=True,
        help="The supplier's company: its portal users see the record.",
    )

    @api.depends(lambda self: [self._meddev_supplier_field])
    def _compute_meddev_supplier_id(self):
        for record in self:
            partner = record[record._meddev_supplier_field]
            record.meddev_supplier_id = partner.commercial_partner_id

    def init(self):
        super().init()
        if self._abstract or not self._auto or not self._table:
            return
        # after the model is reflected in ir.model (init() runs before)
        self.pool.post_init(self._meddev_ensure_supplier_rule)

    @api.model
    def _meddev_ensure_supplier_rule(self):
        """Create the Supplier Portal User's record rule of this model, once."""
        portal = self.env.ref(PORTAL_GROUP, raise_if_not_found=False)
        if portal:
            self.env["ir.rule"]._meddev_ensure_model_rule(
                self,
                "supplier_scope_rule_",
                "the supplier's own records (portal)",
                "[('meddev_supplier_id', '=', user.commercial_partner_id.id)]",
                groups=portal,
            )
