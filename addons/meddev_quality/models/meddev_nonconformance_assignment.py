from odoo import api, fields, models

from .meddev_nonconformance_grade_rule import GRADES


class MeddevNonconformanceAssignment(models.Model):
    """Who owns an exception, by type and grade: the most specific rule wins
    (type and grade, then type, then grade, then the catch-all)."""

    _name = "meddev.nonconformance.assignment"
    _description = "Exception Assignment Rule"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, id"

    sequence = fields.Integer(default=10)
    company_id = fields.Many2one(
        "res.company", required=True, default=lambda self: self.env.company
    )
    type_id = fields.Many2one(
        "meddev.nonconformance.type",
        string="Exception Type",
        ondelete="restrict",
        help="Empty: any type.",
    )
    grade = fields.Selection(GRADES, help="Empty: any grade.")
    user_id = fields.Many2one(
        "res.users",
        string="Owner",
        required=True,
        domain="[('share', '=', False)]",
    )
    team_user_ids = fields.Many2many(
        "res.users",
        string="Team",
        domain="[('share', '=', False)]",
        help="Investigate with the owner and follow the exception.",
    )

    @api.model
    def _meddev_rules_for(self, company):
        # the rules are configuration every reporter's exception is assigned by
        return self.sudo().search([("company_id", "=", company.id)])

    def _meddev_match(self, type_, grade):
        """The most specific of these rules for ``type_`` and ``grade``."""

        def rank(rule):
            return (
                0 if rule.type_id else 1,
                0 if rule.grade else 1,
                rule.sequence,
                rule.id,
            )

        matching = self.filtered(
            lambda rule: (not rule.type_id or rule.type_id == type_)
            and (not rule.grade or rule.grade == grade)
        )
        return matching.sorted(rank)[:1]
