from odoo import api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

APPEND_ONLY_FUNCTION = SQL(
    """
CREATE OR REPLACE FUNCTION meddev_append_only() RETURNS trigger
LANGUAGE plpgsql AS $fn$
BEGIN
    RAISE EXCEPTION USING
        MESSAGE = TG_TABLE_NAME || ' is append-only: ' || TG_OP || ' refused',
        ERRCODE = 'insufficient_privilege';
END
$fn$;
"""
)


def make_append_only(cr, table):
    """Refuse UPDATE, DELETE and TRUNCATE on ``table``, whoever issues them."""
    cr.execute(APPEND_ONLY_FUNCTION)
    row, truncate = (
        SQL.identifier(f"{table}_guard_row"),
        SQL.identifier(f"{table}_guard_truncate"),
    )
    cr.execute(
        SQL(
            "DROP TRIGGER IF EXISTS %(row)s ON %(table)s;"
            " CREATE TRIGGER %(row)s BEFORE UPDATE OR DELETE ON %(table)s"
            " FOR EACH ROW EXECUTE FUNCTION meddev_append_only();"
            " DROP TRIGGER IF EXISTS %(truncate)s ON %(table)s;"
            " CREATE TRIGGER %(truncate)s BEFORE TRUNCATE ON %(table)s"
            " FOR EACH STATEMENT EXECUTE FUNCTION meddev_append_only();",
            row=row,
            truncate=truncate,
            table=SQL.identifier(table),
        )
    )


class MeddevAuditCheckpoint(models.Model):
    """The head of the audit chain after each sealing run (append-only).

    Lets ``verify_chain()`` notice entries cut off the end of the chain, which
    the links between the remaining entries cannot show.
    """

    _name = "meddev.audit.checkpoint"
    _description = "Audit Trail Checkpoint"
    _order = "seal_seq desc"
    _log_access = False
    _rec_name = "seal_seq"

    seal_seq = fields.Integer(required=True, readonly=True, index=True)
    hash = fields.Char(required=True, readonly=True)
    create_date = fields.Datetime(required=True, readonly=True)

    def init(self):
        make_append_only(self.env.cr, self._table)

    @api.model_create_multi
    def create(self, vals_list):  # pylint: disable=method-required-super
        # append-only: refusing is the point, there is no super() to call
        raise UserError(self.env._("Audit checkpoints are written by the sealer only."))

    def write(self, vals):  # pylint: disable=method-required-super
        raise UserError(self.env._("Audit checkpoints cannot be changed."))

    @api.ondelete(at_uninstall=True)
    def _unlink_never(self):
        raise UserError(self.env._("Audit checkpoints cannot be deleted."))
