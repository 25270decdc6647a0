"""18.0.1.1.0: evaluations on scored checklists.

- The QA manager approves a re-evaluated supplier without its passing through
  Under Evaluation: the approval's stage permissions (noupdate data) also
  start from Qualified and Conditional, unless changed by the company.
- A qualification Under Evaluation gets its evaluation (the checklist of its
  scope), so that it can be completed and decided.
"""

from odoo import SUPERUSER_ID, api

OLD_STATES = "under_evaluation"
NEW_STATES = "under_evaluation qualified conditional"


def migrate(cr, version):
    if not version:
        return
    env = api.Environment(cr, SUPERUSER_ID, {})
    for xmlid in (
        "meddev_supplier.stage_permission_qualification_approve",
        "meddev_supplier.stage_permission_qualification_approve_conditional",
    ):
        permission = env.ref(xmlid, raise_if_not_found=False)
        if permission and (permission.from_states or "").split() == [OLD_STATES]:
            permission.from_states = NEW_STATES
    qualifications = env["meddev.supplier.qualification"].search(
        [("state", "=", "under_evaluation"), ("evaluation_ids", "=", False)]
    )
    Evaluation = env["meddev.supplier.evaluation"]
    for evaluation_type in set(qualifications.mapped("evaluation_type")):
        Evaluation._start(
            qualifications.filtered(
                lambda q, t=evaluation_type: q.evaluation_type == t
            ),
            evaluation_type,
            trigger="Upgrade to 18.0.1.1.0: evaluation in progress before the "
            "checklists",
        )
