from odoo import fields, models
from odoo.exceptions import UserError


class StockLot(models.Model):
    """The lots of a supplier's outsourcing jobs, for the rule that keeps the
    supplier's portal users to them (security/ir_rule.xml): Odoo's
    subcontracting portal rule lets a portal user read every lot of a product
    it subcontracts, another supplier's lots too."""

    _inherit = "stock.lot"

    meddev_portal_job_lot = fields.Boolean(
        string="Lot of the User's Outsourcing Jobs",
        compute="_compute_meddev_portal_job_lot",
        search="_search_meddev_portal_job_lot",
        help="The lot was returned by, or sent to, the user's company for one "
        "of the outsourcing jobs released to it.",
    )

    def _compute_meddev_portal_job_lot(self):
        found = self.browse(
            self._search([("id", "in", self.ids), ("meddev_portal_job_lot", "=", True)])
        )
        for lot in self:
            lot.meddev_portal_job_lot = lot in found

    def _search_meddev_portal_job_lot(self, operator, value):
        if operator not in ("=", "!=") or not isinstance(value, bool):
            raise UserError(
                self.env._("Unsupported search on the lots of outsourcing jobs.")
            )
        partner = self.env.user.commercial_partner_id
        job_domain = [
            ("meddev_supplier_id", "=", partner.id),
            ("date_sent", "!=", False),
        ]
        # the rule's own scope, asked in every search of lots: the user's jobs
        # and the moves of their orders are read whatever the user may read
        Job = self.env["meddev.outsourcing.job"].sudo()
        returned = Job._search([*job_domain, ("lot_id", "!=", False)])
        productions = Job._search([*job_domain, ("production_id", "!=", False)])
        sent = (
            self.env["stock.move.line"]
            .sudo()
            ._search(
                [
                    ("lot_id", "!=", False),
                    "|",
                    (
                        "move_id.raw_material_production_id",
                        "in",
                        productions.subselect("production_id"),
                    ),
                    (
                        "move_id.move_dest_ids.raw_material_production_id",
                        "in",
                        productions.subselect("production_id"),
                    ),
                ]
            )
        )
        domain = [
            "|",
            ("id", "in", returned.subselect("lot_id")),
            ("id", "in", sent.subselect("lot_id")),
        ]
        return domain if (operator == "=") == value else ["!", *domain]
