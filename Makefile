# Book Your Place. `make run` to try it, `make test` to check it, `make serve` in production.
SHELL := /bin/bash
PORT ?= 8000
# The demo council's own sign-in provider (a test OpenID Connect provider on loopback).
COUNCIL_PORT ?= 8765
# The demo's fake GOV.UK Notify (manage.py demo_notify).
NOTIFY_PORT ?= 8767
VENV := .venv
PY := $(VENV)/bin/python
# pip-tools and pip-audit for `make lock` and `make audit`, apart from the service's own packages.
TOOLS := var/tools
LOCK_OPTIONS := --quiet --generate-hashes --allow-unsafe --strip-extras --no-emit-index-url --no-emit-find-links
# `make lock LOCK_UPGRADE=` adds new packages without moving the ones already pinned.
LOCK_UPGRADE ?= --upgrade
export PYTHONPATH := $(CURDIR)/src

.PHONY: run test serve setup assets migrate demo chromium test-sqlite test-postgres check-deploy clean help bench lock audit lint format

help:
	@echo "make run    - set up and start the demo on http://127.0.0.1:$(PORT) (SQLite, web and worker)"
	@echo "make test   - set up and run every test (SQLite, then PostgreSQL)"
	@echo "make serve  - production: gunicorn and the worker, settings from the environment"
	@echo "make bench  - load-test the production setup on PostgreSQL and SQLite (about 17 minutes)"
	@echo "make lint   - ruff (lint and format check) and the import contracts (import-linter)"
	@echo "make lock   - refresh the lock files (requirements/*.txt) from pyproject.toml"
	@echo "make audit  - check the locked packages for known vulnerabilities (pip-audit)"

# The service's packages exactly as locked (versions and hashes), then the project itself.
$(VENV)/.installed: pyproject.toml requirements/production.txt
	@PYBIN=$$(scripts/find-python.sh) || exit 1; \
	  echo "Using $$PYBIN ($$($$PYBIN --version))"; \
	  [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet --require-hashes -r requirements/production.txt
	$(PY) -m pip install --quiet --no-deps -e .
	@touch $@

# The test extras (pytest, Playwright, aiosmtpd...): only where tests or the benchmark run.
$(VENV)/.installed-test: $(VENV)/.installed requirements/test.txt
	$(PY) -m pip install --quiet --require-hashes -r requirements/test.txt
	@touch $@

$(TOOLS)/.installed:
	@PYBIN=$$(scripts/find-python.sh) || exit 1; [ -x $(TOOLS)/bin/python ] || $$PYBIN -m venv $(TOOLS)
	$(TOOLS)/bin/python -m pip install --quiet --upgrade pip 'pip-tools>=7.4' 'pip-audit>=2.7'
	@touch $@

# Resolved for the Python that scripts/find-python.sh finds, on this platform (the header
# says which); the hashes cover every file of each pinned release.
lock: export CUSTOM_COMPILE_COMMAND := make lock
lock: $(TOOLS)/.installed
	@mkdir -p requirements
	$(TOOLS)/bin/python -m piptools compile $(LOCK_OPTIONS) $(LOCK_UPGRADE) -o requirements/production.txt pyproject.toml
	$(TOOLS)/bin/python -m piptools compile $(LOCK_OPTIONS) $(LOCK_UPGRADE) --extra test -c requirements/production.txt \
	  -o requirements/test.txt pyproject.toml
	@for f in requirements/production.txt requirements/test.txt; do \
	  sed -i "2i # Resolved on $$(uname -sm) for $$($(TOOLS)/bin/python -V); install with pip install --require-hashes -r $$f" $$f; done

audit: $(TOOLS)/.installed
	@$(TOOLS)/bin/python scripts/audit.py requirements/production.txt requirements/test.txt

node_modules/.installed: package.json package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js 18+) is needed to build the styles: apt-get install nodejs npm"; exit 1; }
	npm ci --no-audit --no-fund --loglevel=error
	@touch $@

build/static/css/main.css: node_modules/.installed $(wildcard assets/scss/*.scss assets/js/* assets/favicon.*) scripts/build-assets.mjs
	node scripts/build-assets.mjs

assets: build/static/css/main.css

setup: $(VENV)/.installed assets

migrate: setup
	DEBUG=1 $(PY) manage.py migrate --no-input -v 0

demo: migrate
	DEBUG=1 $(PY) manage.py load_demo
	DEBUG=1 $(PY) manage.py load_demo_past_week
	DEBUG=1 $(PY) manage.py demo_organiser > var/organiser-login.txt
	DEBUG=1 $(PY) manage.py demo_council_sign_in --issuer http://127.0.0.1:$(COUNCIL_PORT) > var/council-people.txt

run: demo
	@PORT=$(PORT) COUNCIL_PORT=$(COUNCIL_PORT) NOTIFY_PORT=$(NOTIFY_PORT) scripts/run-dev.sh

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium from Debian's packages for the browser tests..."; \
	  if [ "$$(id -u)" != 0 ]; then echo "Run as root, or install it yourself: apt-get install chromium"; exit 1; fi; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null) || exit 1; \
	fi

# The layers of DEVELOPERS.md are contracts in pyproject.toml ([tool.importlinter]).
lint: $(VENV)/.installed-test
	$(VENV)/bin/ruff check src bench scripts
	$(VENV)/bin/ruff format --check src bench scripts
	$(VENV)/bin/lint-imports

format: $(VENV)/.installed-test
	$(VENV)/bin/ruff check --fix src bench scripts
	$(VENV)/bin/ruff format src bench scripts

# The two databases' runs go side by side, one per core (TEST_JOBS=1: one after the other);
# each run's output is printed whole when it ends, so the two never interleave.
TEST_JOBS ?= 2
test: setup $(VENV)/.installed-test chromium
	@$(MAKE) --no-print-directory -j$(TEST_JOBS) --output-sync=target test-sqlite test-postgres

test-sqlite:
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL $(PY) -m pytest $(PYTEST_ARGS)

test-postgres:
	@scripts/test-postgres.sh $(PYTEST_ARGS)

check-deploy: setup
	SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') ALLOWED_HOSTS=bookings.example.org \
	  $(PY) manage.py check --deploy --fail-level WARNING

serve: setup
	@scripts/serve.sh

# Benchmark (README, "Benchmark"): wrk from Debian's packages, installed when missing (needs
# root; without it the benchmark uses its own Python load generator). BENCH_ARGS="--backend sqlite".
bench: setup $(VENV)/.installed-test
	@if ! command -v wrk >/dev/null; then \
	  echo "Installing wrk from Debian's packages for the benchmark..."; \
	  if [ "$$(id -u)" != 0 ]; then echo "Not root: install it with 'apt-get install wrk'; using the Python load generator meanwhile"; \
	  else (DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null 2>&1 || \
	        (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null)) || \
	       echo "Could not install wrk; using the Python load generator"; fi; \
	fi
	$(PY) bench/run.py $(BENCH_ARGS)

clean:
	rm -rf build var/static var/test.sqlite3*
