from odoo.tests import tagged

from .common import PASSWORD, MeddevSupplierCase


@tagged("post_install", "-at_install")
class TestAuditReasons(MeddevSupplierCase):
    """The reasons the supplier module writes into the audit trail (an
    evaluation closed by the decision, an audit closed, a certificate
    expired...) read in the reader's language, whatever the language of the
    user whose action wrote them."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env["res.lang"]._activate_lang("zh_CN")
        cls.env["ir.module.module"]._load_module_terms(
            ["meddev_base", "meddev_supplier"], ["zh_CN"], overwrite=True
        )

    def entries(self, record, lang):
        return (
            self.env["meddev.audit.entry"]
            .with_context(lang=lang)
            .search(
                [("res_model", "=", record._name), ("res_id", "=", record.id)],
                order="id",
            )
        )

    def test_decision_reason_reads_in_the_readers_language(self):
        qualification = self.Qualification.with_user(self.users["qa_engineer"]).create(
            {
                "partner_id": self.sterilizer.id,
                "scope_id": self.scope_eo.id,
                "risk_class": "A",
            }
        )
        qualification.action_start_evaluation()
        evaluation = self.evaluate(qualification)
        # the Chinese QA manager decides: the evaluation is closed by the
        # system, with its own reason
        qualification.with_user(self.users["qa_manager"]).with_context(
            lang="zh_CN"
        )._meddev_sign("approve", PASSWORD)
        english = self.entries(evaluation, "en_US").filtered(
            lambda e: e.reason_code == "lazy"
        )
        self.assertTrue(english, "the closing is recorded with a system reason")
        self.assertEqual(english[-1].reason_display, "Decision on the qualification")
        # stored as written, in the acting user's language
        self.assertNotEqual(english[-1].reason, "Decision on the qualification")
        chinese = self.entries(evaluation, "zh_CN").filtered(
            lambda e: e.reason_code == "lazy"
        )
        self.assertEqual(chinese[-1].reason_display, english[-1].reason)
