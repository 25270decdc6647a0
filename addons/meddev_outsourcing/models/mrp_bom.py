from odoo import fields, models


class MrpBom(models.Model):
    _inherit = "mrp.bom"

    meddev_scope_id = fields.Many2one(
        "meddev.supplier.scope",
        string="Outsourced Process",
        domain="[('scope_type', '=', 'process')]",
        ondelete="restrict",
        help="The outsourced process this subcontracting BoM stands for (EO "
        "sterilization, CNC machining, coating): each subcontract order made "
        "from it gets an outsourcing job, and its returned goods are held in "
        "quarantine until the job is released.",
    )
