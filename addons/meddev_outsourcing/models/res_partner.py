from odoo import fields, models

QMS_USER = "meddev_base.group_meddev_user"


class ResPartner(models.Model):
    """The supplier's outsourcing jobs, as a smart button for QMS users:
    counted for the commercial partner."""

    _inherit = "res.partner"

    meddev_job_count = fields.Integer(
        string="Outsourcing Jobs",
        compute="_compute_meddev_job_count",
        groups=QMS_USER,
    )

    def _compute_meddev_job_count(self):
        # counted with the reader's rights: only the jobs they may read
        groups = self.env["meddev.outsourcing.job"]._read_group(
            [("meddev_supplier_id", "in", self.commercial_partner_id.ids)],
            ["meddev_supplier_id"],
            ["__count"],
        )
        counts = {partner.id: count for partner, count in groups}
        for partner in self:
            partner.meddev_job_count = counts.get(partner.commercial_partner_id.id, 0)

    def action_view_meddev_jobs(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_outsourcing.meddev_outsourcing_job_action"
        )
        action["domain"] = [("meddev_supplier_id", "=", self.commercial_partner_id.id)]
        action["context"] = {}
        return action
