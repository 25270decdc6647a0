from odoo import fields, models
from odoo.exceptions import UserError

from .meddev_scar import REQUIRED_D_FIELDS


class MeddevScar(models.Model):
    """The steps of a SCAR: issue, answer, accept, return, cancel."""

    _inherit = "meddev.scar"

    # ------------------------------------------------------------------
    # refusals (one source of truth for the form and the server)
    # ------------------------------------------------------------------
    def _meddev_refusal(self, action, permissions, logs, user, signature=True):
        refusal = super()._meddev_refusal(action, permissions, logs, user, signature)
        if refusal:
            return refusal
        problems = {
            "issue": self._issue_problems,
            "answer": self._answer_problems,
        }.get(action, list)()
        if not problems:
            return None
        return UserError(
            self.env._(
                "%(record)s cannot be %(action)s yet:\n%(problems)s",
                # named in full whatever the user may read of it
                record=self.sudo().display_name,
                action=self._meddev_action_label(
                    action, self._meddev_permission_for(permissions.get(action))
                ),
                problems="\n".join(f"- {problem}" for problem in problems),
            )
        )

    def _issue_problems(self):
        self.ensure_one()
        problems = []
        if not (self.problem_statement or "").strip():
            problems.append(self.env._("state the problem for the supplier"))
        if not self.date_due:
            problems.append(self.env._("give the response due date"))
        elif self.date_due < fields.Date.context_today(self):
            problems.append(self.env._("the response due date is past"))
        return problems

    def _answer_problems(self):
        self.ensure_one()
        # the answer is checked whatever the answering user may read
        scar = self.sudo()
        missing = [
            scar._fields[name].get_description(self.env)["string"]
            for name in REQUIRED_D_FIELDS
            if not (scar[name] or "").strip()
        ]
        if not missing:
            return []
        return [self.env._("answer %(fields)s", fields=", ".join(missing))]

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def action_issue(self):
        """Signed by a QA engineer or manager: the supplier reads the request
        on its portal and answers it by the due date."""
        self._meddev_check_action("issue")
        self._meddev_server_write(
            {
                "state": "issued",
                "date_issued": fields.Datetime.now(),
                "issued_by_id": self.env.uid,
            }
        )
        return True

    def action_answer(self):
        """Signed by the supplier's portal user (or QA recording an answer
        received on paper): the 8D answer goes to QA's review."""
        self._meddev_check_action("answer")
        # the checked, signed step is the server's to record: the supplier's
        # portal user writes the 8D fields only
        self.sudo()._meddev_server_write(
            {
                "state": "answered",
                "date_answered": fields.Datetime.now(),
                "answered_by_id": self.env.uid,
            }
        )
        self._meddev_todos_done(self.env._("Answered by the supplier"))
        self._meddev_notify_qa_managers(
            self.env._("Review the supplier's 8D answer"),
            self.env._(
                "%(user)s submitted the 8D answer, signed: review it.",
                user=self.env.user.name,
            ),
        )
        return True

    def action_accept(self):
        """QA's signed review accepts the answer (not by who recorded it)."""
        self._meddev_check_action("accept")
        self._meddev_server_write(
            {
                "state": "accepted",
                "date_reviewed": fields.Datetime.now(),
                "reviewed_by_id": self.env.uid,
            }
        )
        self._meddev_todos_done(self.env._("Reviewed"))
        return True

    def action_return_to_supplier(self):
        """QA's signed review returns the answer, the signature's comment its
        reason (the supplier reads it): issued again, to be answered anew."""
        reason = self._require_reason(self.env._("Return to the Supplier"))
        self._meddev_check_action("return_to_supplier")
        for scar in self:
            scar._meddev_server_write(
                {
                    "state": "issued",
                    "return_reason": reason,
                    "return_count": scar.return_count + 1,
                    "date_answered": False,
                    "answered_by_id": False,
                    "date_reviewed": fields.Datetime.now(),
                    "reviewed_by_id": self.env.uid,
                }
            )
        self._meddev_todos_done(self.env._("Reviewed"))
        return True

    def action_cancel(self):
        reason = self._require_reason(self.env._("Cancel"))
        self._meddev_check_action("cancel")
        self._meddev_server_write({"state": "cancel", "cancel_reason": reason})
        return True

    def _meddev_todos_done(self, feedback):
        """The to-dos the server gave on these requests (review, overdue)
        are done."""
        # the to-dos were assigned by the server to every QA manager
        self.sudo().activity_ids.filtered(
            lambda activity: activity.automated
            and activity.activity_type_id
            == self.env.ref("mail.mail_activity_data_todo")
        ).action_feedback(feedback=feedback)
