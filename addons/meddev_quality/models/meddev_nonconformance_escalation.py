from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.models.meddev_audit_checkpoint import make_append_only

from .meddev_nonconformance_grade_rule import GRADES

ESCALATION_LEVELS = [
    ("1", "1 Owner"),
    ("2", "2 QA Managers"),
    ("3", "3 Management Representative"),
]
DEADLINE_KINDS = [("containment", "Containment"), ("closure", "Closure")]


class MeddevNonconformanceEscalation(models.Model):
    """One escalation of an exception (升级): which deadline it missed, when,
    by how much, and who was told (level 1 the owner, 2 the QA managers, 3 the
    management representative), with an activity each and a note in the
    chatter. Written by the escalation cron in one statement for all the
    exceptions it escalates; append-only: the database refuses to change or
    delete a row, whoever asks."""

    _name = "meddev.nonconformance.escalation"
    _description = "Exception Escalation"
    _order = "date desc, id desc"
    _rec_name = "nonconformance_id"

    nonconformance_id = fields.Many2one(
        "meddev.nonconformance",
        string="Exception",
        required=True,
        readonly=True,
        index=True,
        ondelete="restrict",
    )
    company_id = fields.Many2one("res.company", required=True, readonly=True)
    date = fields.Datetime(required=True, readonly=True)
    level = fields.Selection(ESCALATION_LEVELS, required=True, readonly=True)
    kind = fields.Selection(
        DEADLINE_KINDS, string="Deadline Missed", required=True, readonly=True
    )
    deadline = fields.Datetime(required=True, readonly=True)
    overdue_hours = fields.Float(string="Hours Overdue", digits=(16, 1), readonly=True)
    grade = fields.Selection(GRADES, string="Grade at Escalation", readonly=True)
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        readonly=True,
        help="The exception's owner when it was escalated.",
    )

    def init(self):
        # escalations are the exception's history: never changed or deleted
        make_append_only(self.env.cr, self._table)

    @api.model_create_multi
    def create(self, vals_list):
        if not self.env.su:
            raise UserError(
                self.env._("Escalations are recorded by the server, not entered.")
            )
        return super().create(vals_list)

    def write(self, vals):
        if vals:
            raise UserError(
                self.env._("An escalation is history: it is never changed.")
            )
        return super().write(vals)

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("An escalation is history: it is never deleted."))
