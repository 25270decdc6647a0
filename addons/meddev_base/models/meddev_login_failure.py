from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

# Failed logins are counted per source and window: the length of a window
WINDOW = "1 hour"

# Rows only grow: a new attempt raises the count and the last attempt, nothing
# else changes, and no row is deleted, whoever issues the statement.
GUARD_FUNCTION = SQL(
    """
CREATE OR REPLACE FUNCTION meddev_login_failure_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'UPDATE'
       AND NEW.attempt_count > OLD.attempt_count
       AND NEW.last_attempt >= OLD.last_attempt
       AND (to_jsonb(NEW) - 'attempt_count' - 'last_attempt' - 'last_login_tried'
            - 'last_reason') = (to_jsonb(OLD) - 'attempt_count' - 'last_attempt'
            - 'last_login_tried' - 'last_reason') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'meddev_login_failure only counts up: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$fn$;
DROP TRIGGER IF EXISTS meddev_login_failure_guard_row ON meddev_login_failure;
CREATE TRIGGER meddev_login_failure_guard_row
    BEFORE UPDATE OR DELETE ON meddev_login_failure
    FOR EACH ROW EXECUTE FUNCTION meddev_login_failure_guard();
DROP TRIGGER IF EXISTS meddev_login_failure_guard_truncate ON meddev_login_failure;
CREATE TRIGGER meddev_login_failure_guard_truncate
    BEFORE TRUNCATE ON meddev_login_failure
    FOR EACH STATEMENT EXECUTE FUNCTION meddev_login_failure_guard();
"""
)


class MeddevLoginFailure(models.Model):
    """Failed logins counted per source (login and IP address) and hour.

    Anonymous requests cannot grow the record without bound: the attempts of
    one login (or of all unknown logins) from one IP address within one hour
    are one row, with the count, the first and the last attempt. The first
    attempt of each row is also an audit trail entry (``login_failed``).
    Written by SQL only; read by the security officers.
    """

    _name = "meddev.login.failure"
    _description = "Failed Login Count"
    _order = "last_attempt desc, id desc"
    _log_access = False
    _rec_name = "login"

    login = fields.Char(
        readonly=True,
        help="The user's login; empty for logins that match no user (counted "
        "together).",
    )
    user_id = fields.Many2one("res.users", readonly=True, ondelete="restrict")
    ip_address = fields.Char(string="IP Address", readonly=True)
    window_start = fields.Datetime(string="Hour (UTC)", readonly=True)
    first_attempt = fields.Datetime(string="First Attempt (UTC)", readonly=True)
    last_attempt = fields.Datetime(string="Last Attempt (UTC)", readonly=True)
    attempt_count = fields.Integer(string="Attempts", readonly=True)
    first_login_tried = fields.Char(string="First Login Typed", readonly=True)
    last_login_tried = fields.Char(string="Last Login Typed", readonly=True)
    last_reason = fields.Char(readonly=True)

    _sql_constraints = [
        (
            "source_window_unique",
            "UNIQUE (login, ip_address, window_start)",
            "One row per login, IP address and hour.",
        ),
    ]

    def init(self):
        self.env.cr.execute(GUARD_FUNCTION)

    @api.model
    def _record(self, login, user, ip_address, reason):
        """Count one failed login; True if it opened a new row (the first
        attempt of its source in this window)."""
        self.env.cr.execute(
            SQL(
                """
                INSERT INTO meddev_login_failure AS f (login, user_id, ip_address,
                    window_start, first_attempt, last_attempt, attempt_count,
                    first_login_tried, last_login_tried, last_reason)
                VALUES (%(key)s, %(user)s, %(ip)s,
                    date_bin(%(window)s::interval,
                             clock_timestamp() AT TIME ZONE 'UTC',
                             '2000-01-01'),
                    clock_timestamp() AT TIME ZONE 'UTC',
                    clock_timestamp() AT TIME ZONE 'UTC', 1,
                    %(login)s, %(login)s, %(reason)s)
                ON CONFLICT (login, ip_address, window_start) DO UPDATE
                   SET attempt_count = f.attempt_count + 1,
                       last_attempt = EXCLUDED.last_attempt,
                       last_login_tried = EXCLUDED.last_login_tried,
                       last_reason = EXCLUDED.last_reason
                RETURNING (xmax = 0)
                """,
                key=login if user else "",
                user=user.id or None,
                ip=ip_address or "",
                window=WINDOW,
                login=login,
                reason=reason,
            )
        )
        return self.env.cr.fetchone()[0]

    # ------------------------------------------------------------------
    # written by the system only
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # counted by _record() only: refusing is the point
        raise UserError(
            self.env._(
                "Failed logins are counted by the system; they cannot be entered."
            )
        )

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Failed login counts cannot be changed."))

    @api.ondelete(at_uninstall=False)
    def _unlink_never(self):
        raise UserError(self.env._("Failed login counts cannot be deleted."))
