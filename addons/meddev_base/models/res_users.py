import logging

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import AccessDenied, AccessError
from odoo.tools import SQL

from .meddev_audit_entry import _request_origin

_logger = logging.getLogger(__name__)


class ResUsers(models.Model):
    _inherit = "res.users"

    meddev_signing_locked = fields.Boolean(
        string="Signing Locked",
        readonly=True,
        copy=False,
        help="Set after too many failed signature attempts; a QMS administrator "
        "unlocks it.",
    )
    meddev_product_categ_ids = fields.Many2many(
        "product.category",
        "meddev_res_users_product_category_rel",
        "user_id",
        "categ_id",
        string="QMS Product Scope",
        help="Product categories whose QMS records the user works on (team "
        "scoping): the user then sees only the records of these categories, "
        "their subcategories and those without category, on the document types "
        "scoped by category. Empty: every category.",
    )

    @classmethod
    def _login(cls, db, credential, user_agent_env):
        """Record a failed login in the audit trail, for the security officers.

        The login's own cursor is rolled back on failure: the entry is written
        in a cursor of its own. The refusal is raised unchanged.
        """
        try:
            return super()._login(db, credential, user_agent_env=user_agent_env)
        except AccessDenied as refusal:
            cls._meddev_record_login_failure(credential, refusal)
            raise

    @classmethod
    def _meddev_record_login_failure(cls, credential, refusal):
        """Count the failed login of its source (login, IP address) in the
        current hour; the first of the hour is also an audit entry."""
        login = credential.get("login") or ""
        try:
            with cls.pool.cursor() as cr:
                cr.execute(SQL("SET LOCAL lock_timeout = '5s'"))
                # nobody is logged in: the system records the attempt
                env = api.Environment(cr, SUPERUSER_ID, {})
                user = (
                    env["res.users"]
                    .with_context(active_test=False)
                    .search(
                        env["res.users"]._get_login_domain(login),
                        order=env["res.users"]._get_login_order(),
                        limit=1,
                    )
                )
                message = refusal.args[0] if refusal.args else ""
                if not user:
                    why = env._("unknown login")
                elif not user.active:
                    why = env._("inactive user")
                elif message and message != AccessDenied().args[0]:
                    why = message  # e.g. too many failures, unknown passkey
                elif credential.get("type") == "password":
                    why = env._("wrong password")
                else:
                    why = env._("wrong credentials")
                reason = env._("Failed login: %(why)s", why=why)
                # counted per source and hour; the first attempt of each is
                # also an entry of the trail
                first = env["meddev.login.failure"]._record(
                    login, user, _request_origin()[0], reason
                )
                if not first:
                    return
                env["meddev.audit.entry"]._insert_rows(
                    [
                        (
                            user.id or None,
                            login,
                            cls._name,
                            user.id or 0,
                            login,
                            "login_failed",
                            [],
                            reason,
                            user.company_id.id or None,
                        )
                    ]
                )
        except Exception:  # pylint: disable=broad-except
            # the refusal must reach the user even if the trail cannot be written
            _logger.exception("meddev: could not record the failed login of %r", login)

    # ------------------------------------------------------------------
    # segregation of duties: conflicting roles refused when assigned
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):
        users = super().create(vals_list)
        self.env["meddev.sod.conflict"]._check_users(users)
        return users

    def write(self, vals):
        # the user form writes groups through its reified in_group_/sel_groups_
        # fields, turned into groups_id below this override
        groups_change = any(
            key == "groups_id" or key.startswith(("in_group_", "sel_groups_"))
            for key in vals
        )
        Conflict = self.env["meddev.sod.conflict"]
        before = Conflict._violations(self) if groups_change else set()
        result = super().write(vals)
        if groups_change:
            # only a conflict the change brings is refused: one that an ended
            # exception left is listed on the conflict, and does not block
            Conflict._check_users(self, ignore=before)
        if "meddev_product_categ_ids" in vals:
            # record rules read the scope: their cached domains must go
            self.env.registry.clear_cache()
        return result

    @api.model
    def meddev_welcome_data(self):
        """What the QMS welcome screen shows the current user: company, the QMS
        roles the user holds (directly or implied), the installed modules and
        the user's own work (``meddev.welcome``)."""
        category = self.env.ref("meddev_base.module_category_meddev")
        user = self.env.user
        roles = user.groups_id.filtered(lambda g: g.category_id == category)
        modules = self.env["ir.module.module"].search(
            [("name", "=like", "meddev\\_%"), ("state", "=", "installed")],
            order="name",
        )
        return {
            "user": user.name,
            "company": self.env.company.name,
            "roles": roles.sorted("name").mapped("name"),
            "modules": [
                {"name": m.name, "title": m.shortdesc, "summary": m.summary or ""}
                for m in modules
            ],
            "work": self.env["meddev.welcome"].my_work(),
        }

    def action_meddev_unlock_signing(self):
        """A QMS administrator gives back the signing right, with a trace."""
        if not self.env.user.has_group("meddev_base.group_meddev_admin"):
            raise AccessError(
                self.env._("Only a QMS administrator may unlock electronic signing.")
            )
        locked = self.filtered("meddev_signing_locked")
        # the flag is not writable by users, the administrator included
        locked.sudo().meddev_signing_locked = False
        Entry = self.env["meddev.audit.entry"]
        reason = self.env._("Unlocked by %(name)s", name=self.env.user.name)
        params = {"user_id": self.env.uid, "name": self.env.user.name}
        Entry._insert_rows(
            [
                Entry._row_for(
                    user, "sign_unlocked", [], reason, "sign_unlocked", params
                )
                for user in locked
            ]
        )
        return True
