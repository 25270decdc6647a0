from odoo.exceptions import AccessError, ValidationError
from odoo.tests import tagged

from .common import ROLES, MeddevCase


@tagged("post_install", "-at_install")
class TestSettings(MeddevCase):
    def test_admin_sets_regulatory_identity(self):
        settings = self.env["res.config.settings"].create(
            {
                "meddev_manufacturing_licence": "苏药监械生产许20230099号",
                "meddev_gs1_company_prefix": "6971234",
            }
        )
        settings.execute()
        self.assertEqual(self.env.company.meddev_gs1_company_prefix, "6971234")
        self.assertEqual(
            self.env.company.meddev_manufacturing_licence, "苏药监械生产许20230099号"
        )

    def test_bad_gs1_prefix_rejected_and_nothing_changed(self):
        company = self.env.company
        company.meddev_gs1_company_prefix = "6971234"
        for bad in ("697", "69A1234", "6971234567890", " 6971234"):
            with self.assertRaisesRegex(ValidationError, "4 to 12 digits"):
                with self.env.cr.savepoint():
                    company.meddev_gs1_company_prefix = bad
                    company.flush_recordset()
        company.invalidate_recordset()
        self.assertEqual(company.meddev_gs1_company_prefix, "6971234")

    def test_no_qms_role_may_change_settings(self):
        """Settings belong to Odoo administrators, not to any QMS role."""
        for role in ROLES:
            with self.assertRaises(AccessError, msg=role):
                self.env["res.config.settings"].with_user(self.users[role]).create(
                    {"meddev_gs1_company_prefix": "1234567"}
                )
            with self.assertRaises(AccessError, msg=role):
                self.env.company.with_user(self.users[role]).write(
                    {"meddev_manufacturing_licence": "forged"}
                )
