from odoo import models


class StockPicking(models.Model):
    """The outsourcing job is made with the subcontract order Odoo makes at
    the confirmation of the subcontracting purchase order, and returned when
    the receipt completes that order."""

    _inherit = "stock.picking"

    def _subcontracted_produce(self, subcontract_details):
        result = super()._subcontracted_produce(subcontract_details)
        productions = self.env["mrp.production"].union(
            *(move.move_orig_ids.production_id for move, _bom in subcontract_details)
        )
        self.env["meddev.outsourcing.job"]._meddev_create_for_productions(productions)
        return result

    def _action_done(self):
        result = super()._action_done()
        # the jobs are found whatever the warehouse user may read
        productions = self.sudo().move_ids.move_orig_ids.production_id
        done = productions.filtered(lambda production: production.state == "done")
        done.meddev_job_ids._meddev_mark_returned()
        return result
