from odoo import api, fields, models
from odoo.exceptions import UserError

from odoo.addons.meddev_base.models.meddev_audit_display import system_reason

from .meddev_capa import FISHBONE_FIELDS, WHY_FIELDS
from .meddev_nonconformance_capa import RECURRED, RECURRENCE_KEYS


class MeddevCapa(models.Model):
    """The steps of a CAPA, each checked by its stage permission (roles,
    state, segregation of duties, signature) before it changes anything."""

    _inherit = "meddev.capa"  # pylint: disable=consider-merging-classes-inherited

    def _meddev_root_cause_problems(self):
        """What the root-cause analysis still lacks, by its named method."""
        self.ensure_one()
        if not self.root_cause_method:
            return [self.env._("choose the root-cause method (5 Why or fishbone 6M)")]
        problems = []
        if self.root_cause_method == "five_why":
            missing = [
                self._fields[name].string
                for name in WHY_FIELDS
                if not (self[name] or "").strip()
            ]
            if missing:
                problems.append(
                    self.env._("answer every why: %(whys)s", whys=", ".join(missing))
                )
        else:
            missing = [
                self._fields[name].string
                for name in FISHBONE_FIELDS
                if not (self[name] or "").strip()
            ]
            if missing:
                problems.append(
                    self.env._(
                        "give the cause (or why it is none) of every category: "
                        "%(categories)s",
                        categories=", ".join(missing),
                    )
                )
        if not self.root_cause_category:
            problems.append(self.env._("give the root-cause category (6M)"))
        if not (self.root_cause or "").strip():
            problems.append(self.env._("state the root cause"))
        return problems

    def _meddev_plan_problems(self):
        self.ensure_one()
        problems = self._meddev_root_cause_problems()
        if not self.action_ids:
            problems.append(self.env._("plan at least one action"))
        if not (self.effectiveness_criterion or "").strip():
            problems.append(self.env._("give the effectiveness criterion"))
        if not self.effectiveness_date:
            problems.append(self.env._("give the date of the effectiveness check"))
        elif self.action_ids and self.effectiveness_date < max(
            self.action_ids.mapped("date_due")
        ):
            problems.append(
                self.env._(
                    "the effectiveness check comes before the last action is due"
                )
            )
        return problems

    def _meddev_close_problems(self):
        self.ensure_one()
        if self.effectiveness_result != "effective":
            return [self.env._("the effectiveness is not verified yet")]
        return []

    # ------------------------------------------------------------------
    # the steps
    # ------------------------------------------------------------------
    def action_start(self):
        """A QA engineer starts the investigation of a proposal."""
        self._meddev_check_action("start")
        self.write({"state": "investigation"})
        return True

    def action_submit_plan(self):
        """The root cause (by its method) and the plan are complete."""
        self._meddev_raise_problems(self.env._("submitted"), "_meddev_plan_problems")
        self._meddev_check_action("submit_plan")
        self._meddev_server_write(
            {
                "state": "plan",
                "plan_submitted_by_id": self.env.uid,
                "plan_submitted_on": fields.Datetime.now(),
            }
        )
        return True

    def action_return_plan(self):
        """The QA manager returns the plan to the investigation, with a reason."""
        reason = self._require_reason(self.env._("Return the Plan"))
        self._meddev_check_action("return_plan")
        self._meddev_server_write(
            {"state": "investigation", "plan_submitted_by_id": False}
        )
        for record in self:
            record.message_post(
                body=self.env._("Plan returned: %(reason)s", reason=reason)
            )
        return True

    def action_approve_plan(self):
        """The QA manager's signed approval: the actions' owners get their
        to-dos."""
        self._meddev_raise_problems(self.env._("approved"), "_meddev_plan_problems")
        self._meddev_check_action("approve_plan")
        self._meddev_server_write(
            {
                "state": "implementation",
                "plan_approved_by_id": self.env.uid,
                "plan_approved_on": fields.Datetime.now(),
            }
        )
        self.action_ids._meddev_schedule_activities()
        return True

    def _meddev_implementation_problems(self):
        self.ensure_one()
        problems = []
        open_actions = self.action_ids.filtered(lambda action: action.state != "done")
        if open_actions:
            problems.append(
                self.env._(
                    "actions not done yet: %(actions)s",
                    actions=", ".join(open_actions.mapped("name")),
                )
            )
        if not self.effectiveness_date:
            problems.append(self.env._("give the date of the effectiveness check"))
        return problems

    def action_complete_implementation(self):
        """Signed: every action is done; the effectiveness check is due."""
        self._meddev_raise_problems(
            self.env._("marked as implemented"), "_meddev_implementation_problems"
        )
        self._meddev_check_action("complete_implementation")
        self._meddev_server_write(
            {
                "state": "effectiveness",
                "effectiveness_result": "pending",
                "implemented_by_id": self.env.uid,
                "implemented_on": fields.Datetime.now(),
            }
        )
        return True

    def _meddev_check_due_problems(self):
        self.ensure_one()
        today = fields.Date.context_today(self)
        if self.effectiveness_date and self.effectiveness_date > today:
            return [
                self.env._(
                    "the effectiveness check is due on %(date)s, not before",
                    date=self.effectiveness_date,
                )
            ]
        return []

    def action_verify_effectiveness(self):
        """Signed by a QA manager other than the plan's approver: the
        criterion is met; the signature's comment says what was seen."""
        self._meddev_check_action("verify_effectiveness")
        evidence = self._require_reason(self.env._("Verify the Effectiveness"))
        self._meddev_raise_problems(
            self.env._("verified"), "_meddev_check_due_problems"
        )
        self._meddev_record_check("effective", evidence)
        self._meddev_server_write(
            {
                "effectiveness_result": "effective",
                "verified_by_id": self.env.uid,
                "verified_on": fields.Datetime.now(),
            }
        )
        return True

    def action_fail_effectiveness(self):
        """Signed: the criterion is not met; the CAPA goes back to its
        implementation (the failed check stays in its history)."""
        self._meddev_check_action("fail_effectiveness")
        reason = self._require_reason(self.env._("Effectiveness Not Achieved"))
        self._meddev_raise_problems(self.env._("judged"), "_meddev_check_due_problems")
        self._meddev_record_check("not_effective", reason)
        self._meddev_server_write(
            {"state": "implementation", "effectiveness_result": "not_effective"}
        )
        self._meddev_notify_owner(
            self.env._("CAPA reopened: effectiveness not achieved"), reason
        )
        return True

    def _meddev_record_check(self, result, comment):
        # the history of the checks is written by the server only
        self.env["meddev.capa.effectiveness.check"].sudo().create(
            [
                {
                    "capa_id": record.id,
                    "result": result,
                    "criterion": record.effectiveness_criterion,
                    "check_date": record.effectiveness_date,
                    "comment": comment,
                    "user_id": self.env.uid,
                }
                for record in self
            ]
        )

    def action_close(self):
        """The QA manager's signature closes a CAPA whose effectiveness is
        verified."""
        self._meddev_raise_problems(self.env._("closed"), "_meddev_close_problems")
        self._meddev_check_action("close")
        self._meddev_server_write(
            {
                "state": "closed",
                "closed_by_id": self.env.uid,
                "closed_on": fields.Datetime.now(),
            }
        )
        return True

    def action_cancel(self):
        reason = self._require_reason(self.env._("Cancel"))
        self._meddev_check_action("cancel")
        self._meddev_server_write({"state": "cancel", "cancel_reason": reason})
        self.activity_unlink(["mail.mail_activity_data_todo"])
        return True

    def _meddev_notify_owner(self, summary, note):
        """One to-do per CAPA for its owner, created in one batch."""
        todo = self.env.ref("mail.mail_activity_data_todo")
        model_id = self.env["ir.model"]._get_id(self._name)
        deadline = todo._get_date_deadline()
        # the server assigns the to-do to the owner, whoever triggered it
        self.env["mail.activity"].sudo().create(
            [
                {
                    "res_model_id": model_id,
                    "res_id": record.id,
                    "activity_type_id": todo.id,
                    "automated": True,
                    "user_id": record.user_id.id,
                    "date_deadline": deadline,
                    "summary": summary,
                    "note": note,
                }
                for record in self
            ]
        )

    def action_view_extension_request(self):
        """Open a new extension request of the CAPA's due date."""
        self.ensure_one()
        if self.state not in ("draft", "investigation", "plan", "implementation"):
            raise UserError(self.env._("%(capa)s is no longer open.", capa=self.name))
        return {
            "type": "ir.actions.act_window",
            "res_model": "meddev.capa.extension",
            "view_mode": "form",
            "target": "current",
            "context": {"default_capa_id": self.id},
        }

    # ------------------------------------------------------------------
    # recurrence after closure
    # ------------------------------------------------------------------
    def _meddev_recurs_in(self, exception):
        """Whether ``exception`` repeats this closed CAPA: the same company,
        each key the CAPA names (type, product, supplier), occurred after the
        closure, and not one of its own exceptions."""
        self.ensure_one()
        if exception.company_id != self.company_id or exception.capa_id == self:
            return False
        if exception.occurred_on < self.closed_on:
            return False
        named = [(own, other) for own, other in RECURRENCE_KEYS if self[own]]
        partner = exception.partner_id.commercial_partner_id
        return bool(named) and all(
            self[own] == (partner if other == "partner_id" else exception[other])
            for own, other in named
        )

    @api.model
    def _meddev_flag_recurrence(self, recurred):
        """Flag each CAPA of ``recurred`` ({capa: new exceptions}) as recurring,
        post it and give its owner a to-do."""
        reason = system_reason(self.env, RECURRED)
        for capa, found in recurred.items():
            capa.with_context(audit_reason=reason)._meddev_server_write(
                {
                    "recurrence": True,
                    "recurrence_ids": [fields.Command.link(r.id) for r in found],
                }
            )
        capas = self.browse([capa.id for capa in recurred])
        for capa in capas:
            capa.message_post(
                body=self.env._(
                    "Recurrence after closure: %(exceptions)s",
                    exceptions=", ".join(recurred[capa].mapped("name")),
                )
            )
        capas._meddev_notify_owner(
            self.env._("CAPA recurred after closure"),
            self.env._(
                "A new exception like this CAPA's was recorded after it was "
                "closed: review whether the CAPA was effective."
            ),
        )
