from odoo.tests import TransactionCase, tagged

ZH_NAMES = {
    "meddev_base": "医疗器械质量管理：基础",
    "meddev_supplier": "医疗器械质量管理：供应商资质",
    "meddev_suite": "医疗器械质量管理：套件",
    "meddev_demo": "医疗器械质量管理：演示公司",
}


@tagged("post_install", "-at_install")
class TestModuleNames(TransactionCase):
    def test_module_names_in_chinese(self):
        """The Apps screen names and sums up the meddev modules in Chinese, from
        meddev_base's i18n_extra/zh_CN.po (loaded when meddev_base or the
        language is installed or updated)."""
        self.env["res.lang"]._activate_lang("zh_CN")
        self.env["ir.module.module"]._load_module_terms(["meddev_base"], ["zh_CN"])
        Module = self.env["ir.module.module"].with_context(lang="zh_CN")
        modules = Module.search([("name", "in", list(ZH_NAMES))])
        self.assertIn("meddev_base", modules.mapped("name"))
        for module in modules:
            with self.subTest(module=module.name):
                self.assertEqual(module.shortdesc, ZH_NAMES[module.name])
                self.assertRegex(module.summary, "[\u4e00-\u9fff]")
        base = modules.filtered(lambda module: module.name == "meddev_base")
        self.assertEqual(
            base.with_context(lang="en_US").shortdesc, "Medical Device QMS: Base"
        )
