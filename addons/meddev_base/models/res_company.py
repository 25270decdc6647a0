import re

from odoo import api, fields, models
from odoo.exceptions import ValidationError

GS1_PREFIX = re.compile(r"^\d{4,12}$")


class ResCompany(models.Model):
    _inherit = "res.company"

    meddev_manufacturing_licence = fields.Char(
        string="Manufacturing Licence No.",
        help="Medical device manufacturing licence (医疗器械生产许可证) number, "
        "printed on QMS reports.",
    )
    meddev_gs1_company_prefix = fields.Char(
        string="GS1 Company Prefix",
        help="The 4 to 12 digit GS1 company prefix from which the device GTINs "
        "of this company's UDIs are built.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies._meddev_ensure_report_layout()
        return companies

    @api.model
    def _meddev_default_report_layouts(self):
        """Data hook: every company without report layout gets one."""
        self.search(
            [("external_report_layout_id", "=", False)]
        )._meddev_ensure_report_layout()

    def _meddev_ensure_report_layout(self):
        """A company without report layout makes Odoo open the layout set-up
        dialog, which only system administrators may use, instead of printing:
        QMS administrators and auditors could not print their reports on a
        new database. Such companies get Odoo's standard layout."""
        layout = self.env.ref("web.external_layout_standard", raise_if_not_found=False)
        missing = self.filtered(lambda company: not company.external_report_layout_id)
        if layout and missing:
            missing.write({"external_report_layout_id": layout.id})

    @api.constrains("meddev_gs1_company_prefix")
    def _check_meddev_gs1_company_prefix(self):
        for company in self:
            prefix = company.meddev_gs1_company_prefix
            if prefix and not GS1_PREFIX.match(prefix):
                raise ValidationError(
                    self.env._(
                        "The GS1 company prefix of %(company)s must be 4 to 12 "
                        "digits, not %(prefix)r.",
                        company=company.name,
                        prefix=prefix,
                    )
                )
