from odoo import models


class StockWarehouse(models.Model):
    _inherit = "stock.warehouse"

    def _meddev_rework_location(self):
        """The rework area, inside the warehouse's quarantine (the goods stay
        held there), made on first use."""
        self.ensure_one()
        quarantine = self._meddev_quarantine_location()
        # configuration the server sets up once for the warehouse, whoever's
        # disposition first sends goods to rework
        Location = self.env["stock.location"].sudo()
        location = Location.search(
            [("location_id", "=", quarantine.id), ("meddev_rework", "=", True)],
            limit=1,
        )
        if not location:
            location = Location.create(
                {
                    "name": self.env._("Rework"),
                    "location_id": quarantine.id,
                    "usage": "internal",
                    "company_id": self.company_id.id,
                    "meddev_quarantine": True,
                    "meddev_rework": True,
                }
            )
        return location.with_env(self.env)
