import functools
import subprocess

from odoo import api, models

from odoo.addons.base.models import ir_actions_report


@functools.cache
def _wkhtmltopdf_version(binary):
    try:
        return subprocess.run(
            [binary, "--version"],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        ).stdout.strip()
    except (OSError, subprocess.TimeoutExpired):
        return ""


def patched_wkhtmltopdf():
    """The version line of the wkhtmltopdf Odoo prints PDFs with if it has
    patched Qt (the only one that renders headers, footers and page numbers),
    else ''."""
    binary = ir_actions_report._get_wkhtmltopdf_bin()
    version = _wkhtmltopdf_version(binary) if binary else ""
    return version if "with patched qt" in version else ""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _meddev_wkhtmltopdf_patched(self):
        """Whether PDFs get the controlled header and footer (document number,
        page X of Y); the controlled layout says so on the page when not."""
        return bool(patched_wkhtmltopdf())
