from odoo import api, fields, models


class MrpProduction(models.Model):
    """Outsourcing jobs follow Odoo's subcontract orders: a backorder split
    from an order gets its own job, a cancelled order cancels its job."""

    _inherit = "mrp.production"

    meddev_job_ids = fields.One2many(
        "meddev.outsourcing.job", "production_id", string="Outsourcing Jobs"
    )
    meddev_job_count = fields.Integer(
        string="Outsourcing Job Count", compute="_compute_meddev_job_count"
    )

    @api.depends("meddev_job_ids")
    def _compute_meddev_job_count(self):
        for production in self:
            production.meddev_job_count = len(production.meddev_job_ids)

    def _split_productions(
        self, amounts=False, cancel_remaining_qty=False, set_consumed_qty=False
    ):
        before = {production: production.procurement_group_id for production in self}
        productions = super()._split_productions(
            amounts=amounts,
            cancel_remaining_qty=cancel_remaining_qty,
            set_consumed_qty=set_consumed_qty,
        )
        new = productions - self
        origin_by_production = {}
        for production in new:
            origin = next(
                (
                    old
                    for old, group in before.items()
                    if group == production.procurement_group_id
                ),
                None,
            )
            if origin:
                origin_by_production[production] = origin
        if origin_by_production:
            self.env["meddev.outsourcing.job"]._meddev_sync_split(origin_by_production)
        return productions

    def _action_cancel(self):
        result = super()._action_cancel()
        cancelled = self.filtered(lambda production: production.state == "cancel")
        # the jobs are found whatever the canceller may read
        cancelled.sudo().meddev_job_ids._meddev_cancel_with_order()
        return result

    def action_view_meddev_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_outsourcing.meddev_outsourcing_job_action"
        )
        action["domain"] = [("production_id", "=", self.id)]
        return action
