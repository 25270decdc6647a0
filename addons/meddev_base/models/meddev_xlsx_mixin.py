import base64

from odoo import models

XLSX_MIMETYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class MeddevXlsxMixin(models.AbstractModel):
    """Hands an XLSX export (openpyxl bytes) to the browser as a download,
    kept as an attachment of the record that produced it."""

    _name = "meddev.xlsx.mixin"
    _description = "XLSX Export"

    def _meddev_xlsx_download(self, content, filename):
        self.ensure_one()
        attachment = self.env["ir.attachment"].create(
            {
                "name": filename,
                "datas": base64.b64encode(content),
                "res_model": self._name,
                "res_id": self.id,
                "mimetype": XLSX_MIMETYPE,
            }
        )
        return {
            "type": "ir.actions.act_url",
            "url": f"/web/content/{attachment.id}?download=true",
            "target": "self",
        }
