from pathlib import Path

import polib

from odoo.modules.module import get_module_path
from odoo.tests import TransactionCase, tagged
from odoo.tools.translate import TranslationModuleReader


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every meddev module ships a complete Simplified Chinese translation."""

    def _meddev_modules(self):
        return self.env["ir.module.module"].search(
            [("name", "=like", "meddev\\_%"), ("state", "=", "installed")]
        )

    def test_zh_cn_po_complete(self):
        modules = self._meddev_modules()
        self.assertIn("meddev_base", modules.mapped("name"))
        for module in modules:
            po_path = Path(get_module_path(module.name)) / "i18n" / "zh_CN.po"
            self.assertTrue(po_path.is_file(), f"{module.name} has no zh_CN.po")
            catalog = polib.pofile(str(po_path))
            missing = [e.msgid for e in catalog.untranslated_entries()]
            self.assertFalse(missing, f"{module.name}: untranslated: {missing}")
            self.assertFalse(
                [e.msgid for e in catalog.fuzzy_entries()],
                f"{module.name}: fuzzy entries in zh_CN.po",
            )
            # every term Odoo exports from the module's code, data and views
            translated = {e.msgid for e in catalog.translated_entries()}
            terms = {
                term[4]
                for term in TranslationModuleReader(self.env.cr, modules=[module.name])
            }
            self.assertFalse(
                sorted(terms - translated),
                f"{module.name}: terms of the module missing from zh_CN.po",
            )

    def test_zh_cn_loaded_in_ui(self):
        self.env["res.lang"]._activate_lang("zh_CN")
        self._meddev_modules()._load_module_terms(
            self._meddev_modules().mapped("name"), ["zh_CN"], overwrite=True
        )
        zh = self.env(context={"lang": "zh_CN"})
        self.assertEqual(zh.ref("meddev_base.group_meddev_qa_manager").name, "质量经理")
        self.assertEqual(
            zh.ref("meddev_base.menu_meddev_root").name, "医疗器械质量管理"
        )
        self.assertEqual(
            zh.ref("meddev_demo.product_screw_sterile").name,
            "皮质骨螺钉 Ø4.5 × 40 mm（灭菌）",
        )
