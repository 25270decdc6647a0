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
        ).stdout
    except (OSError, subprocess.TimeoutExpired):
        return ""


class IrActionsReport(models.Model):
    _inherit = "ir.actions.report"

    @api.model
    def _meddev_wkhtmltopdf_patched(self):
        """Whether the wkhtmltopdf that prints PDFs has patched Qt: only it
        renders the controlled header and footer (document number, page X of
        Y); the controlled layout says so on the page when it has not."""
        binary = ir_actions_report._get_wkhtmltopdf_bin()
        return bool(binary) and "with patched qt" in _wkhtmltopdf_version(binary)
