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
    res_model = fields.Char(string="Model")
    res_id = fields.Integer(string="Record ID")
    user_id = fields.Many2one("res.users")
    date_from = fields.Datetime(string="From")
    date_to = fields.Datetime(string="To")
    verification = fields.Json(readonly=True)

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        context = self.env.context
        if context.get("active_model") and context.get("active_id"):
            if context["active_model"] != self._name:
                values.update(
                    scope="record",
                    res_model=context["active_model"],
                    res_id=context["active_id"],
                )
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
        if self.date_from:
            domain.append(("timestamp", ">=", self.date_from))
        if self.date_to:
            domain.append(("timestamp", "<=", self.date_to))
        if self.date_from and self.date_to and self.date_from > self.date_to:
            raise UserError(self.env._("The period ends before it starts."))
        return domain

    def _entries(self):
        return self.env["meddev.audit.entry"].search(self._domain(), order="id")

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
                entry.res_name or "",
                operations.get(entry.operation, entry.operation),
            ]
            tail = [
                entry.reason or "",
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
