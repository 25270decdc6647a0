from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

# the system's reasons for change are lazy translations, read in each
# reader's language in the audit trail (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)
LINKED_BY_TREND = _lt("Counted by a CAPA trend rule")
RECURRED = _lt("A closed CAPA's problem recurred")

# what a closed CAPA and a new exception must share to be a recurrence: each
# key the CAPA names
RECURRENCE_KEYS = (
    ("nc_type_id", "type_id"),
    ("product_id", "product_id"),
    ("partner_id", "partner_id"),
)


class MeddevNonconformance(models.Model):
    """The CAPA side of an exception: the CAPA it is handled by (required to
    close it when a CAPA was decided), the QA engineer's "Open a CAPA", and
    what a new exception tells the CAPAs: a trend that calls for one, or the
    recurrence of a closed one."""

    _inherit = "meddev.nonconformance"  # pylint: disable=consider-merging-classes-inherited

    capa_id = fields.Many2one(
        "meddev.capa",
        string="CAPA",
        index=True,
        ondelete="restrict",
        check_company=True,
        tracking=True,
        copy=False,
    )
    capa_state = fields.Selection(related="capa_id.state", string="CAPA Status")

    @api.model
    def _meddev_declared_actions(self):
        return {**super()._meddev_declared_actions(), "open_capa": "Open a CAPA"}

    # ------------------------------------------------------------------
    # closure
    # ------------------------------------------------------------------
    @api.depends("capa_id.state")
    def _compute_close_problems(self):
        # the dependencies add up with the core's (resolved along the MRO)
        return super()._compute_close_problems()

    def _meddev_close_problems(self):
        problems = super()._meddev_close_problems()
        if self.capa_required == "yes" and (
            not self.capa_id or self.capa_id.state == "cancel"
        ):
            problems.append(self.env._("a CAPA is required: open or link it"))
        return problems

    # ------------------------------------------------------------------
    # opening a CAPA
    # ------------------------------------------------------------------
    def action_open_capa(self):
        """A QA engineer opens a CAPA for each exception (its product,
        supplier and type as the CAPA's)."""
        linked = self.filtered(
            lambda record: record.capa_id and record.capa_id.state != "cancel"
        )
        if linked:
            raise UserError(
                self.env._(
                    "%(records)s already has a CAPA.",
                    records=", ".join(linked.mapped("name")),
                )
            )
        self._meddev_check_action("open_capa")
        capas = self.env["meddev.capa"].create(
            [record._meddev_capa_vals() for record in self]
        )
        for record, capa in zip(self, capas, strict=True):
            record.write({"capa_id": capa.id})
        if len(capas) != 1:
            return True
        return {
            "type": "ir.actions.act_window",
            "res_model": "meddev.capa",
            "res_id": capas.id,
            "view_mode": "form",
            "target": "current",
        }

    def _meddev_capa_vals(self):
        self.ensure_one()
        return {
            "title": self.env._(
                "%(type)s: %(exception)s", type=self.type_id.name, exception=self.name
            ),
            "company_id": self.company_id.id,
            "source": "nonconformance",
            "nc_type_id": self.type_id.id,
            "product_id": self.product_id.id,
            "partner_id": self.partner_id.commercial_partner_id.id,
            "user_id": (self.user_id or self.env.user).id,
            "description": self.description,
        }

    def _meddev_link_capa(self, capa):
        """Link the exceptions to ``capa`` on the server (a trend's proposal),
        closed ones too."""
        # the server links the exceptions the trend counted, whoever recorded
        # the last one; a closed exception's change carries the system's reason
        self.sudo().with_context(
            audit_reason=system_reason(self.env, LINKED_BY_TREND)
        ).write({"capa_id": capa.id})

    # ------------------------------------------------------------------
    # what a new exception tells the CAPAs
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        records._meddev_flag_recurrences()
        self.env["meddev.capa.trend.rule"]._meddev_evaluate(records)
        return records

    def _meddev_flag_recurrences(self):
        """Flag the closed CAPAs these exceptions repeat: one search for all."""
        keys = self.filtered(lambda r: r.product_id or r.partner_id or r.type_id)
        if not keys:
            return
        # the server flags the CAPAs whoever recorded the exception
        closed = (
            self.env["meddev.capa"]
            .sudo()
            .search(
                [
                    ("state", "=", "closed"),
                    ("company_id", "in", keys.company_id.ids),
                    "|",
                    "|",
                    ("nc_type_id", "in", keys.type_id.ids),
                    ("product_id", "in", keys.product_id.ids),
                    ("partner_id", "in", keys.partner_id.commercial_partner_id.ids),
                ]
            )
        )
        recurred = {}
        for capa in closed:
            found = keys.filtered(lambda r, c=capa: c._meddev_recurs_in(r))
            if found:
                recurred[capa] = found
        if recurred:
            # the server flags the closed CAPAs, whoever recorded the exception
            self.env["meddev.capa"].sudo()._meddev_flag_recurrence(recurred)
