"""pytest plugin of `make test`: what the plain runner would let through fails.

- Any ERROR or CRITICAL log record emitted while the tests run (outside Odoo's
  ``mute_logger``/``assertLogs``, which keep records from propagating) fails the run,
  as Odoo's own runner and runbot treat them.
- Test modules are imported in Odoo's test mode: pytest-odoo parses Odoo's config
  without it, and ``odoo.tests`` logs an error when imported outside test mode.
- A meddev browser test (HttpCase) that is skipped, e.g. because Chromium or
  websocket-client is missing, fails instead of passing silently.
"""

import logging
import os

import pytest


class _ErrorLogCollector(logging.Handler):
    def __init__(self):
        super().__init__(level=logging.ERROR)
        self.records = []
        self.current = None

    def emit(self, record):
        first_line = record.getMessage().splitlines()[0] if record.msg else ""
        self.records.append((self.current, record.levelname, record.name, first_line))


_collector = _ErrorLogCollector()


def pytest_configure(config):
    logging.getLogger().addHandler(_collector)


@pytest.hookimpl(hookwrapper=True, tryfirst=True)
def pytest_cmdline_main(config):
    # pytest-odoo imports odoo.tests right after parsing Odoo's config without
    # test mode; import it first, in test mode, and leave the flag as it was
    # (with it on, loading the registry would run Odoo's own tests too).
    import odoo.tools

    previous = odoo.tools.config["test_enable"]
    odoo.tools.config["test_enable"] = True
    try:
        import odoo.tests
    finally:
        odoo.tools.config["test_enable"] = previous
    yield


def pytest_collection_modifyitems(config, items):
    """Leave out the tests named in MEDDEV_DESELECT (``Class::test`` items,
    comma-separated, matched exactly): upstream tests known to fail without
    meddev (scripts/meddev.py UPSTREAM_FAILURES)."""
    names = {
        name.strip()
        for name in os.environ.get("MEDDEV_DESELECT", "").split(",")
        if name.strip()
    }
    if not names:
        return
    kept, left_out = [], []
    for item in items:
        key = f"{item.cls.__name__ if item.cls else ''}::{item.name}"
        (left_out if key in names else kept).append(item)
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = kept


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_protocol(item, nextitem):
    _collector.current = item.nodeid
    yield
    _collector.current = None


def _is_meddev_http_test(item):
    from odoo.tests import HttpCase

    instance = getattr(item, "instance", None)
    return isinstance(instance, HttpCase) and "/meddev_" in str(item.path)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if (
        report.skipped
        and os.environ.get("MEDDEV_STRICT_TESTS")
        and _is_meddev_http_test(item)
    ):
        report.outcome = "failed"
        report.longrepr = (
            f"browser test was skipped, which `make test` forbids: {report.longrepr}"
        )


def pytest_sessionfinish(session, exitstatus):
    if _collector.records:
        reporter = session.config.pluginmanager.get_plugin("terminalreporter")
        reporter.write_sep("=", "ERROR log records during the tests", red=True)
        for nodeid, level, name, message in _collector.records:
            reporter.write_line(
                f"{level} {name} [{nodeid or 'outside a test'}]: {message}"
            )
        if session.exitstatus == 0:
            session.exitstatus = pytest.ExitCode.TESTS_FAILED
