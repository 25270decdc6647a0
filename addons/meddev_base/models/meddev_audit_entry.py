import hashlib
import json
import logging

from markupsafe import escape
from psycopg2.errors import SerializationFailure
from psycopg2.extensions import TRANSACTION_STATUS_INERROR

from odoo import SUPERUSER_ID, api, fields, models
from odoo.exceptions import UserError
from odoo.http import request
from odoo.tools import SQL

from . import meddev_audit_display as display

_logger = logging.getLogger(__name__)

GENESIS_HASH = "0" * 64
# events about access itself, read by the security officers only
SECURITY_OPERATIONS = ("login_failed", "sign_failed", "sign_locked", "sign_unlocked")
# Any 64-bit constant: the lock only keeps two sealers from running at once.
SEAL_LOCK_KEY = 7_013_485_011

# The canonical form that is hashed. Version 1; a later version gets its own
# function so that entries sealed under version 1 still verify. The function
# takes the columns (not the row) and is declared STABLE like the functions it
# calls (to_char, quote_nullable, convert_to): only then does the planner
# inline it, which halves the time of one query checking a million entries.
DIGEST_FUNCTION = SQL(
    """
DROP FUNCTION IF EXISTS meddev_audit_digest_v1(text, bigint, meddev_audit_entry);
DROP FUNCTION IF EXISTS meddev_audit_digest_v1(
    text, bigint, integer, timestamp, integer, varchar, varchar, integer, varchar,
    varchar, jsonb, varchar, text, integer, varchar, varchar);
CREATE OR REPLACE FUNCTION meddev_audit_digest_v1(
    p_prev_hash text, p_seq bigint, p_id integer, p_timestamp timestamp,
    p_user_id integer, p_user_login varchar, p_res_model varchar,
    p_res_id integer, p_res_name varchar, p_operation varchar, p_changes text,
    p_changed_fields varchar, p_reason text, p_company_id integer,
    p_ip_address varchar, p_session_ref varchar
) RETURNS text LANGUAGE sql STABLE PARALLEL SAFE AS $fn$
    SELECT encode(sha256(convert_to(concat_ws(chr(31),
        'v1', quote_nullable(p_prev_hash), quote_nullable(p_seq),
        quote_nullable(p_id),
        quote_nullable(to_char(p_timestamp, 'YYYY-MM-DD"T"HH24:MI:SS.US')),
        quote_nullable(p_user_id), quote_nullable(p_user_login),
        quote_nullable(p_res_model), quote_nullable(p_res_id),
        quote_nullable(p_res_name), quote_nullable(p_operation),
        quote_nullable(p_changes), quote_nullable(p_changed_fields),
        quote_nullable(p_reason), quote_nullable(p_company_id),
        quote_nullable(p_ip_address), quote_nullable(p_session_ref)
    ), 'UTF8')), 'hex')
$fn$;
"""
)
# the content columns of an entry ``e``, in the digest's order
DIGEST_COLUMNS = (
    "e.id, e.timestamp, e.user_id, e.user_login, e.res_model, e.res_id, "
    "e.res_name, e.operation, e.changes_json, e.changed_fields, e.reason, "
    "e.company_id, e.ip_address, e.session_ref"
)

# Append-only at the database: whoever issues them (ORM, superuser mode, raw SQL
# on Odoo's cursor), UPDATE, DELETE and TRUNCATE are refused. The one UPDATE let
# through is the sealing of a not yet sealed entry, which may set the seal columns
# and nothing else.
GUARD_FUNCTION = SQL(
    """
CREATE OR REPLACE FUNCTION meddev_audit_entry_guard() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    IF TG_OP = 'UPDATE' AND OLD.hash IS NULL AND NEW.hash IS NOT NULL
       AND (to_jsonb(NEW) - 'hash' - 'prev_hash' - 'seal_seq')
           = (to_jsonb(OLD) - 'hash' - 'prev_hash' - 'seal_seq') THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION USING
        MESSAGE = 'meddev_audit_entry is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$fn$;
DROP TRIGGER IF EXISTS meddev_audit_entry_guard_row ON meddev_audit_entry;
CREATE TRIGGER meddev_audit_entry_guard_row
    BEFORE UPDATE OR DELETE ON meddev_audit_entry
    FOR EACH ROW EXECUTE FUNCTION meddev_audit_entry_guard();
DROP TRIGGER IF EXISTS meddev_audit_entry_guard_truncate ON meddev_audit_entry;
CREATE TRIGGER meddev_audit_entry_guard_truncate
    BEFORE TRUNCATE ON meddev_audit_entry
    FOR EACH STATEMENT EXECUTE FUNCTION meddev_audit_entry_guard();
"""
)

# Seals committed entries in id order, chaining each to the previous seal.
SEAL_FUNCTION = SQL(
    """
CREATE OR REPLACE FUNCTION meddev_audit_seal(p_limit integer) RETURNS integer
LANGUAGE plpgsql AS $fn$
DECLARE
    v_seq bigint;
    v_hash text;
    v_prev text;
    v_count integer := 0;
    e meddev_audit_entry;
BEGIN
    SELECT seal_seq, hash INTO v_seq, v_hash FROM meddev_audit_entry
     WHERE seal_seq IS NOT NULL ORDER BY seal_seq DESC LIMIT 1;
    v_seq := coalesce(v_seq, 0);
    v_hash := coalesce(v_hash, '%(genesis)s');
    FOR e IN SELECT * FROM meddev_audit_entry WHERE hash IS NULL
             ORDER BY id LIMIT p_limit LOOP
        v_seq := v_seq + 1;
        v_prev := v_hash;
        v_hash := meddev_audit_digest_v1(v_prev, v_seq, %(columns)s);
        UPDATE meddev_audit_entry
           SET seal_seq = v_seq, prev_hash = v_prev, hash = v_hash
         WHERE id = e.id;
        v_count := v_count + 1;
    END LOOP;
    IF v_count > 0 THEN
        INSERT INTO meddev_audit_checkpoint (seal_seq, hash, create_date)
        VALUES (v_seq, v_hash, now() at time zone 'UTC');
    END IF;
    RETURN v_count;
END
$fn$;
""".replace("%(genesis)s", GENESIS_HASH).replace("%(columns)s", DIGEST_COLUMNS)
)


# The audit trail is captured by the database, in the statement that changes an
# audited row: an AFTER INSERT/UPDATE/DELETE row trigger on each audited table
# writes the entry from OLD and NEW. It costs no round trip, sees every change
# (ORM writes, recomputed stored fields, cascaded deletes, raw SQL) and cannot
# be skipped by any context key. The mixin generates one trigger function per
# table from the model's audited columns (meddev.audit.mixin._audit_trigger_body),
# with static comparisons: plpgsql evaluates them without running a query.
#
# Who: the Odoo user the mixin binds to the transaction (SET LOCAL
# meddev.audit_ctx, a JSON object: uid, login, lang, ip, session), except that an
# ORM create names its creator (create_uid) and an ORM write that changes
# write_uid names the new write_uid; with no binding at all (raw SQL outside
# Odoo), write_uid, else the database role. Why: SET LOCAL meddev.audit_reason.


class MeddevAuditEntry(models.Model):
    """One audited change: append-only, hash-chained once sealed.

    Entries are written by :class:`MeddevAuditMixin` with plain SQL in the
    transaction of the change, unsealed (no lock shared between writers).
    ``_seal()`` (a cron every few minutes) chains them in id order under an
    advisory lock; ``verify_chain()`` recomputes every digest and link in SQL.
    """

    _name = "meddev.audit.entry"
    _inherit = ["meddev.record.access.mixin"]
    _description = "Audit Trail Entry"
    _order = "id desc"
    _log_access = False
    _rec_name = "res_name"

    timestamp = fields.Datetime(required=True, readonly=True, index=True)
    user_id = fields.Many2one(
        "res.users", readonly=True, index=True, ondelete="restrict"
    )
    user_login = fields.Char(readonly=True)
    # (res_model, res_id) has one index of its own (see init); few indexes
    # keep the entry's INSERT, done in every audited change, cheap
    res_model = fields.Char(string="Model", required=True, readonly=True)
    res_model_name = fields.Char(
        string="Document Type", compute="_compute_res_model_name"
    )
    res_id = fields.Many2oneReference(
        string="Record ID", model_field="res_model", readonly=True
    )
    res_name = fields.Char(string="Record", readonly=True)
    operation = fields.Selection(
        [
            ("create", "Create"),
            ("write", "Change"),
            ("unlink", "Delete"),
            ("sign", "Signed"),
            ("sign_failed", "Failed Signature"),
            ("sign_locked", "Signing Locked"),
            ("sign_unlocked", "Signing Unlocked"),
            ("role_granted", "Role Granted"),
            ("role_revoked", "Role Revoked"),
            ("login_failed", "Failed Login"),
            ("override", "Control Overridden"),
        ],
        required=True,
        readonly=True,
    )
    changes_json = fields.Text(
        string="Changes (JSON)",
        readonly=True,
        help="The changes exactly as recorded: a JSON list of field, label, type, "
        "old and new value, raw and as displayed.",
    )
    changes = fields.Json(string="Changes (Data)", compute="_compute_changes")
    changed_fields = fields.Char(string="Fields", readonly=True)
    changed_fields_label = fields.Char(
        string="Changed Fields", compute="_compute_changed_fields_label"
    )
    reason = fields.Text(string="Reason for Change", readonly=True)
    # Not hashed (see DIGEST_COLUMNS): how the entry reads, stored without
    # language for new entries; old entries leave them empty.
    reason_code = fields.Char(
        readonly=True,
        help="For a reason the system wrote: its code, rendered with its "
        "parameters in the reader's language.",
    )
    reason_params = fields.Json(string="Reason Parameters", readonly=True)
    reason_display = fields.Text(string="Reason", compute="_compute_reason_display")
    record_name = fields.Char(compute="_compute_record_name")
    during_setup = fields.Boolean(
        string="Written During Installation",
        readonly=True,
        help="Written while modules were installed or updated (their data and "
        "demo data loaded), not by a user's change.",
    )
    setup_noise = fields.Boolean(
        string="Installation Entry",
        compute="_compute_setup_noise",
        search="_search_setup_noise",
        help="Written while modules were installed or updated. For entries "
        "recorded before this was stored: entries of the superuser on records "
        "loaded from module data.",
    )
    company_id = fields.Many2one("res.company", readonly=True, ondelete="restrict")
    ip_address = fields.Char(string="IP Address", readonly=True)
    session_ref = fields.Char(
        string="Session",
        readonly=True,
        help="A digest of the web session the change was made in, to tell the "
        "changes of one session from another's without storing the session key.",
    )
    seal_seq = fields.Integer(string="Seal Sequence", readonly=True, copy=False)
    prev_hash = fields.Char(string="Previous Hash", readonly=True, copy=False)
    hash = fields.Char(readonly=True, copy=False)
    sealed = fields.Boolean(compute="_compute_sealed", search="_search_sealed")
    change_html = fields.Html(
        string="Changes", compute="_compute_change_html", sanitize=True
    )

    _sql_constraints = [
        ("seal_seq_unique", "UNIQUE (seal_seq)", "A seal sequence is used once."),
    ]

    def init(self):
        self.env.cr.execute(DIGEST_FUNCTION)
        self.env.cr.execute(GUARD_FUNCTION)
        self.env.cr.execute(SEAL_FUNCTION)
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS meddev_audit_entry_unsealed_idx "
                "ON meddev_audit_entry (id) WHERE hash IS NULL"
            )
        )
        self.env.cr.execute(
            SQL(
                "CREATE INDEX IF NOT EXISTS meddev_audit_entry_record_idx "
                "ON meddev_audit_entry (res_model, res_id)"
            )
        )

    @api.depends("res_model")
    @api.depends_context("lang")
    def _compute_res_model_name(self):
        names = {
            model: self.env["ir.model"]._get(model).name or model
            for model in set(self.mapped("res_model"))
        }
        for entry in self:
            entry.res_model_name = names.get(entry.res_model, entry.res_model)

    @api.depends("hash")
    def _compute_sealed(self):
        for entry in self:
            entry.sealed = bool(entry.hash)

    def _search_sealed(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        return [("hash", "!=" if positive else "=", False)]

    @api.depends("changes_json", "res_model")
    @api.depends_context("lang")
    def _compute_changes(self):
        """The recorded changes, with label and displayed values in the
        reader's language (see meddev_audit_display): the entry stores field
        names and raw values; what it stored as displayed is the fallback."""
        parsed = {}
        wanted = {}
        for entry in self:
            changes = json.loads(entry.changes_json) if entry.changes_json else []
            model = self.env[entry.res_model] if entry.res_model in self.env else None
            for comodel, ids in display.wanted_names(changes, model).items():
                wanted.setdefault(comodel, set()).update(ids)
            parsed[entry] = (model, changes)
        records = display.fetch_names(self.env, wanted)
        for entry in self:
            model, changes = parsed[entry]
            entry.changes = [
                display.render_change(self.env, model, change, records)
                for change in changes
            ]

    @api.depends("changed_fields", "res_model")
    @api.depends_context("lang")
    def _compute_changed_fields_label(self):
        for entry in self:
            model = self.env[entry.res_model] if entry.res_model in self.env else None
            entry.changed_fields_label = ", ".join(
                display.field_label(self.env, model, {"field": fname})
                for fname in (entry.changed_fields or "").split()
            )

    @api.depends("reason", "reason_code", "reason_params")
    @api.depends_context("lang")
    def _compute_reason_display(self):
        for entry in self:
            text = None
            if entry.reason_code:
                text = display.reason_text(
                    self.env, entry.reason_code, entry.reason_params
                )
            entry.reason_display = text or entry.reason

    @api.depends("res_model", "res_id", "res_name")
    @api.depends_context("lang")
    def _compute_record_name(self):
        names = display.record_names(self.env, self)
        for entry in self:
            entry.record_name = names[entry]

    def _compute_setup_noise(self):
        noise = self.search([("id", "in", self.ids), ("setup_noise", "=", True)])
        for entry in self:
            entry.setup_noise = entry in noise

    def _search_setup_noise(self, operator, value):
        if operator not in ("=", "!="):
            return NotImplemented
        positive = (operator == "=") == bool(value)
        # new entries say it; older ones: the superuser's entries on records
        # that module data loaded (they have an external id)
        noise = SQL(
            """(SELECT e.id FROM meddev_audit_entry e
                WHERE e.during_setup
                   OR (e.during_setup IS NULL AND e.user_id = %s AND EXISTS (
                       SELECT 1 FROM ir_model_data d
                        WHERE d.model = e.res_model AND d.res_id = e.res_id)))""",
            SUPERUSER_ID,
        )
        return [("id", "in" if positive else "not in", noise)]

    @api.depends("changes")
    def _compute_change_html(self):
        for entry in self:
            rows = []
            for change in entry.changes or []:
                rows.append(
                    "<tr><td>%s</td><td>%s</td><td>%s</td></tr>"
                    % tuple(
                        escape(str(v if v not in (None, False) else ""))
                        for v in (
                            change.get("label"),
                            change.get("old_display"),
                            change.get("new_display"),
                        )
                    )
                )
            entry.change_html = (
                "<table class='table table-sm'><thead><tr><th>%s</th><th>%s</th>"
                "<th>%s</th></tr></thead><tbody>%s</tbody></table>"
                % (
                    self.env._("Field"),
                    self.env._("Old Value"),
                    self.env._("New Value"),
                    "".join(rows),
                )
                if rows
                else False
            )

    # ------------------------------------------------------------------
    # immutability in the ORM (the database triggers are the real guard)
    # ------------------------------------------------------------------
    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # append-only: refusing is the point, there is no super() to call
        raise UserError(
            self.env._(
                "Audit trail entries are written by the system when an audited "
                "record changes; they cannot be created by hand."
            )
        )

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(
            self.env._(
                "Audit trail entries cannot be changed, not even by an administrator."
            )
        )

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(
            self.env._(
                "Audit trail entries cannot be deleted, not even by an administrator."
            )
        )

    def copy(self, default=None):  # pylint: disable=method-required-super
        raise UserError(self.env._("Audit trail entries cannot be duplicated."))

    # ------------------------------------------------------------------
    # writing entries (the only way in: plain SQL, no ORM create)
    # ------------------------------------------------------------------
    @api.model
    def _meddev_private_domain(self):
        # failed logins and signatures are for the security officers
        return [("operation", "not in", SECURITY_OPERATIONS)]

    @api.model
    def _insert_rows(self, rows):
        """Append entries. Each row: (user id, login, model, record id, record
        name, operation, changes (list of dicts), reason, company id), and
        optionally the reason's code and parameters (see
        ``meddev_audit_display.reason_text``)."""
        if not rows:
            return
        ip_address, session_ref = _request_origin()
        during_setup = _during_setup(self.env)
        # One statement for the batch; the timestamp is the database clock's
        # (UTC), not the transaction start, so entries are contemporaneous.
        values = SQL(", ").join(
            SQL(
                "((clock_timestamp() AT TIME ZONE 'UTC'), %s, %s, %s, %s, %s, %s, "
                "%s, %s, %s, %s, %s, %s, %s, %s, %s)",
                *row[:6],
                json.dumps(row[6], ensure_ascii=False, default=str),
                " ".join(change["field"] for change in row[6] if "field" in change),
                *row[7:9],
                ip_address,
                session_ref,
                row[9] if len(row) > 9 else None,
                json.dumps(row[10], ensure_ascii=False, default=str)
                if len(row) > 10 and row[10]
                else None,
                during_setup,
            )
            for row in rows
        )
        self.env.cr.execute(
            SQL(
                "INSERT INTO meddev_audit_entry (timestamp, user_id, user_login, "
                "res_model, res_id, res_name, operation, changes_json, changed_fields, "
                "reason, company_id, ip_address, session_ref, reason_code, "
                "reason_params, during_setup) VALUES %s",
                values,
            )
        )

    @api.model
    def _bind_context(self, force=False):
        """Tell the capture triggers who acts in this transaction, and from where.

        One ``set_config`` per transaction and user (remembered on the cursor
        until commit or rollback), so a write costs no extra round trip.
        """
        cr = self.env.cr
        ip_address, session_ref = _request_origin()
        migration = _migration(cr)
        key = (
            self.env.uid,
            ip_address,
            session_ref,
            migration,
            _during_setup(self.env),
        )
        if not force and getattr(cr, "_meddev_audit_ctx", None) == key:
            return
        context = {
            "uid": self.env.uid,
            "login": _acting_login(self.env),
            "lang": self.env.lang or "en_US",
            "ip": ip_address,
            "session": session_ref,
            "setup": _during_setup(self.env),
        }
        cr.execute(
            SQL(
                "SELECT set_config('meddev.audit_ctx', %s, true)",
                json.dumps(context),
            )
        )
        if getattr(cr, "_meddev_audit_ctx", None) is None:
            cr.postcommit.add(lambda: _forget_binding(cr))
            cr.postrollback.add(lambda: _forget_binding(cr))
        cr._meddev_audit_ctx = key

    @api.model
    def _bind_reason(self, reason):
        """Set (or, with None, clear) the reason the capture triggers record."""
        cr = self.env.cr
        # inside audit_migration(), no reason of its own: the migration's
        reason = reason or (_migration(cr) or {}).get("reason")
        if not reason and not getattr(cr, "_meddev_audit_reason", None):
            return
        if not reason and _in_failed_transaction(cr):
            # the statement failed: the rollback that follows clears the
            # setting with everything else
            cr._meddev_audit_reason = None
            return
        text, code, params = display.reason_parts(reason)
        cr.execute(
            SQL(
                "SELECT set_config('meddev.audit_reason', %s, true), "
                "set_config('meddev.audit_reason_code', %s, true), "
                "set_config('meddev.audit_reason_params', %s, true)",
                text or "",
                code or "",
                json.dumps(params, ensure_ascii=False) if params else "",
            )
        )
        cr._meddev_audit_reason = reason or None

    @api.model
    def _row_for(self, record, operation, changes, reason, code=None, params=None):
        """The row ``_insert_rows`` takes, for an operation on ``record``; a
        reason the system writes comes with its ``code`` and ``params``."""
        record.ensure_one()
        company = record.company_id.id if "company_id" in record._fields else None
        if isinstance(reason, display.SystemReason):
            reason, code, params = display.reason_parts(reason)
        return (
            self.env.uid,
            _acting_login(self.env),
            record._name,
            record.id,
            # the name is recorded even if the actor may not read all of it
            record.sudo().display_name,
            operation,
            changes,
            reason or (_migration(self.env.cr) or {}).get("reason"),
            company or None,
            code if reason else None,
            params if reason else None,
        )

    @api.model
    def _log_event(
        self, record, operation, reason=None, changes=None, code=None, params=None
    ):
        """One entry for an event on ``record`` (a signature, a lock...)."""
        self._insert_rows(
            [self._row_for(record, operation, changes or [], reason, code, params)]
        )

    # ------------------------------------------------------------------
    # sealing and verification
    # ------------------------------------------------------------------
    @api.model
    def _seal(self, limit=50000):
        """Chain the committed unsealed entries; returns how many were sealed.

        Only one sealer runs at a time (a transaction-level advisory lock taken
        without waiting: a second sealer simply leaves the work to the first).
        A sealer whose snapshot is older than another sealer's commit (both
        scheduled jobs due at the same start) leaves the work to it too.
        """
        self.env.flush_all()
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s)", SEAL_LOCK_KEY))
        if not self.env.cr.fetchone()[0]:
            return 0
        try:
            with self.env.cr.savepoint(flush=False):
                # the entry rows are updated behind the ORM's back
                self.env.cr.execute(
                    SQL("SELECT meddev_audit_seal(%s)", limit), log_exceptions=False
                )
                count = self.env.cr.fetchone()[0]
        except SerializationFailure:
            _logger.info("meddev audit trail: sealed by a concurrent transaction")
            return 0
        self.invalidate_model(["seal_seq", "prev_hash", "hash"])
        return count

    def action_open_report_wizard(self):
        """The audit trail report: of the record whose trail is shown (the
        trail opened from its form), else of a period."""
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "meddev_base.meddev_audit_report_wizard_action"
        )
        record = self.env.context.get("meddev_audit_record")
        action["context"] = {"meddev_audit_record": record} if record else {}
        return action

    def action_verify_chain(self):
        result = self.verify_chain()
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {
                "title": self.env._("Audit trail verification"),
                "message": result["message"],
                "type": "success" if result["ok"] else "danger",
                "sticky": not result["ok"],
            },
        }

    @api.model
    def _cron_verify_chain(self):
        """Daily check; tells the QA managers when the chain is broken."""
        self._seal()
        result = self.verify_chain()
        if result["ok"]:
            return result
        _logger.warning("meddev audit trail verification failed: %s", result)
        managers = self.env.ref("meddev_base.group_meddev_qa_manager").users
        # notifying users of another company and writing the notification are
        # the system's doing here, not the cron user's
        self.env["mail.thread"].sudo().message_notify(
            partner_ids=managers.partner_id.ids,
            subject=self.env._("Audit trail integrity check FAILED"),
            body=result["message"],
        )
        return result

    @api.model
    def _cron_seal(self):
        sealed = self._seal()
        if sealed:
            _logger.info("meddev audit trail: sealed %s entries", sealed)

    @api.model
    def verify_chain(self):
        """Check every sealed entry and link of the chain.

        Returns a dict: ``ok`` (bool), ``checked`` (sealed entries checked),
        ``first_bad_id`` (id of the first entry whose digest or link is wrong,
        else False), ``unsealed`` (entries waiting for the sealer), ``last_seq``,
        ``last_hash`` and ``message``.
        """
        self.env.flush_all()
        cr = self.env.cr
        # 1. every sealed entry's digest, in one scan the planner may split
        cr.execute(
            SQL(
                """
                SELECT count(*), max(e.seal_seq),
                       min(e.seal_seq) FILTER (WHERE e.hash IS DISTINCT FROM
                           meddev_audit_digest_v1(e.prev_hash, e.seal_seq, %s))
                  FROM meddev_audit_entry e
                 WHERE e.seal_seq IS NOT NULL
                """,
                SQL(DIGEST_COLUMNS),
            )
        )
        checked, last_seq, bad_digest_seq = cr.fetchone()
        # 2. every link: each entry names the hash of the entry sealed before it
        cr.execute(
            SQL(
                """
                SELECT min(b.seal_seq)
                  FROM meddev_audit_entry b
             LEFT JOIN meddev_audit_entry a ON a.seal_seq = b.seal_seq - 1
                 WHERE b.seal_seq IS NOT NULL
                   AND b.prev_hash IS DISTINCT FROM (CASE WHEN b.seal_seq = 1
                       THEN %s ELSE a.hash END)
                """,
                GENESIS_HASH,
            )
        )
        bad_link_seq = cr.fetchone()[0]
        bad_seqs = [seq for seq in (bad_digest_seq, bad_link_seq) if seq]
        first_bad_id = False
        if bad_seqs:
            cr.execute(
                SQL(
                    "SELECT id FROM meddev_audit_entry WHERE seal_seq = %s",
                    min(bad_seqs),
                )
            )
            first_bad_id = cr.fetchone()[0]
        last_seq = last_seq or 0
        cr.execute(
            SQL("SELECT hash FROM meddev_audit_entry WHERE seal_seq = %s", last_seq)
        )
        row = cr.fetchone()
        last_hash = row[0] if row else GENESIS_HASH
        cr.execute(
            SQL(
                "SELECT seal_seq, hash FROM meddev_audit_checkpoint "
                "ORDER BY seal_seq DESC LIMIT 1"
            )
        )
        checkpoint = cr.fetchone()
        cr.execute(SQL("SELECT count(*) FROM meddev_audit_entry WHERE hash IS NULL"))
        unsealed = cr.fetchone()[0]
        ok = not first_bad_id
        if first_bad_id:
            message = self.env._(
                "The audit trail was altered: entry %(id)s does not match its "
                "seal or its link to the previous entry.",
                id=first_bad_id,
            )
        elif checkpoint and (
            checkpoint[0] > last_seq
            or (checkpoint[0] == last_seq and checkpoint[1] != last_hash)
        ):
            ok = False
            message = self.env._(
                "The audit trail was altered: sealed entries up to sequence "
                "%(seq)s were recorded, the trail now ends at %(last)s.",
                seq=checkpoint[0],
                last=last_seq,
            )
        else:
            message = self.env._(
                "The audit trail is intact: %(checked)s sealed entries verified, "
                "%(unsealed)s waiting to be sealed.",
                checked=checked,
                unsealed=unsealed,
            )
        return {
            "ok": ok,
            "checked": checked,
            "first_bad_id": first_bad_id or False,
            "unsealed": unsealed,
            "last_seq": last_seq,
            "last_hash": last_hash,
            "message": message,
        }


def _forget_binding(cr):
    cr._meddev_audit_ctx = None
    cr._meddev_audit_reason = None


def _during_setup(env):
    """Whether modules are being installed or updated: their data files,
    demo data and hooks write what the trail then records."""
    return not env.registry.ready or bool(env.context.get("install_mode"))


def _migration(cr):
    """The migration bound by ``audit_migration()`` on this cursor, if any:
    ``{"identity": ..., "reason": ...}``."""
    return getattr(cr, "_meddev_audit_migration", None)


def _acting_login(env):
    """The login the trail records for the acting user: inside
    ``audit_migration()``, the migration's identity."""
    migration = _migration(env.cr)
    if migration:
        return f"migration: {migration['identity']}"
    return env.user.login


def _in_failed_transaction(cr):
    inner = getattr(cr, "_cursor", cr)  # a test cursor wraps the real one
    connection = getattr(inner, "_cnx", None)
    return bool(
        connection and connection.info.transaction_status == TRANSACTION_STATUS_INERROR
    )


def _request_origin():
    """(IP address, session digest) of the HTTP request, if there is one."""
    try:
        httprequest = request.httprequest if request else None
    except RuntimeError:
        httprequest = None
    if httprequest is None:
        return None, None
    sid = getattr(getattr(request, "session", None), "sid", None)
    ref = hashlib.sha256(sid.encode()).hexdigest()[:16] if sid else None
    return httprequest.remote_addr, ref
