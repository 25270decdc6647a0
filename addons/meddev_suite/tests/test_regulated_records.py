from odoo.tests import TransactionCase, tagged
from odoo.tools import SQL

# Many2ones of audited models allowed to cascade, with the reason. Any other
# cascade would delete audited records behind their own rules when the parent
# is deleted.
ALLOWED_CASCADES = {
    ("meddev.supplier.evaluation.line", "evaluation_id"): "an evaluation is never "
    "deleted (_unlink_never): its answers go only with the module's tables",
    ("meddev.supplier.quality.agreement.line", "agreement_id"): "only a draft "
    "agreement is deleted, whose lines may be deleted on their own as well",
    ("meddev.supplier.evaluation.template.line", "template_id"): "the criteria "
    "are part of the checklist; a checklist an evaluation used is not deleted "
    "(evaluation.template_id restrict) and evaluations copy its criteria",
    ("meddev.supplier.audit.finding", "audit_id"): "only a planned audit is "
    "deleted, whose findings are open and may be deleted on their own as well",
    ("meddev.process.spec.parameter", "spec_id"): "only a draft specification "
    "is deleted, whose parameters may be deleted on their own as well",
    ("meddev.process.spec.document", "spec_id"): "only a draft specification "
    "is deleted, whose required records may be deleted on their own as well",
    ("qc.inspection.line", "inspection_id"): "OCA's: an inspection of a sampling "
    "plan is never deleted (_unlink_except_meddev); OCA's own inspections "
    "without a plan go with their answers, in draft only (OCA's rule)",
    ("meddev.signature.rule", "model_id"): "ir.model: Odoo refuses restrict; "
    "the model goes only when its module is uninstalled",
    ("meddev.stage.permission", "model_id"): "ir.model: Odoo refuses restrict; "
    "the model goes only when its module is uninstalled",
}


@tagged("post_install", "-at_install")
class TestRegulatedRecords(TransactionCase):
    """No audited record of the suite is deleted by a cascade from its parent,
    unless listed above with the reason."""

    def audited_models(self):
        """Every model inheriting meddev.audit.mixin, directly or not."""
        names, todo = set(), ["meddev.audit.mixin"]
        while todo:
            children = self.registry[todo.pop()]._inherit_children - names
            names |= children
            todo.extend(children)
        return {
            name: self.registry[name]
            for name in names
            if not self.registry[name]._abstract and self.registry[name]._auto
        }

    def test_audited_many2ones_do_not_cascade(self):
        audited = self.audited_models()
        self.assertIn("meddev.supplier.qualification", audited)
        cascades = {
            (name, field.name)
            for name, model in audited.items()
            for field in model._fields.values()
            if field.type == "many2one" and field.store and field.ondelete == "cascade"
        }
        self.assertFalse(
            sorted(cascades - set(ALLOWED_CASCADES)),
            "many2ones of audited models that delete them with their parent",
        )
        # the list holds no stale entry
        self.assertFalse(sorted(set(ALLOWED_CASCADES) - cascades))
        # and the database's foreign keys say the same
        tables = {model._table: name for name, model in audited.items()}
        self.env.cr.execute(
            SQL(
                "SELECT c.conrelid::regclass::text, a.attname FROM pg_constraint c "
                "JOIN pg_attribute a ON a.attrelid = c.conrelid "
                "AND a.attnum = c.conkey[1] "
                "WHERE c.contype = 'f' AND c.confdeltype = 'c' "
                "AND c.conrelid::regclass::text IN %s",
                tuple(tables),
            )
        )
        in_database = {
            (tables[table], column) for table, column in self.env.cr.fetchall()
        }
        self.assertFalse(sorted(in_database - set(ALLOWED_CASCADES)))
