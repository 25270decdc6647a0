from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.models.meddev_stage_permission_mixin import (
    SERVER_WRITE_KEY,
)

QA_GROUP = "meddev_base.group_meddev_qa_engineer"
# the plan's actions are added while it is drafted, and while it is carried
# out (after a failed effectiveness check, for instance)
ADD_STATES = ("draft", "investigation", "implementation")
EDIT_STATES = ("draft", "investigation")
# written by the action's steps only
SERVER_FIELDS = ("state", "done_on", "done_by_id", "activity_id")
# what the owner writes on an own action before marking it done
OWNER_FIELDS = ("completion_note",)


class MeddevCapaAction(models.Model):
    """An action of a CAPA's plan: what is done, by whom, by when.

    QA engineers plan the actions while the CAPA is investigated; when the
    plan is approved each owner gets a to-do (all of them in one batch) and
    marks the action done, with a note of what was done. The due date then
    moves only by a signed extension request."""

    _name = "meddev.capa.action"
    _description = "CAPA Action"
    _inherit = ["meddev.audit.mixin"]
    _order = "capa_id, sequence, id"
    _check_company_auto = True
    _audit_controlled_states = ("done",)

    capa_id = fields.Many2one(
        "meddev.capa",
        string="CAPA",
        required=True,
        index=True,
        # a CAPA is never deleted: its actions never go with it
        ondelete="restrict",
        check_company=True,
    )
    company_id = fields.Many2one(
        related="capa_id.company_id", store=True, precompute=True, index=True
    )
    capa_state = fields.Selection(related="capa_id.state", string="CAPA Status")
    sequence = fields.Integer(default=10)
    name = fields.Char(string="Action", required=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        index=True,
        domain="[('share', '=', False)]",
    )
    date_due = fields.Date(string="Due Date", required=True)
    state = fields.Selection(
        [("open", "Open"), ("done", "Done")],
        string="Status",
        default="open",
        required=True,
        readonly=True,
        copy=False,
    )
    completion_note = fields.Text(string="What Was Done")
    done_by_id = fields.Many2one("res.users", readonly=True, copy=False)
    done_on = fields.Datetime(readonly=True, copy=False)
    activity_id = fields.Many2one(
        "mail.activity", readonly=True, copy=False, ondelete="set null"
    )
    is_overdue = fields.Boolean(compute="_compute_is_overdue")

    def _compute_is_overdue(self):
        today = fields.Date.context_today(self)
        for action in self:
            action.is_overdue = action.state == "open" and action.date_due < today

    # ------------------------------------------------------------------
    # what may be written
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            self._meddev_check_create(vals_list)
        actions = super().create(vals_list)
        actions.filtered(
            lambda action: action.capa_id.state == "implementation"
        )._meddev_schedule_activities()
        return actions

    def _meddev_check_create(self, vals_list):
        capas = self.env["meddev.capa"].browse(
            {vals.get("capa_id") for vals in vals_list if vals.get("capa_id")}
        )
        closed = capas.filtered(lambda capa: capa.state not in ADD_STATES)
        if closed:
            raise UserError(
                self.env._(
                    "Actions are added to %(capas)s only while its plan is "
                    "drafted or carried out.",
                    capas=", ".join(closed.mapped("name")),
                )
            )
        for vals in vals_list:
            if set(vals) & set(SERVER_FIELDS):
                raise UserError(
                    self.env._("A new action is open; its owner marks it done.")
                )

    def _meddev_server_marked(self):
        writing = self.env.cr.cache.get(SERVER_WRITE_KEY, set())
        return all((self._name, record_id) in writing for record_id in self.ids)

    def _meddev_server_write(self, vals):
        marks = {(self._name, record_id) for record_id in self.ids}
        writing = self.env.cr.cache.setdefault(SERVER_WRITE_KEY, set())
        writing.update(marks)
        try:
            return self.write(vals)
        finally:
            writing.difference_update(marks)

    def write(self, vals):
        if not self.env.su and not self._meddev_server_marked():
            self._meddev_check_write(vals)
        result = super().write(vals)
        if "user_id" in vals:
            self._meddev_reassign_activities()
        return result

    def _meddev_check_write(self, vals):
        if set(vals) & set(SERVER_FIELDS):
            raise UserError(
                self.env._("An action is marked done by its owner, not written.")
            )
        if "capa_id" in vals:
            raise UserError(self.env._("An action stays with its CAPA."))
        if not self.env.user.has_group(QA_GROUP):
            self._meddev_check_owner_write(vals)
            return
        if "date_due" in vals:
            fixed = self.filtered(lambda a: a.capa_id.state not in EDIT_STATES)
            if fixed:
                raise UserError(
                    self.env._(
                        "The due date of %(actions)s is approved: it moves only "
                        "by a signed extension request.",
                        actions=", ".join(fixed.mapped("name")),
                    )
                )
        if set(vals) - {"date_due", *OWNER_FIELDS}:
            fixed = self.filtered(lambda a: a.capa_id.state not in ADD_STATES)
            if fixed:
                raise UserError(
                    self.env._(
                        "%(actions)s can no longer be changed: the CAPA is "
                        "past its implementation.",
                        actions=", ".join(fixed.mapped("name")),
                    )
                )

    def _meddev_check_owner_write(self, vals):
        others = self.filtered(
            lambda a: a.user_id != self.env.user
            or a.capa_id.state != "implementation"
            or a.state != "open"
        )
        if set(vals) - set(OWNER_FIELDS) or others:
            raise UserError(
                self.env._(
                    "An action's owner records what was done on an open action "
                    "of a CAPA being implemented; QA engineers plan the actions."
                )
            )

    @api.ondelete(at_uninstall=False)
    def _unlink_except_planned(self):
        fixed = self.filtered(lambda a: a.capa_id.state not in EDIT_STATES)
        if fixed and not self.env.is_superuser():
            raise UserError(
                self.env._(
                    "%(actions)s belong to a submitted plan: they are not " "deleted.",
                    actions=", ".join(fixed.mapped("name")),
                )
            )

    # ------------------------------------------------------------------
    # to-dos and completion
    # ------------------------------------------------------------------
    def _meddev_schedule_activities(self):
        """One to-do per open action for its owner, on its CAPA, created in
        one batch."""
        pending = self.filtered(lambda a: a.state == "open" and not a.activity_id)
        if not pending:
            return
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id("meddev.capa")
        # the server assigns the to-dos to the owners the approved plan names
        activities = (
            self.env["mail.activity"]
            .sudo()
            .create(
                [
                    {
                        "res_model_id": model_id,
                        "res_id": action.capa_id.id,
                        "activity_type_id": todo.id,
                        "automated": True,
                        "user_id": action.user_id.id,
                        "date_deadline": action.date_due,
                        "summary": self.env._(
                            "CAPA action: %(action)s", action=action.name
                        ),
                        "note": self.env._(
                            "%(capa)s: %(action)s, due on %(date)s. Mark it done "
                            "on the CAPA with what was done.",
                            capa=action.capa_id.name,
                            action=action.name,
                            date=action.date_due,
                        ),
                    }
                    for action in pending
                ]
            )
        )
        for action, activity in zip(pending, activities, strict=True):
            action._meddev_server_write({"activity_id": activity.id})

    def _meddev_reassign_activities(self):
        # the to-do follows the action's new owner
        activities = self.filtered("activity_id")
        for user in activities.user_id:
            activities.filtered(
                lambda a, u=user: a.user_id == u
            ).activity_id.sudo().write({"user_id": user.id})

    def action_done(self):
        """The owner marks the action done, with what was done."""
        for action in self:
            if action.user_id != self.env.user:
                raise UserError(
                    self.env._(
                        "%(action)s is marked done by its owner, %(owner)s.",
                        action=action.name,
                        owner=action.user_id.name,
                    )
                )
            if action.capa_id.state != "implementation" or action.state != "open":
                raise UserError(
                    self.env._(
                        "%(action)s is done only while its CAPA is implemented.",
                        action=action.name,
                    )
                )
            if not (action.completion_note or "").strip():
                raise UserError(
                    self.env._("%(action)s: say what was done.", action=action.name)
                )
        self._meddev_server_write(
            {
                "state": "done",
                "done_by_id": self.env.uid,
                "done_on": fields.Datetime.now(),
            }
        )
        for action in self.filtered("activity_id"):
            # the owner's own to-do, whatever access the owner has to activities
            action.activity_id.sudo().action_feedback(feedback=action.completion_note)
        return True
