# Book Your Place. `make run` to try it, `make test` to check it, `make serve` in production.
SHELL := /bin/bash
PORT ?= 8000
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONPATH := $(CURDIR)/src

.PHONY: run test serve setup assets migrate demo chromium test-sqlite test-postgres check-deploy clean help bench

help:
	@echo "make run    - set up and start the demo on http://127.0.0.1:$(PORT) (SQLite, web and worker)"
	@echo "make test   - set up and run every test (SQLite, then PostgreSQL)"
	@echo "make serve  - production: gunicorn and the worker, settings from the environment"
	@echo "make bench  - load-test the production setup on PostgreSQL and SQLite (about 12 minutes)"

$(VENV)/.installed: pyproject.toml
	@PYBIN=$$(scripts/find-python.sh) || exit 1; \
	  echo "Using $$PYBIN ($$($$PYBIN --version))"; \
	  [ -x $(PY) ] || $$PYBIN -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e '.[test]'
	@touch $@

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
	DEBUG=1 $(PY) manage.py demo_organiser > var/organiser-login.txt

run: demo
	@PORT=$(PORT) scripts/run-dev.sh

chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
	  echo "Installing Chromium from Debian's packages for the browser tests..."; \
	  if [ "$$(id -u)" != 0 ]; then echo "Run as root, or install it yourself: apt-get install chromium"; exit 1; fi; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-liberation >/dev/null) || exit 1; \
	fi

test: setup chromium
	$(MAKE) --no-print-directory test-sqlite
	$(MAKE) --no-print-directory test-postgres

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
bench: setup
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
