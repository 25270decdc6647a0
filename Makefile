# meddev: Odoo 18 Community add-on suite for medical-device QMS.
# Odoo 18.0 Community must be importable by $(PYTHON); see README.md.
PYTHON ?= python3
DRIVER := $(PYTHON) scripts/meddev.py
LINT_PATHS := addons scripts bench

.PHONY: help run test test-odoo-compat lint bench check

help:
	@echo "make run               database 'meddev' with the suite and demo data, served on :8069"
	@echo "make test              fresh database, every test of every meddev addon (browser tours too)"
	@echo "make test-odoo-compat  the tests of the Odoo and OCA modules the suite extends, with the suite installed"
	@echo "make lint              ruff, ruff format --check, pylint-odoo"
	@echo "make bench             speed ratios against Odoo/OCA, written to bench/RESULTS.md"

check:
	@$(DRIVER) check

run:
	@$(DRIVER) run

test:
	@$(DRIVER) test

test-odoo-compat:
	@$(DRIVER) compat

lint:
	@$(PYTHON) -c "import ruff, pylint_odoo" 2>/dev/null || $(PYTHON) -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(PYTHON) -m ruff check $(LINT_PATHS)
	$(PYTHON) -m ruff format --check $(LINT_PATHS)
	$(PYTHON) -m pylint --rcfile=.pylintrc addons/meddev_*

bench:
	@$(DRIVER) check
	$(PYTHON) bench/bench_audit.py
	$(PYTHON) bench/bench_supplier.py
	$(PYTHON) bench/bench_qualification.py
	$(PYTHON) bench/bench_outsourcing.py
	$(PYTHON) bench/bench_quality.py
	$(PYTHON) bench/bench_escalation.py
