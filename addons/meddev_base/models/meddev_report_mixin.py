from odoo import api, models
from odoo.tools.translate import get_translation


class MeddevReportMixin(models.AbstractModel):
    """The values of a QMS report (``report.<module>.<template>`` models
    inherit it and set ``_meddev_report_model``): the records, once the
    reader's right to read them is checked, so that a reader without it gets a
    clear access error, not a failed rendering."""

    _name = "meddev.report.mixin"
    _description = "QMS Report Values"

    _meddev_report_model = None

    @api.model
    def _get_report_values(self, docids, data=None):
        records = self.env[self._meddev_report_model].browse(docids)
        records.check_access("read")
        return {
            "doc_ids": records.ids,
            "doc_model": records._name,
            "docs": records,
            "data": data,
        }

    @api.model
    def _meddev_bilingual_labels(self, english_labels):
        """{key: (English, Simplified Chinese)} of ``english_labels(env)``
        ({key: label}, read in English): the Chinese from the report's
        module's i18n/zh_CN.po, whether or not the language is installed."""
        english = english_labels(self.with_context(lang="en_US").env)
        return {
            key: (text, get_translation(self._module, "zh_CN", text, ()))
            for key, text in english.items()
        }
