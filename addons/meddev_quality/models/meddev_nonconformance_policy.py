from odoo import api, fields, models
from odoo.exceptions import ValidationError

from .meddev_nonconformance_grade_rule import GRADES


class MeddevNonconformancePolicy(models.Model):
    """The time limits of an exception grade (时限): hours to contain it, days
    to close it, and after how many hours past its deadline it is escalated
    to the QA managers (level 2) and to the management representative (level
    3); the owner is told at once (level 1). A company's own policy wins over
    the shared one; the QA manager maintains them, every change audited.

    An exception's deadlines are set from its grade when it is recorded and
    change only with its grade: a later change of policy applies to the
    exceptions recorded after it."""

    _name = "meddev.nonconformance.policy"
    _description = "Exception Time Limits and Escalation"
    _inherit = ["meddev.audit.mixin"]
    _order = "company_id, grade"
    _rec_name = "grade"

    company_id = fields.Many2one(
        "res.company", help="Empty: the policy applies to every company."
    )
    grade = fields.Selection(GRADES, required=True)
    containment_hours = fields.Integer(
        string="Contain Within (Hours)",
        required=True,
        help="Hours from the recording of the exception to its containment "
        "(confirmed by a QA engineer, the lots held).",
    )
    closure_days = fields.Integer(
        string="Close Within (Days)",
        required=True,
        help="Days from the recording of the exception to its closure.",
    )
    level2_after_hours = fields.Integer(
        string="To the QA Managers After (Hours Overdue)", required=True
    )
    level3_after_hours = fields.Integer(
        string="To the Management Representative After (Hours Overdue)",
        required=True,
    )

    _sql_constraints = [
        (
            "grade_uniq",
            "unique(company_id, grade)",
            "A company has one time-limit policy per grade.",
        )
    ]

    @api.constrains(
        "containment_hours", "closure_days", "level2_after_hours", "level3_after_hours"
    )
    def _check_limits(self):
        for policy in self:
            if min(policy.containment_hours, policy.closure_days) <= 0:
                raise ValidationError(
                    self.env._("Time limits are positive numbers of hours and days.")
                )
            if not 0 <= policy.level2_after_hours <= policy.level3_after_hours:
                raise ValidationError(
                    self.env._(
                        "The management representative is reached no earlier "
                        "than the QA managers: level 3 comes after level 2."
                    )
                )
            if policy.containment_hours > policy.closure_days * 24:
                raise ValidationError(
                    self.env._("Containment cannot come later than closure.")
                )

    @api.model
    def _meddev_policies(self):
        """{(company id or False, grade): policy}; configuration every
        exception's deadlines are read from, whoever records it."""
        # the time limits apply to every reporter's exception
        return {
            (policy.company_id.id, policy.grade): policy
            for policy in self.sudo().search([])
        }

    @api.model
    def _meddev_policy_for(self, policies, company, grade):
        """The policy of ``grade`` for ``company`` (its own before the shared
        one) from ``_meddev_policies()``, or an empty recordset."""
        return (
            policies.get((company.id, grade))
            or policies.get((False, grade))
            or self.browse()
        )
