from odoo import api, fields, models
from odoo.exceptions import ValidationError


class MeddevSodConflict(models.Model):
    """Two roles one user may not hold together (segregation of duties), e.g.
    QMS Administrator with QA Manager: who configures the system does not
    approve the quality records it controls.

    Enforced whenever a user's groups change (user form, group form, imports,
    RPC, temporary grants): a user who would hold both roles is refused, unless
    a ``meddev.sod.exception`` for that user and pair is approved with an
    electronic signature and still valid.
    """

    _name = "meddev.sod.conflict"
    _description = "Conflicting Roles"
    _inherit = ["meddev.audit.mixin"]
    _order = "sequence, id"

    name = fields.Char(string="Why They Conflict", required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    # restrict: a role named by a conflict rule is not deleted behind the
    # rule's back; the rule is deleted first (audited)
    group_a_id = fields.Many2one(
        "res.groups", string="Role", required=True, ondelete="restrict"
    )
    group_b_id = fields.Many2one(
        "res.groups", string="Conflicts With", required=True, ondelete="restrict"
    )
    violation_user_ids = fields.Many2many(
        "res.users",
        string="Users Holding Both",
        compute="_compute_violation_user_ids",
        help="Users who hold both roles without a valid exception (they held "
        "them before the rule, or their exception ended).",
    )
    exception_ids = fields.One2many(
        "meddev.sod.exception", "conflict_id", string="Exceptions"
    )

    _sql_constraints = [
        (
            "pair_unique",
            "UNIQUE (group_a_id, group_b_id)",
            "This pair of roles is already declared conflicting.",
        ),
    ]

    @api.depends("group_a_id", "group_b_id")
    def _compute_display_name(self):
        for conflict in self:
            conflict.display_name = (
                f"{conflict.group_a_id.name or ''} × {conflict.group_b_id.name or ''}"
            )

    @api.depends("group_a_id", "group_b_id")
    def _compute_violation_user_ids(self):
        holders = self.group_a_id.users | self.group_b_id.users
        excused = self._excused(holders)
        for conflict in self:
            users = conflict.group_a_id.users & conflict.group_b_id.users
            conflict.violation_user_ids = users.filtered(
                lambda u, c=conflict: (u.id, c.id) not in excused
            )

    @api.constrains("group_a_id", "group_b_id")
    def _check_pair(self):
        # declared the other way round, archived ones included: one search
        reverse = self.with_context(active_test=False).search(
            [
                ("group_a_id", "in", self.group_b_id.ids),
                ("group_b_id", "in", self.group_a_id.ids),
            ]
        )
        declared = {(r.group_a_id, r.group_b_id) for r in reverse}
        for conflict in self:
            if conflict.group_a_id == conflict.group_b_id:
                raise ValidationError(self.env._("A role cannot conflict with itself."))
            if (conflict.group_b_id, conflict.group_a_id) in declared:
                raise ValidationError(
                    self.env._(
                        "%(a)s and %(b)s are already declared conflicting.",
                        a=conflict.group_a_id.name,
                        b=conflict.group_b_id.name,
                    )
                )

    # ------------------------------------------------------------------
    # the check
    # ------------------------------------------------------------------
    @api.model
    def _excused(self, users):
        """{(user id, conflict id)} of the valid approved exceptions."""
        if not users:
            return set()
        now = fields.Datetime.now()
        # exceptions are enforced whatever the user changing groups may read
        exceptions = (
            self.env["meddev.sod.exception"]
            .sudo()
            .search(
                [
                    ("state", "=", "approved"),
                    ("user_id", "in", users.ids),
                    "|",
                    ("date_end", "=", False),
                    ("date_end", ">", now),
                ]
            )
        )
        return {(e.user_id.id, e.conflict_id.id) for e in exceptions}

    @api.model
    def _unexcused(self, holdings):
        """{key: conflicts} for ``holdings``, a list of (key, user, groups): the
        conflicting pairs each user would hold with those groups, without a
        valid exception. One search of the rules and one of the exceptions."""
        # the rules are configuration, enforced whatever the user may read
        conflicts = self.sudo().search([("active", "=", True)])
        if not holdings or not conflicts:
            return {}
        excused = self._excused(
            self.env["res.users"].union(*(user for _key, user, _groups in holdings))
        )
        result = {}
        for key, user, groups in holdings:
            found = conflicts.filtered(
                lambda c, u=user, g=groups: c.group_a_id in g
                and c.group_b_id in g
                and (u.id, c.id) not in excused
            )
            if found:
                result[key] = found
        return result

    @api.model
    def _violations(self, users):
        """{(user id, conflict id)} of ``users`` holding a conflicting pair
        without a valid exception."""
        found = self._unexcused(
            [(user.id, user, user.groups_id) for user in users.filtered("active")]
        )
        return {
            (user_id, conflict.id)
            for user_id, conflicts in found.items()
            for conflict in conflicts
        }

    @api.model
    def _check_users(self, users, ignore=()):
        """Refuse (ValidationError) when one of ``users`` holds a conflicting
        pair of roles without a valid exception (pairs in ``ignore`` aside)."""
        found = sorted(self._violations(users) - set(ignore))
        if not found:
            return
        users = self.env["res.users"].browse([user_id for user_id, _c in found])
        # named whatever the user changing groups may read
        conflicts = self.sudo().browse([conflict_id for _u, conflict_id in found])
        problems = [
            self.env._(
                "%(user)s would hold %(a)s and %(b)s (%(why)s)",
                user=user.name,
                a=conflict.group_a_id.name,
                b=conflict.group_b_id.name,
                why=conflict.name,
            )
            for user, conflict in zip(users, conflicts, strict=True)
        ]
        raise ValidationError(
            self.env._(
                "Segregation of duties: %(problems)s. Record an exception with its "
                "reason, approved by electronic signature, first (Medical Device "
                "QMS → Configuration → Segregation of Duties Exceptions).",
                problems="; ".join(problems),
            )
        )
