"""18.0.1.1.0: the demo's back-up sterilizer comes with its answered checklist.

Upgrading meddev_supplier gave that qualification (Under Evaluation) an empty
evaluation; the demo data now brings the evaluation the QA engineer answered
and signed. The empty one, made by the upgrade and never answered, is removed
so that the demo's can be loaded (one open evaluation per qualification).
Databases without the demo data are not concerned.
"""

from odoo.tools import SQL


def migrate(cr, version):
    if not version:
        return
    cr.execute(
        SQL(
            """
            DELETE FROM meddev_supplier_evaluation e
             USING ir_model_data d
             WHERE d.module = 'meddev_suite'
               AND d.name = 'qualification_puremed_sterilization'
               AND d.model = 'meddev.supplier.qualification'
               AND e.qualification_id = d.res_id
               AND e.state = 'in_progress'
               AND e.trigger LIKE %s
               AND NOT EXISTS (
                   SELECT 1 FROM meddev_supplier_evaluation_line l
                    WHERE l.evaluation_id = e.id AND l.score IS NOT NULL
               )
               AND NOT EXISTS (
                   SELECT 1 FROM ir_model_data x
                    WHERE x.model = 'meddev.supplier.evaluation'
                      AND x.res_id = e.id
               )
            """,
            "Upgrade to 18.0.1.1.0%",
        )
    )
