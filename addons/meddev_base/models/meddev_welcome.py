from odoo import api, fields, models


class MeddevWelcome(models.AbstractModel):
    """The user's own work on the QMS welcome screen.

    ``my_work()`` returns sections (signatures waiting, overdue items...) of
    items, each a count of records and the action listing them. Every count is
    searched as the user, under the record rules: it names only records the
    user may open. Functional modules add their items by extending
    ``_work_sections`` (meddev_supplier: audits, re-evaluations, certificates).
    """

    _name = "meddev.welcome"
    _description = "QMS Welcome Screen"

    @api.model
    def my_work(self):
        """[{key, title, empty, items: [{key, label, document, count,
        action}]}] of the current user; items without records left out."""
        sections = self._work_sections()
        for section in sections:
            section["items"] = [item for item in section["items"] if item]
        return sections

    @api.model
    def _work_sections(self):
        return [
            {
                "key": "sign",
                "title": self.env._("Waiting for your signature"),
                "empty": self.env._("No signature waiting for you."),
                "items": self._signature_items(),
            },
            {
                "key": "overdue",
                "title": self.env._("Overdue"),
                "empty": self.env._("Nothing overdue."),
                "items": self._overdue_activity_items(),
            },
        ]

    @api.model
    def _section(self, sections, key):
        return next(section for section in sections if section["key"] == key)

    @api.model
    def _item(self, key, label, model, domain):
        """{key, label, document, count, action} of the records of ``model``
        matching ``domain`` that the user may read; None when there are none
        (or the user may not read the model)."""
        Model = self.env[model]
        if not Model.has_access("read"):
            return None
        count = Model.search_count(domain)
        if not count:
            return None
        # the name of the document type, shown to whoever may read its records
        # (ir.model is readable by QMS users only)
        document = self.env["ir.model"].sudo()._get(model).name
        return {
            "key": key,
            "label": label,
            "document": document,
            "count": count,
            "action": {
                "type": "ir.actions.act_window",
                "name": label,
                "res_model": model,
                "domain": domain,
                "views": [[False, "list"], [False, "form"]],
                "target": "current",
            },
        }

    # ------------------------------------------------------------------
    # signatures waiting: awaited signed steps the user's roles may do now
    # ------------------------------------------------------------------
    @api.model
    def _signature_items(self):
        user = self.env.user
        # the stage permission matrix is configuration, enforced whatever the
        # user may read: read as superuser, as the check reads it
        rows = (
            self.env["meddev.stage.permission"]
            .sudo()
            .search([("signature_meaning", "!=", False)])
        )
        items = []
        for row in self._applicable_rows(rows):
            if not row.group_ids & user.groups_id:
                continue
            domain = self.env[row.model]._meddev_awaiting_domain(row.action, row)
            if domain is None:
                continue
            done = self._records_done_by_user(row)
            if done:
                # segregation of duties: not the records the user may not sign
                domain.append(("id", "not in", done))
            key = f"sign:{row.model}:{row.action}"
            items.append(self._item(key, row.name, row.model, domain))
        return items

    @api.model
    def _applicable_rows(self, rows):
        """The rows that apply in the current company: per document type and
        action, the company's row, else the one without company."""
        company = self.env.company
        chosen = {}
        for row in rows:
            if row.model not in self.env or row.company_id not in (
                company,
                self.env["res.company"],
            ):
                continue
            key = (row.model, row.action)
            if key not in chosen or row.company_id:
                chosen[key] = row
        return list(chosen.values())

    @api.model
    def _records_done_by_user(self, row):
        """Ids of the records on which the user did an action that
        segregation of duties sets against ``row``."""
        if not row.not_same_user_as_ids:
            return []
        # the action log is read for the check whatever the user may read
        logs = (
            self.env["meddev.stage.action.log"]
            .sudo()
            .search(
                [
                    ("res_model", "=", row.model),
                    ("action", "in", row.not_same_user_as_ids.mapped("action")),
                    ("user_id", "=", self.env.uid),
                ]
            )
        )
        return sorted(set(logs.mapped("res_id")))

    # ------------------------------------------------------------------
    # overdue: the user's activities past their deadline on QMS records
    # ------------------------------------------------------------------
    @api.model
    def _overdue_activity_items(self):
        today = fields.Date.to_string(fields.Date.context_today(self))
        mine = [("user_id", "=", self.env.uid), ("date_deadline", "<", today)]
        groups = self.env["mail.activity"]._read_group(
            [*mine, ("res_model", "=like", "meddev.%")], ["res_model"]
        )
        items = []
        for (model,) in groups:
            if model not in self.env or "activity_ids" not in self.env[model]._fields:
                continue
            items.append(
                self._item(
                    f"activity:{model}",
                    self.env._("Overdue activities"),
                    model,
                    [("activity_ids", "any", mine)],
                )
            )
        return items
