from datetime import timedelta

from odoo import fields
from odoo.tests import HttpCase, tagged

# in the browser: the date cells of the list are shown, each whole (nothing
# cut off by the column), and in the Chinese format
CHECK_DATES = """
(async () => {
    const selector = "%(selector)s";
    let cells = [];
    for (let i = 0; i < 200 && !cells.length; i++) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        cells = [...document.querySelectorAll(selector)];
    }
    const cut = cells.filter((cell) =>
        [cell, ...cell.querySelectorAll("*")].some(
            (el) => el.scrollWidth > el.clientWidth + 1
        )
    );
    if (!cells.length) {
        console.error("no date cell " + selector);
    } else if (!cells.every((cell) => cell.textContent.includes("年"))) {
        console.error("not in Chinese: " + cells[0].textContent);
    } else if (cut.length) {
        console.error("date cut off: " + cut.map((c) => c.textContent).join(", "));
    } else {
        console.log("test successful");
    }
})();
"""


@tagged("post_install", "-at_install")
class TestListDatesBrowser(HttpCase):
    """Dates are shown whole in the meddev lists in Chinese (Chromium)."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        ref = cls.env.ref
        cls.user = cls.env["res.users"].create(
            {
                "name": "List Dates QA Manager",
                "login": "list_dates_qa",
                "password": "list_dates_qa",
                "lang": "zh_CN",
                "tz": "Asia/Shanghai",
                "groups_id": [
                    (
                        6,
                        0,
                        (
                            ref("meddev_base.group_meddev_qa_manager")
                            | ref("meddev_base.group_meddev_auditor")
                        ).ids,
                    )
                ],
            }
        )
        partner = cls.env["res.partner"].create(
            {"name": "Suzhou List Dates Sterilization", "is_company": True}
        )
        cls.env["meddev.supplier.certificate"].create(
            {
                "partner_id": partner.id,
                "cert_type": "iso13485",
                "number": "Q5 LIST 001",
                "issue_date": fields.Date.today() - timedelta(days=700),
                "expiry_date": fields.Date.today() + timedelta(days=30),
            }
        )

    def check(self, action, selector):
        self.browser_js(
            f"/odoo/action-{action}",
            CHECK_DATES % {"selector": selector},
            login=self.user.login,
        )

    def test_dates_whole_in_chinese(self):
        self.check(
            "meddev_supplier.meddev_supplier_certificate_action",
            ".o_list_table td.o_data_cell[name='expiry_date']",
        )

    def test_datetimes_whole_in_chinese(self):
        self.check(
            "meddev_base.meddev_audit_entry_action",
            ".o_list_table td.o_data_cell[name='timestamp']",
        )
