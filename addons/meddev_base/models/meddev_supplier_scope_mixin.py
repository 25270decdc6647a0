import logging

from odoo import api, fields, models
from odoo.exceptions import AccessError

_logger = logging.getLogger(__name__)

PORTAL_GROUP = "meddev_base.group_meddev_supplier_portal"
# fields that say nothing of a record's content, readable by its portal users
PORTAL_BASE_FIELDS = frozenset({"id", "display_name", "meddev_supplier_id"})


def portal_restricted(model):
    """Whether the current user is a supplier's portal user (not superuser).
    Asked on every field access: internal users are answered by their
    ``share`` flag alone, without a group lookup."""
    if model.env.su:
        return False
    user = model.env.user
    return user.share and user.has_group(PORTAL_GROUP)


def portal_allowed_fields(model):
    """The fields of ``model`` a supplier's portal user may access: those the
    model lists in ``_meddev_portal_fields``, and the fields that say nothing of
    the record's content."""
    allowed = PORTAL_BASE_FIELDS.union(model._meddev_portal_fields)
    if model._active_name:
        allowed |= {model._active_name}
    return allowed


def portal_check_fields(model, operation, field_names):
    """Restrict ``field_names`` (all fields when empty) to the portal
    whitelist of ``model`` for a supplier's portal user: the fields to read
    when none were named, else the names given, or AccessError (changing
    nothing) when one is not listed. A write is checked against the fields
    the supplier may write (``_meddev_portal_write_fields``) when the model
    lists them, else against those it reads."""
    if operation == "write" and model._meddev_portal_write_fields is not None:
        allowed = frozenset(model._meddev_portal_write_fields)
    else:
        allowed = portal_allowed_fields(model)
    if not field_names:
        return [name for name in model._fields if name in allowed]
    refused = sorted(
        name for name in field_names if name in model._fields and name not in allowed
    )
    if refused:
        _logger.info(
            "Portal field access refused for operation %s, uid %s, model %s, "
            "fields %s",
            operation,
            model.env.uid,
            model._name,
            ", ".join(refused),
        )
        if operation == "write":
            message = model.env._(
                "Suppliers do not change the fields %(fields)s of %(document)s: "
                "our quality system records them.",
                fields=", ".join(refused),
                document=model._description,
            )
        else:
            message = model.env._(
                "Suppliers do not see the fields %(fields)s of %(document)s: "
                "they are internal to our quality system.",
                fields=", ".join(refused),
                document=model._description,
            )
        raise AccessError(message)
    return field_names


class MeddevPortalFieldsMixin(models.AbstractModel):
    """Supplier portal users access only the fields the model lists in
    ``_meddev_portal_fields`` (plus ``id``, ``display_name``,
    ``meddev_supplier_id`` and ``active``), through every path that checks
    field access. Brought by ``meddev.supplier.scope.mixin``; inherited alone
    by records the portal reaches through another (an agreement's lines)."""

    _name = "meddev.portal.fields.mixin"
    _description = "Record With Portal Field Whitelist"

    # the fields the supplier's portal users may read (whitelist)
    _meddev_portal_fields = ()
    # the fields they may write, or give when they create a record (where
    # their access rights allow it at all); None: those they read
    _meddev_portal_write_fields = None

    @api.model
    def check_field_access_rights(self, operation, field_names):
        if portal_restricted(self):
            field_names = portal_check_fields(self, operation, field_names)
        return super().check_field_access_rights(operation, field_names)

    @api.model
    def fields_get(self, allfields=None, attributes=None):
        result = super().fields_get(allfields, attributes)
        if portal_restricted(self):
            allowed = portal_allowed_fields(self)
            result = {name: desc for name, desc in result.items() if name in allowed}
        return result

    @api.model
    def _meddev_portal_check_create(self, vals_list):
        """Refuse (AccessError, creating nothing) the values of a supplier's
        portal user outside the fields it may write: what else the record
        holds is the server's (defaults, state). Called by the create of a
        model whose portal users may create records."""
        if portal_restricted(self):
            for vals in vals_list:
                portal_check_fields(self, "write", list(vals))

    def _fetch_field(self, field):
        # the field alone: its prefetch group holds fields the portal user
        # may not read, which would refuse the whole fetch
        records = self
        if portal_restricted(self):
            records = self.with_context(prefetch_fields=False)
        return super(MeddevPortalFieldsMixin, records)._fetch_field(field)


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

    The portal users also see only the fields the model lists in
    ``_meddev_portal_fields`` (plus ``id``, ``display_name``,
    ``meddev_supplier_id`` and ``active``), through every path that checks
    field access (read, search and group domains, order, fields_get, writes):
    internal scores, notes, risk, evaluations, signatures, chatter and the
    audit trail stay internal. Deny by default: a field added later is hidden
    from suppliers until listed. The fields of ``_order`` must be listed for
    the portal users to search at all.
    """

    _name = "meddev.supplier.scope.mixin"
    _inherit = ["meddev.portal.fields.mixin"]
    _description = "Supplier-Scoped Record"

    # the field (a many2one to res.partner) naming the supplier of the record
    _meddev_supplier_field = "partner_id"

    meddev_supplier_id = fields.Many2one(
        "res.partner",
        string="Supplier (Company)",
        compute="_compute_meddev_supplier_id",
        store=True,
        precompute=True,
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
