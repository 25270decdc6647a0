from odoo import fields, models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    meddev_quarantine_location_id = fields.Many2one(
        "stock.location",
        string="Quarantine Location",
        check_company=True,
        help="Where goods returned by outsourcing suppliers are received and "
        "held until their job is released.",
    )

    def _meddev_quarantine_location(self):
        """The warehouse's quarantine location, made on first use."""
        self.ensure_one()
        if self.meddev_quarantine_location_id:
            return self.meddev_quarantine_location_id
        # configuration the server sets up once for the warehouse, whoever
        # confirms the first outsourcing order
        warehouse = self.sudo()
        location = warehouse.env["stock.location"].create(
            {
                "name": self.env._("Quarantine"),
                "location_id": warehouse.view_location_id.id,
                "usage": "internal",
                "company_id": warehouse.company_id.id,
                "meddev_quarantine": True,
            }
        )
        warehouse.meddev_quarantine_location_id = location
        return location.with_env(self.env)
