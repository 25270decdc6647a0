import io

from odoo import fields, models

from ..models.meddev_supplier_qualification import APPROVED_STATES


class MeddevSupplierAslWizard(models.TransientModel):
    """The approved supplier list as an XLSX workbook: one row per qualified
    or conditional qualification (or of every state), with its scope, risk
    class, last and next evaluation and the earliest expiry of the
    certificates covering it."""

    _name = "meddev.supplier.asl.wizard"
    _inherit = ["meddev.xlsx.mixin"]
    _description = "Export Approved Supplier List"

    include_all_states = fields.Boolean(
        help="Also list candidate, under evaluation, suspended and disqualified "
        "qualifications."
    )

    def _qualifications(self):
        self.ensure_one()
        Qualification = self.env["meddev.supplier.qualification"]
        states = (
            [code for code, _label in Qualification._fields["state"].selection]
            if self.include_all_states
            else list(APPROVED_STATES)
        )
        return Qualification.search([("state", "in", states)])

    def _xlsx(self):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        Qualification = self.env["meddev.supplier.qualification"]
        states = dict(Qualification._fields["state"]._description_selection(self.env))
        risks = dict(
            Qualification._fields["risk_class"]._description_selection(self.env)
        )
        book = Workbook()
        sheet = book.active
        sheet.title = self.env._("Approved Supplier List")[:31]
        sheet.append(
            [
                self.env._("Supplier"),
                self.env._("Scope"),
                self.env._("Status"),
                self.env._("Risk Class"),
                self.env._("Last Evaluation"),
                self.env._("Next Evaluation"),
                self.env._("Earliest Certificate Expiry"),
            ]
        )
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        for qualification in self._qualifications():
            sheet.append(
                [
                    qualification.partner_id.display_name,
                    qualification.scope_id.display_name,
                    states.get(qualification.state, qualification.state),
                    risks.get(qualification.risk_class, qualification.risk_class),
                    qualification.last_evaluation_date or None,
                    qualification.next_evaluation_date or None,
                    qualification.earliest_certificate_expiry or None,
                ]
            )
        for row in sheet.iter_rows(min_row=2, min_col=5, max_col=7):
            for cell in row:
                cell.number_format = "yyyy-mm-dd"
        for column, width in zip("ABCDEFG", (40, 40, 16, 16, 16, 16, 24), strict=True):
            sheet.column_dimensions[column].width = width
        sheet.freeze_panes = "A2"
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()

    def action_export_xlsx(self):
        return self._meddev_xlsx_download(
            self._xlsx(), self.env._("approved-supplier-list.xlsx")
        )
