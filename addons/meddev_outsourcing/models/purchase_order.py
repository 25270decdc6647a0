from odoo import fields, models

QMS_USER = "meddev_base.group_meddev_user"


class PurchaseOrder(models.Model):
    """The outsourcing jobs of a subcontracting purchase order, as a smart
    button for QMS users."""

    _inherit = "purchase.order"

    meddev_job_count = fields.Integer(
        string="Outsourcing Jobs",
        compute="_compute_meddev_job_count",
        groups=QMS_USER,
    )

    def _compute_meddev_job_count(self):
        # counted with the reader's rights: only the jobs they may read
        groups = self.env["meddev.outsourcing.job"]._read_group(
            [("purchase_id", "in", self.ids)], ["purchase_id"], ["__count"]
        )
        counts = {order.id: count for order, count in groups}
        for order in self:
            order.meddev_job_count = counts.get(order.id, 0)

    def action_view_meddev_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_outsourcing.meddev_outsourcing_job_action"
        )
        action["domain"] = [("purchase_id", "=", self.id)]
        action["context"] = {}
        return action
