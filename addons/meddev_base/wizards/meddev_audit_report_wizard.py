import io

from odoo import api, fields, models
from odoo.exceptions import UserError


class MeddevAuditReportWizard(models.TransientModel):
    """Audit trail of one record, a period or a user, as PDF or XLSX.

    Both print the result of the chain verification made when they are
    produced, so a reader knows whether the trail they hold was intact.
    """

    _name = "meddev.audit.report.wizard"
    _inherit = ["meddev.xlsx.mixin"]
    _description = "Audit Trail Report"

    scope = fields.Selection(
        [("record", "One record"), ("period", "A period"), ("user", "A user")],
        required=True,
        default="period",
    )
    record_ref = fields.Reference(string="Record", selection="_selection_record_ref")
    res_model = fields.Char(
        string="Model", compute="_compute_res_record", store=True, readonly=False
    )
    res_id = fields.Integer(
        string="Record ID", compute="_compute_res_record", store=True, readonly=False
    )
    user_id = fields.Many2one("res.users")
    date_from = fields.Datetime(string="From")
    date_to = fields.Datetime(string="To")
    include_setup = fields.Boolean(
        string="Include Installation Entries",
        help="Also the entries written while modules were installed or updated "
        "(their data and demo data). A record's own trail always has them.",
    )
    verification = fields.Json(readonly=True)

    @api.model
    def _selection_record_ref(self):
        """The audited models, and the users (roles and signing locks are
        recorded on them)."""
        registry = self.env.registry
        mixin = registry["meddev.audit.mixin"]
        names = {
            name
            for name, model in registry.items()
            if issubclass(model, mixin) and not model._abstract
        }
        names.add("res.users")
        models_ = [
            self.env["ir.model"]._get(name)
            for name in names
            if name in self.env and not self.env[name]._abstract
        ]
        return sorted(
            ((model.model, model.name) for model in models_ if model),
            key=lambda pair: pair[1],
        )

    @api.depends("record_ref")
    def _compute_res_record(self):
        for wizard in self:
            if wizard.record_ref:
                wizard.res_model = wizard.record_ref._name
                wizard.res_id = wizard.record_ref.id

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        record = context.get("meddev_audit_record")
        if not record and context.get("active_model") and context.get("active_id"):
            if context["active_model"] not in (self._name, "meddev.audit.entry"):
                record = (context["active_model"], context["active_id"])
        if record:
            values.update(scope="record", res_model=record[0], res_id=record[1])
            if "record_ref" in fields_list and record[0] in dict(
                self._selection_record_ref()
            ):
                values["record_ref"] = f"{record[0]},{record[1]}"
        return values

    def _domain(self):
        self.ensure_one()
        if self.scope == "record":
            if not (self.res_model and self.res_id):
                raise UserError(
                    self.env._("Choose the model and the record to report on.")
                )
            domain = [("res_model", "=", self.res_model), ("res_id", "=", self.res_id)]
        elif self.scope == "user":
            if not self.user_id:
                raise UserError(self.env._("Choose the user to report on."))
            domain = [("user_id", "=", self.user_id.id)]
        else:
            domain = []
        if self.scope != "record" and not self.include_setup:
            domain.append(("setup_noise", "=", False))
        if self.date_from:
            domain.append(("timestamp", ">=", self.date_from))
        if self.date_to:
            domain.append(("timestamp", "<=", self.date_to))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts."))
        return domain

    def _entries(self):
        return self.env["meddev.audit.entry"].search(self._domain(), order="id")

    def _entry_groups(self):
        """The entries grouped by record, records in the order of their first
        entry: [(record name, document type, entries)]."""
        entries = self._entries()
        groups = {}
        for entry in entries:
            groups.setdefault((entry.res_model, entry.res_id), []).append(entry.id)
        result = []
        for ids in groups.values():
            group = entries.browse(ids).with_prefetch(entries._prefetch_ids)
            result.append((group[0].record_name, group[0].res_model_name, group))
        return result

    @api.model
    def _entry_rows(self, entry):
        """The report's rows of an entry: per change its field, old and new
        value; a signature in the signature column."""
        rows, signature = [], ""
        for change in entry.changes or []:
            if change.get("field") == "signature" and not change.get("type"):
                signature = change.get("new_display") or ""
                continue
            rows.append(
                {
                    "field": change.get("label") or "",
                    # a record created had no old values
                    "old": ""
                    if entry.operation == "create"
                    else str(change.get("old_display") or ""),
                    "new": str(change.get("new_display") or ""),
                    "signature": "",
                }
            )
        if not rows:
            rows.append({"field": "", "old": "", "new": "", "signature": ""})
        rows[0]["signature"] = signature
        return rows

    def _scope_line(self):
        """What the report covers, in the reader's language."""
        self.ensure_one()
        if self.scope == "record":
            model = self.env["ir.model"]._get(self.res_model)
            # named as its entries name it: to who may read them only
            entry = self.env["meddev.audit.entry"].search(
                [("res_model", "=", self.res_model), ("res_id", "=", self.res_id)],
                limit=1,
            )
            name = entry.record_name if entry else f"#{self.res_id}"
            return self.env._(
                "Record: %(record)s (%(type)s)",
                record=name,
                type=model.name if model else self.res_model,
            )
        if self.scope == "user":
            return self.env._("User: %(user)s", user=self.user_id.name)
        if self.include_setup:
            return self.env._("All changes, installation entries included")
        return self.env._("Changes made by users and the system after installation")

    def _period_line(self):
        """The period reported on (UTC, like the entries), or ""."""
        self.ensure_one()
        start = str(self.date_from) if self.date_from else ""
        end = str(self.date_to) if self.date_to else ""
        if start and end:
            return self.env._("From %(start)s to %(end)s (UTC)", start=start, end=end)
        if start:
            return self.env._("From %(start)s (UTC)", start=start)
        if end:
            return self.env._("Until %(end)s (UTC)", end=end)
        return ""

    @api.model
    def _count_line(self, groups):
        return self.env._(
            "%(entries)s entries on %(records)s records",
            entries=sum(len(group[2]) for group in groups),
            records=len(groups),
        )

    def _verify(self):
        self.verification = self.env["meddev.audit.entry"].verify_chain()
        return self.verification

    def action_print_pdf(self):
        self._domain()  # complain about a bad scope before printing
        self._verify()
        return self.env.ref(
            "meddev_base.action_report_meddev_audit_trail"
        ).report_action(self)

    def action_export_xlsx(self):
        return self._meddev_xlsx_download(self._xlsx(), self.env._("audit-trail.xlsx"))

    def _xlsx(self):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        entries = self._entries()
        result = self._verify()
        book = Workbook()
        sheet = book.active
        sheet.title = self.env._("Audit Trail")
        bold = Font(bold=True)
        sheet.append([self.env._("Audit Trail Report"), self.env.company.name])
        sheet["A1"].font = bold
        sheet.append([self.env._("Chain verification"), result["message"]])
        sheet.append(
            [
                self.env._("Chain intact"),
                self.env._("Yes") if result["ok"] else self.env._("NO"),
            ]
        )
        sheet.append([self.env._("Last seal"), result["last_seq"], result["last_hash"]])
        sheet.append([])
        header = [
            self.env._("Entry"),
            self.env._("Date (UTC)"),
            self.env._("User"),
            self.env._("Login"),
            self.env._("Model"),
            self.env._("Record ID"),
            self.env._("Record"),
            self.env._("Operation"),
            self.env._("Field"),
            self.env._("Old Value"),
            self.env._("New Value"),
            self.env._("Reason for Change"),
            self.env._("IP Address"),
            self.env._("Seal Sequence"),
            self.env._("Hash"),
        ]
        sheet.append(header)
        for cell in sheet[sheet.max_row]:
            cell.font = bold
        operations = dict(
            self.env["meddev.audit.entry"]
            ._fields["operation"]
            ._description_selection(self.env)
        )
        for entry in entries:
            common = [
                entry.id,
                entry.timestamp,
                entry.user_id.name or "",
                entry.user_login or "",
                entry.res_model,
                entry.res_id,
                entry.record_name or "",
                operations.get(entry.operation, entry.operation),
            ]
            tail = [
                entry.reason_display or "",
                entry.ip_address or "",
                entry.seal_seq or "",
                entry.hash or "",
            ]
            for change in entry.changes or [{}]:
                sheet.append(
                    [
                        *common,
                        change.get("label", ""),
                        str(change.get("old_display", "") or ""),
                        str(change.get("new_display", "") or ""),
                        *tail,
                    ]
                )
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()
