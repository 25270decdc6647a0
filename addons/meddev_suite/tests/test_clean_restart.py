import os
import re
import subprocess
import sys
from pathlib import Path

from odoo.tests import TransactionCase, tagged
from odoo.tools import config

# a log line of Odoo: "<date> <time> <pid> <LEVEL> <db> <logger>: <message>"
LOG_LINE = re.compile(r"^\S+ \S+ \d+ (?P<level>[A-Z]+) \S+ (?P<logger>[\w.]+): ")


@tagged("post_install", "-at_install")
class TestCleanRestart(TransactionCase):
    """A second start of the installed database (what a second `make run`
    does: no -i, no -u) logs nothing above INFO from the meddev modules,
    reloads no data and keeps each module's demo flag."""

    def _demo_flags(self):
        self.env.cr.execute(
            "SELECT name, demo FROM ir_module_module WHERE state = 'installed'"
        )
        return dict(self.env.cr.fetchall())

    def test_second_start_is_clean(self):
        flags = self._demo_flags()
        cmd = [
            sys.executable,
            "-m",
            "odoo",
            f"--addons-path={config['addons_path']}",
            "-d",
            self.env.cr.dbname,
            "--stop-after-init",
            "--log-level=info",
            "--no-http",
        ]
        proc = subprocess.run(
            cmd,
            capture_output=True,
            text=True,
            check=False,
            cwd=Path(__file__).resolve().parents[3],
            env=dict(os.environ, PYTHONWARNINGS="ignore"),
            timeout=600,
        )
        log = proc.stdout + proc.stderr
        self.assertEqual(proc.returncode, 0, log[-3000:])
        ours = []
        for line in log.splitlines():
            match = LOG_LINE.match(line)
            if not match or match["level"] in ("INFO", "DEBUG"):
                continue
            if "meddev" in match["logger"] or "meddev" in line:
                ours.append(line)
        self.assertFalse(ours, "lines above INFO of ours:\n" + "\n".join(ours))
        self.assertNotIn("loading demo", log)
        self.assertNotRegex(log, r"Module meddev_\w+: loading")
        self.assertNotIn("installed without demo data", log)
        self.assertEqual(self._demo_flags(), flags)
