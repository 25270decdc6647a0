from odoo import api, fields, models
from odoo.exceptions import UserError

QA_MANAGER_GROUP = "meddev_base.group_meddev_qa_manager"
# a SCAR still running keeps its exception open
OPEN_SCAR_STATES = ("draft", "issued", "answered")


class MeddevNonconformance(models.Model):
    """The SCARs issued to the supplier of an exception, and the exceptions
    suppliers report on the portal."""

    _inherit = "meddev.nonconformance"  # pylint: disable=consider-merging-classes-inherited

    scar_ids = fields.One2many("meddev.scar", "nonconformance_id", string="SCARs")
    scar_count = fields.Integer(compute="_compute_scar_count", string="SCAR Count")

    @api.depends("scar_ids")
    def _compute_scar_count(self):
        for record in self:
            record.scar_count = len(record.scar_ids)

    def _meddev_close_problems(self):
        problems = super()._meddev_close_problems()
        # the exception's SCARs count whatever the closing user may read
        running = self.sudo().scar_ids.filtered(
            lambda scar: scar.state in OPEN_SCAR_STATES
        )
        if running:
            problems.append(
                self.env._(
                    "the SCAR %(scars)s is not accepted or cancelled yet",
                    scars=", ".join(running.mapped("name")),
                )
            )
        return problems

    def action_issue_scar(self):
        """Prepare a SCAR to the exception's supplier (a draft, signed when
        issued) and open it."""
        self.ensure_one()
        if self.state not in ("new", "open"):
            raise UserError(
                self.env._(
                    "%(record)s is closed or cancelled: no SCAR is issued from it.",
                    record=self.name,
                )
            )
        if not self.partner_id:
            raise UserError(
                self.env._(
                    "%(record)s names no supplier: give it before issuing a SCAR.",
                    record=self.name,
                )
            )
        scar = self.env["meddev.scar"].create(
            {
                "nonconformance_id": self.id,
                "source": "nonconformance",
                "partner_id": self.partner_id.commercial_partner_id.id,
                "company_id": self.company_id.id,
                "product_id": self.product_id.id,
                "problem_statement": self.description,
            }
        )
        return self._meddev_open_scars(scar)

    def action_view_scars(self):
        self.ensure_one()
        return self._meddev_open_scars(self.scar_ids)

    def _meddev_open_scars(self, scars):
        action = {
            "type": "ir.actions.act_window",
            "name": self.env._("SCARs"),
            "res_model": "meddev.scar",
            "context": {"default_nonconformance_id": self.id},
        }
        if len(scars) == 1:
            return {**action, "view_mode": "form", "res_id": scars.id}
        return {
            **action,
            "view_mode": "list,form",
            "domain": [("id", "in", scars.ids)],
        }

    # ------------------------------------------------------------------
    # a supplier's report on the portal
    # ------------------------------------------------------------------
    @api.model
    def _meddev_create_from_portal(self, vals):
        """The exception a supplier's portal user reports (as the server:
        the user has no access to exceptions, and the model refuses the
        source 'portal' to users on purpose); the QA managers are told."""
        supplier = self.env.user.commercial_partner_id
        # the portal user reads no exception: the server records its report
        record = (
            self.sudo()
            .with_company(self.env.user.company_id)
            .create(
                {
                    **vals,
                    "source": "portal",
                    "partner_id": supplier.id,
                    "detected_by_id": self.env.uid,
                }
            )
        )
        record._meddev_notify_qa_managers(supplier)
        return record

    def _meddev_notify_qa_managers(self, supplier):
        """A note and a to-do for each QA manager on these (sudo) records."""
        managers = self.env.ref(QA_MANAGER_GROUP).users.filtered(
            lambda user: user.active and not user.share
        )
        activity_type = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        summary = self.env._("Exception reported by the supplier")
        self._message_log_batch(
            {
                record.id: self.env._(
                    "%(supplier)s reported the exception on the portal: "
                    "confirm and grade it.",
                    supplier=supplier.name,
                )
                for record in self
            }
        )
        self.env["mail.activity"].with_context(mail_activity_quick_update=True).create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": activity_type.id,
                    "user_id": manager.id,
                    "summary": summary,
                }
                for record in self
                for manager in managers
            ]
        )
