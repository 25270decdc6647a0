from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools.translate import LazyTranslate

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason
from odoo.addons.meddev_base.models.meddev_supplier_scope_mixin import (
    portal_restricted,
)

from .meddev_supplier_qualification import APPROVED_STATES

# the reasons the system writes are lazy translations: the audit trail keeps
# their source and reads them in the reader's language (system_reason)
# pylint: disable=prefer-env-translation
_lt = LazyTranslate(__name__)


class MeddevSupplierChangeNotice(models.Model):
    """A change the supplier notified before making it (ISO 13485 §7.4.2):
    process, material, site, equipment, subcontractor, organisation.

    Received → under evaluation (a QA engineer: starts a for-cause evaluation of
    each of the supplier's qualified or conditional qualifications for the
    scopes concerned, through the qualification's own action) → accepted or
    rejected (a QA manager, signed; rejection with its reason).
    """

    _name = "meddev.supplier.change.notice"
    _description = "Supplier Change Notice"
    _inherit = [
        "meddev.supplier.record.mixin",
        "meddev.stage.permission.mixin",
        "mail.thread",
        "mail.activity.mixin",
    ]
    _order = "received_date desc, id desc"
    _meddev_sequence_code = "meddev.supplier.change.notice"
    _audit_controlled_states = ("accepted", "rejected")
    # what the supplier fills in when it notifies a change on the portal
    _meddev_portal_write_fields = (
        "partner_id",
        "scope_ids",
        "change_type",
        "description",
        "reason",
        "affected_products",
        "planned_date",
    )
    # the supplier's own notice; not the qualifications it re-evaluates
    _meddev_portal_fields = (
        *_meddev_portal_write_fields,
        "name",
        "received_date",
        "state",
    )
    _meddev_actions = {
        "evaluate": "Evaluate",
        "accept": "Accept",
        "reject": "Reject",
    }

    name = fields.Char(
        string="Reference", required=True, readonly=True, copy=False, default="/"
    )
    scope_ids = fields.Many2many(
        "meddev.supplier.scope",
        string="Scopes Concerned",
        help="The qualification scopes the change may affect: their qualified "
        "or conditional qualifications are re-evaluated for cause.",
    )
    change_type = fields.Selection(
        [
            ("process", "Process"),
            ("material", "Material"),
            ("site", "Site"),
            ("equipment", "Equipment"),
            ("subcontractor", "Subcontractor"),
            ("organisation", "Organisation"),
            ("other", "Other"),
        ],
        string="Type of Change",
        required=True,
        tracking=True,
    )
    description = fields.Text(required=True, help="What changes.")
    reason = fields.Text(string="Reason for the Change")
    affected_products = fields.Text(
        help="The products, parts or lots the change affects, as the supplier "
        "names them."
    )
    planned_date = fields.Date(
        string="Planned Change Date",
        tracking=True,
        help="When the supplier intends to make the change.",
    )
    received_date = fields.Date(
        string="Received On",
        required=True,
        default=fields.Date.context_today,
        tracking=True,
    )
    state = fields.Selection(
        string="Status",
        selection=[
            ("received", "Received"),
            ("under_evaluation", "Under Evaluation"),
            ("accepted", "Accepted"),
            ("rejected", "Rejected"),
        ],
        default="received",
        required=True,
        readonly=True,
        tracking=True,
        index=True,
        copy=False,
    )
    qualification_ids = fields.Many2many(
        "meddev.supplier.qualification",
        "meddev_supplier_change_notice_qualification_rel",
        "notice_id",
        "qualification_id",
        string="Qualifications Re-evaluated",
        readonly=True,
        copy=False,
        help="The qualifications whose for-cause evaluation the notice started.",
    )

    @api.depends("name", "partner_id.name")
    def _compute_display_name(self):
        for notice in self:
            notice.display_name = " - ".join(
                part for part in (notice.name, notice.partner_id.name) if part
            )

    @api.model_create_multi
    def create(self, vals_list):
        self._meddev_portal_check_create(vals_list)
        notices = super().create(vals_list)
        if portal_restricted(self):
            notices._meddev_notify_qa_managers(
                self.env._("Evaluate the supplier's change notice"),
                self.env._(
                    "Submitted by the supplier on the portal (%(user)s).",
                    user=self.env.user.name,
                ),
            )
        return notices

    @api.ondelete(at_uninstall=False)
    def _unlink_only_received(self):
        if self.filtered(lambda notice: notice.state != "received"):
            raise UserError(
                self.env._(
                    "Only change notices not yet evaluated can be deleted; reject "
                    "the others."
                )
            )

    # ------------------------------------------------------------------
    # actions
    # ------------------------------------------------------------------
    def _concerned_qualifications(self):
        """The supplier's qualified or conditional qualifications for the
        scopes of the notices, in one search."""
        qualifications = self.env["meddev.supplier.qualification"].search(
            [
                ("meddev_supplier_id", "in", self.meddev_supplier_id.ids),
                ("scope_id", "in", self.scope_ids.ids),
                ("state", "in", APPROVED_STATES),
            ]
        )
        return {
            notice: qualifications.filtered(
                lambda q, n=notice: q.meddev_supplier_id == n.meddev_supplier_id
                and q.scope_id in n.scope_ids
            )
            for notice in self
        }

    def action_evaluate(self):
        """Start the evaluation of the change: a for-cause re-evaluation of the
        supplier's approved qualifications for the scopes concerned, by the
        qualification's own action (so its stage permission applies to the
        current user as well)."""
        unscoped = self.filtered(lambda notice: not notice.scope_ids)
        if unscoped:
            raise UserError(
                self.env._(
                    "Name the scopes the change concerns before evaluating "
                    "%(notices)s.",
                    notices=", ".join(unscoped.mapped("display_name")),
                )
            )
        self._meddev_check_action("evaluate")
        concerned = self._concerned_qualifications()
        qualifications = self.env["meddev.supplier.qualification"].union(
            *concerned.values()
        )
        # a qualification already being evaluated takes the change into that
        # evaluation (linked to the notice), without a second one
        idle = qualifications.filtered(lambda q: not q.current_evaluation_id)
        if idle:
            notices = ", ".join(self.mapped("name"))
            idle.with_context(
                meddev_evaluation_type="for_cause",
                meddev_evaluation_trigger=self.env._(
                    "Supplier change notice %(notices)s", notices=notices
                ),
                audit_reason=system_reason(
                    self.env,
                    _lt(
                        "For-cause evaluation: supplier change notice %(notices)s",
                        notices=notices,
                    ),
                ),
            ).action_start_evaluation()
        for notice, linked in concerned.items():
            notice.write(
                {
                    "state": "under_evaluation",
                    "qualification_ids": [fields.Command.set(linked.ids)],
                }
            )
            if not linked:
                notice.message_post(
                    body=self.env._(
                        "The supplier has no qualified or conditional "
                        "qualification for the scopes concerned: no evaluation "
                        "was started."
                    )
                )
        return True

    def action_accept(self):
        self._meddev_check_action("accept")
        self.write({"state": "accepted"})
        return True

    def action_reject(self):
        self._require_reason(self.env._("Rejection"))
        self._meddev_check_action("reject")
        self.write({"state": "rejected"})
        return True

    def action_view_qualifications(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_supplier.meddev_supplier_qualification_action"
        )
        action["domain"] = [("id", "in", self.qualification_ids.ids)]
        action["context"] = {"create": False}
        return action
