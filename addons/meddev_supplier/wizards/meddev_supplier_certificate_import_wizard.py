import base64
import binascii
import io
from datetime import date, datetime

from odoo import Command, fields, models
from odoo.exceptions import UserError

# the columns of the file, by their header (English, matched without case):
# they identify the columns, so they are not translated
COLUMNS = {
    "supplier": "Supplier",
    "type": "Type",
    "number": "Number",
    "issuer": "Issuer",
    "issue_date": "Issue Date",
    "expiry_date": "Expiry Date",
    "scopes": "Scopes",
}
REQUIRED_COLUMNS = ("supplier", "type", "number")


class MeddevSupplierCertificateImportWizard(models.TransientModel):
    """Import supplier certificates from an XLSX file, all or nothing.

    The first row names the columns: Supplier (the company's name or its
    reference), Type (the key or the label of the certificate type), Number,
    Issuer, Issue Date, Expiry Date, Scopes (qualification scope codes,
    separated by commas; empty: every scope). Every row is checked first;
    when any row is wrong nothing is created and the error lists every wrong
    row.
    """

    _name = "meddev.supplier.certificate.import.wizard"
    _inherit = ["meddev.xlsx.mixin"]
    _description = "Import Supplier Certificates"

    file = fields.Binary(string="XLSX File")
    filename = fields.Char()

    # ------------------------------------------------------------------
    # template
    # ------------------------------------------------------------------
    def _template(self):
        from openpyxl import Workbook
        from openpyxl.styles import Font

        book = Workbook()
        sheet = book.active
        sheet.append(list(COLUMNS.values()))
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        stream = io.BytesIO()
        book.save(stream)
        return stream.getvalue()

    def action_download_template(self):
        return self._meddev_xlsx_download(
            self._template(), self.env._("supplier-certificates-template.xlsx")
        )

    # ------------------------------------------------------------------
    # reading the file
    # ------------------------------------------------------------------
    def _read_rows(self):
        """[(row number, {column key: value})] of the non-empty rows."""
        from openpyxl import load_workbook

        self.ensure_one()
        if not self.file:
            raise UserError(self.env._("Choose the XLSX file to import."))
        try:
            content = base64.b64decode(self.file)
            book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
        except (binascii.Error, ValueError, OSError, KeyError) as error:
            raise UserError(
                self.env._("The file is not an XLSX workbook: %(error)s", error=error)
            ) from error
        sheet = book.worksheets[0]
        rows = sheet.iter_rows(values_only=True)
        header = next(rows, None) or ()
        keys = {label.lower(): key for key, label in COLUMNS.items()}
        positions = {}
        for index, title in enumerate(header):
            key = keys.get(str(title or "").strip().lower())
            if key:
                positions[key] = index
        missing = [COLUMNS[key] for key in REQUIRED_COLUMNS if key not in positions]
        if missing:
            raise UserError(
                self.env._(
                    "The first row of the file must name the columns; missing: "
                    "%(columns)s.",
                    columns=", ".join(missing),
                )
            )
        result = []
        for number, values in enumerate(rows, start=2):
            row = {
                key: values[index] if index < len(values) else None
                for key, index in positions.items()
            }
            row = {
                key: value.strip() if isinstance(value, str) else value
                for key, value in row.items()
            }
            if all(value in (None, "") for value in row.values()):
                continue
            result.append((number, row))
        book.close()
        if not result:
            raise UserError(self.env._("The file has no certificate to import."))
        return result

    def _parse_date(self, value):
        """A date from a date cell or an ISO text (YYYY-MM-DD); None when
        empty; raises ValueError when not a date."""
        if value in (None, ""):
            return None
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        return fields.Date.to_date(str(value))

    # ------------------------------------------------------------------
    # validation
    # ------------------------------------------------------------------
    def _lookups(self, rows):
        """Suppliers, types, scopes and existing certificates the rows name,
        each read with one search."""
        texts = {str(row.get("supplier") or "") for _number, row in rows} - {""}
        partners = self.env["res.partner"].search(
            [
                ("parent_id", "=", False),
                "|",
                ("name", "in", list(texts)),
                ("ref", "in", list(texts)),
            ]
        )
        suppliers = {}
        for partner in partners:
            for key in {partner.name, partner.ref} & texts:
                suppliers.setdefault(key, partner.browse())
                suppliers[key] |= partner
        Certificate = self.env["meddev.supplier.certificate"]
        field = Certificate._fields["cert_type"]
        types = {}
        for key, label in field._description_selection(self.env):
            types[key.lower()] = key
            types[str(label).lower()] = key
        for key, label in field.selection:
            types[label.lower()] = key
        codes = {
            code.strip()
            for _number, row in rows
            for code in str(row.get("scopes") or "").split(",")
            if code.strip()
        }
        scopes = {
            scope.code: scope
            for scope in self.env["meddev.supplier.scope"].search(
                [("code", "in", list(codes))]
            )
        }
        numbers = {str(row.get("number") or "") for _number, row in rows} - {""}
        existing = {
            (cert.partner_id.id, cert.cert_type, cert.number)
            for cert in Certificate.search(
                [("partner_id", "in", partners.ids), ("number", "in", list(numbers))]
            )
        }
        return suppliers, types, scopes, existing

    def _validate(self, rows):
        """(values of the certificates, errors of the rows)."""
        suppliers, types, scopes, existing = self._lookups(rows)
        type_labels = dict(
            self.env["meddev.supplier.certificate"]
            ._fields["cert_type"]
            ._description_selection(self.env)
        )
        errors = []
        vals_list = []
        seen = {}
        for number, row in rows:
            row_errors = []
            text = str(row.get("supplier") or "")
            partner = suppliers.get(text)
            if not text:
                row_errors.append(self.env._("no supplier"))
            elif not partner:
                row_errors.append(
                    self.env._("unknown supplier '%(supplier)s'", supplier=text)
                )
            elif len(partner) > 1:
                row_errors.append(
                    self.env._(
                        "supplier '%(supplier)s' names several partners: use its "
                        "reference",
                        supplier=text,
                    )
                )
            type_text = str(row.get("type") or "")
            cert_type = types.get(type_text.lower())
            if not type_text:
                row_errors.append(self.env._("no type"))
            elif not cert_type:
                row_errors.append(
                    self.env._(
                        "unknown type '%(type)s' (expected one of %(types)s)",
                        type=type_text,
                        types=", ".join(str(label) for label in type_labels.values()),
                    )
                )
            cert_number = str(row.get("number") or "")
            if not cert_number:
                row_errors.append(self.env._("no number"))
            dates = {}
            for key in ("issue_date", "expiry_date"):
                try:
                    dates[key] = self._parse_date(row.get(key))
                except ValueError:
                    dates[key] = None
                    row_errors.append(
                        self.env._(
                            "%(column)s '%(value)s' is not a date (YYYY-MM-DD)",
                            column=COLUMNS[key],
                            value=row.get(key),
                        )
                    )
            if (
                dates["issue_date"]
                and dates["expiry_date"]
                and dates["expiry_date"] < dates["issue_date"]
            ):
                row_errors.append(self.env._("expiry date before issue date"))
            codes = [
                code.strip()
                for code in str(row.get("scopes") or "").split(",")
                if code.strip()
            ]
            unknown = [code for code in codes if code not in scopes]
            if unknown:
                row_errors.append(
                    self.env._(
                        "unknown scope code %(codes)s",
                        codes=", ".join(f"'{code}'" for code in unknown),
                    )
                )
            if partner and len(partner) == 1 and cert_type and cert_number:
                key = (partner.id, cert_type, cert_number)
                if key in existing:
                    row_errors.append(
                        self.env._(
                            "%(supplier)s already has the certificate %(type)s "
                            "%(number)s",
                            supplier=partner.name,
                            type=type_labels[cert_type],
                            number=cert_number,
                        )
                    )
                elif key in seen:
                    row_errors.append(
                        self.env._("same certificate as row %(row)s", row=seen[key])
                    )
                seen.setdefault(key, number)
            if row_errors:
                errors.append(
                    self.env._(
                        "Row %(row)s: %(errors)s",
                        row=number,
                        errors="; ".join(row_errors),
                    )
                )
                continue
            issuer = row.get("issuer")
            vals_list.append(
                {
                    "partner_id": partner.id,
                    "cert_type": cert_type,
                    "number": cert_number,
                    "issuer": str(issuer) if issuer not in (None, "") else False,
                    "issue_date": dates["issue_date"] or False,
                    "expiry_date": dates["expiry_date"] or False,
                    "scope_ids": [Command.set([scopes[code].id for code in codes])],
                }
            )
        return vals_list, errors

    # ------------------------------------------------------------------
    # import
    # ------------------------------------------------------------------
    def action_import(self):
        """Create every certificate of the file, or none."""
        self.ensure_one()
        self.env["meddev.supplier.certificate"].check_access("create")
        vals_list, errors = self._validate(self._read_rows())
        if errors:
            raise UserError(
                self.env._(
                    "Nothing was imported: correct these rows and import the file "
                    "again.\n%(errors)s",
                    errors="\n".join(errors),
                )
            )
        certificates = self.env["meddev.supplier.certificate"].create(vals_list)
        return {
            "type": "ir.actions.act_window",
            "name": self.env._("Imported Certificates"),
            "res_model": "meddev.supplier.certificate",
            "view_mode": "list,form",
            "views": [(False, "list"), (False, "form")],
            "domain": [("id", "in", certificates.ids)],
            "target": "current",
        }
