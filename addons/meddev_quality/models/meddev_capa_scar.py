from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevCapa(models.Model):
    """The SCARs of a CAPA: issued from it to its supplier, or the SCAR it
    was opened from."""

    _inherit = "meddev.capa"  # pylint: disable=consider-merging-classes-inherited

    scar_ids = fields.One2many("meddev.scar", "capa_id", string="SCARs")

    @api.model
    def _meddev_declared_actions(self):
        return {**super()._meddev_declared_actions(), "issue_scar": "Issue a SCAR"}

    def action_issue_scar(self):
        """A draft SCAR to the CAPA's supplier (signed when issued), opened."""
        self.ensure_one()
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "%(capa)s names no supplier: give it before issuing a SCAR.",
                    capa=self.name,
                )
            )
        self._meddev_check_action("issue_scar")
        scar = self.env["meddev.scar"].create(
            {
                "source": "capa",
                "capa_id": self.id,
                "nonconformance_id": self.nonconformance_ids.filtered(
                    lambda nc: nc.state in ("new", "open")
                )[:1].id,
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "product_id": self.product_id.id,
                "problem_statement": self.description or self.title,
            }
        )
        return {
            "type": "ir.actions.act_window",
            "res_model": "meddev.scar",
            "res_id": scar.id,
            "view_mode": "form",
            "target": "current",
        }
