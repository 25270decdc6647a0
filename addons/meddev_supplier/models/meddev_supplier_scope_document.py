from odoo import api, fields, models


def _certificate_types(model):
    return model.env["meddev.supplier.certificate"]._fields["cert_type"].selection


class MeddevSupplierScopeDocument(models.Model):
    """A document a supplier must have on file, valid and covering the scope,
    before QA may approve it for that scope (e.g. EO sterilization: the ISO
    13485 certificate and the sterilization validation report)."""

    _name = "meddev.supplier.scope.document"
    _description = "Required Supplier Document"
    _inherit = ["meddev.audit.mixin"]
    _order = "scope_id, sequence, id"

    scope_id = fields.Many2one(
        "meddev.supplier.scope", required=True, index=True, ondelete="restrict"
    )
    sequence = fields.Integer(default=10)
    cert_type = fields.Selection(
        selection=_certificate_types, string="Document Type", required=True
    )
    note = fields.Char(
        help="What the document must show, e.g. the scope of certification "
        "includes sterilization services."
    )

    _sql_constraints = [
        (
            "scope_type_unique",
            "UNIQUE (scope_id, cert_type)",
            "A document type is required once per scope.",
        ),
    ]

    @api.depends("cert_type")
    def _compute_display_name(self):
        types = dict(self._fields["cert_type"]._description_selection(self.env))
        for document in self:
            document.display_name = types.get(document.cert_type, "")
