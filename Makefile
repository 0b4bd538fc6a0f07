# Everything a developer runs. Each target prepares the machine first if
# needed (system packages, PostgreSQL, Odoo 19.0 source, virtualenv): see
# tools/setup.sh. Odoo's source is taken from ODOO_SRC (default
# ~/.cache/odoo/19.0), or cloned from the official 19.0 branch.
.PHONY: run test lint bench screenshots wheel setup
SHELL := /bin/bash

run:  ## Serve the demo database on http://localhost:8069
	bash tools/run.sh

test:  ## Install on a fresh database and run the whole suite, tours included
	bash tools/test.sh $(ARGS)

bench:  ## Build a database, measure the performance figures, write bench.json
	bash tools/bench.sh

screenshots:  ## With `make run` serving: refresh the README's screenshots
	bash -c 'source tools/odoo.sh && "$$VENV/bin/python" tools/screenshots.py'

lint:  ## ruff, pylint-odoo (OCA configuration) and manifestoo
	bash tools/lint.sh

wheel:  ## Build the wheel (whool) into dist/: pip install it into an Odoo environment
	bash tools/wheel.sh

setup:  ## Only prepare the machine
	bash tools/setup.sh >/dev/null
