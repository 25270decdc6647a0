from odoo import fields, models
from odoo.osv import expression

QMS_USER = "meddev_base.group_meddev_user"


class StockLot(models.Model):
    """The outsourcing jobs of a lot, as a smart button for QMS users: the
    jobs that returned it and the jobs it was sent to the supplier with (as a
    component of their subcontract order)."""

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
