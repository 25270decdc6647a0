from odoo import fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

QMS_USER = "meddev_base.group_meddev_user"


class StockLot(models.Model):
    """The outsourcing jobs of a lot, as a smart button for QMS users: the
    jobs that returned it and the jobs it was sent to the supplier with (as a
    component of their subcontract order). And the lots of a supplier's
    outsourcing jobs, for the rule that keeps the supplier's portal users to
    them (security/ir_rule.xml): Odoo's subcontracting portal rule lets a
    portal user read every lot of a product it subcontracts, another
    supplier's lots too."""

    _inherit = "stock.lot"

    meddev_job_count = fields.Integer(
        string="Outsourcing Jobs",
        compute="_compute_meddev_job_count",
        groups=QMS_USER,
    )

    def _meddev_job_domain(self):
        """The jobs that returned or were sent one of these lots (the sent
        lots as Job.lot_sent_ids finds them: the component moves of the
        order, or the resupply moves feeding them)."""
        raw = "production_id.move_raw_ids"
        return expression.OR(
            [
                [("lot_id", "in", self.ids)],
                [(f"{raw}.move_line_ids.lot_id", "in", self.ids)],
                [(f"{raw}.move_orig_ids.move_line_ids.lot_id", "in", self.ids)],
            ]
        )

    def _compute_meddev_job_count(self):
        # one search for all the lots, with the reader's rights (the sent
        # lots are computed, not stored: no grouping on them in SQL)
        jobs = self.env["meddev.outsourcing.job"].search(self._meddev_job_domain())
        counts = dict.fromkeys(self.ids, 0)
        for job in jobs:
            for lot in (job.lot_id | job.lot_sent_ids) & self:
                counts[lot.id] += 1
        for lot in self:
            lot.meddev_job_count = counts.get(lot.id, 0)

    def action_view_meddev_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_outsourcing.meddev_outsourcing_job_action"
        )
        action["domain"] = self._meddev_job_domain()
        action["context"] = {}
        return action

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
