from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevScar(models.Model):
    """A SCAR and its CAPA: issued from a CAPA, or the source of one (QA opens
    a CAPA of its own when the supplier's answer shows a cause on our side
    or a systemic one)."""

    _inherit = "meddev.scar"  # pylint: disable=consider-merging-classes-inherited

    capa_id = fields.Many2one(
        "meddev.capa",
        string="CAPA",
        index="btree_not_null",
        check_company=True,
        ondelete="restrict",
        tracking=True,
        help="The CAPA the request was issued from, or the one it started.",
    )

    @api.model
    def _meddev_declared_actions(self):
        return {**super()._meddev_declared_actions(), "open_capa": "Open a CAPA"}

    def action_open_capa(self):
        """A QA engineer opens a CAPA from the SCAR (its supplier, product and
        the exception's type)."""
        linked = self.filtered(
            lambda scar: scar.capa_id and scar.capa_id.state != "cancel"
        )
        if linked:
            raise UserError(
                self.env._(
                    "%(scars)s already has a CAPA.",
                    scars=", ".join(linked.mapped("name")),
                )
            )
        self._meddev_check_action("open_capa")
        # a CAPA from a SCAR is opened by the server (users open theirs by
        # hand or from exceptions), for the QA engineer the step was checked
        capas = (
            self.env["meddev.capa"]
            .sudo()
            .create([scar._meddev_capa_values() for scar in self])
        )
        for scar, capa in zip(self, capas, strict=True):
            scar.capa_id = capa
        if len(capas) != 1:
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": "meddev.capa",
            "res_id": capas.id,
            "view_mode": "form",
            "target": "current",
        }

    def _meddev_capa_values(self):
        self.ensure_one()
        exception = self.nonconformance_id
        return {
            "title": self.env._(
                "%(supplier)s: %(scar)s", supplier=self.partner_id.name, scar=self.name
            ),
            "company_id": self.company_id.id,
            "source": "scar",
            "nc_type_id": exception.type_id.id,
            "product_id": self.product_id.id,
            "partner_id": self.partner_id.id,
            "user_id": self.env.uid,
            "description": self.problem_statement,
            "nonconformance_ids": [fields.Command.link(exception.id)]
            if exception.state in ("new", "open") and not exception.capa_id
            else [],
        }
