# clausier: `make demo` starts the demo, `make test` runs every check. See README.md.
SHELL := /bin/bash
.DEFAULT_GOAL := help

export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT ?= $(CURDIR)/.venv
PYTHON := $(shell scripts/find-python)
ifeq ($(PYTHON),)
$(error No Python >= 3.12 found: install one or set PYTHON=/path/to/python3.12)
endif
UV := $(PYTHON) -m uv
RUN := $(UV) run --locked --python $(PYTHON)
MANAGE := $(RUN) clausier

# Debian packages: translations and PDF fonts (Liberation Sans, DejaVu Sans for symbols, Droid
# Sans Fallback for Chinese and Japanese: Typst reads them from their folders) and Dovecot (a
# real IMAP server for the inbox's polling tests, run from a configuration of their own) for
# everyone, Chromium for the browser tests.
SYSTEM_PACKAGES := gettext fonts-liberation2 fonts-dejavu-core fonts-droid-fallback dovecot-imapd
BROWSER_PACKAGES := chromium
CHROMIUM ?= /usr/bin/chromium

DEMO_HOST ?= 127.0.0.1
DEMO_PORT ?= 8000
TEST_POSTGRES_URL ?= postgres://postgres@127.0.0.1:5432
TEST_REDIS_URL ?= redis://127.0.0.1:6379
PYTEST := $(RUN) pytest -p no:cacheprovider

.PHONY: help install system-deps demo test lint check audit format test-sqlite test-postgres test-tasks-redis test-browser bench clean

help:
	@echo "make demo   install, migrate, load the demo data, serve http://$(DEMO_HOST):$(DEMO_PORT)/ with the task worker and the scheduler"
	@echo "make test   lint, check, the whole suite on SQLite then PostgreSQL, then the browser tests"
	@echo "make check  the architecture rules (tests/test_architecture.py) and ruff's complexity rule"
	@echo "make audit  known vulnerabilities of the locked dependencies (pip-audit)"
	@echo "make bench  benchmarks, written to var/bench/latest.json"

system-deps:
	@scripts/system-deps $(SYSTEM_PACKAGES)

install: system-deps
	@$(PYTHON) -m uv --version >/dev/null 2>&1 || $(PYTHON) -m pip install --quiet uv
	$(UV) sync --locked --python $(PYTHON)
	@# PYTHONSAFEPATH: the folder holds an app named like a standard module (collections).
	@cd src/clausier && PYTHONSAFEPATH=1 $(MANAGE) compilemessages --verbosity 0

# Links in e-mails point at the demo's own address; mail stays on the machine (EMAIL_URL's
# debug default, outbox://), listed at /backoffice/outbox/. The application server (gunicorn,
# `clausier serve`) runs with the task worker (django.tasks' database queue: e-mails, webhooks)
# and the scheduler (the periodic jobs) beside it; Ctrl-C stops all three.
demo: export BASE_URL = http://$(DEMO_HOST):$(DEMO_PORT)
# The demo logins need no phone: no role is required a second factor (anyone may enrol one at
# /account/security/); production requires it of owners and accounting.
demo: export MFA_REQUIRED_ROLES =
demo: install
	$(MANAGE) migrate --no-input
	$(MANAGE) demo
	@echo
	@echo "clausier demo: http://$(DEMO_HOST):$(DEMO_PORT)/  (admin: http://$(DEMO_HOST):$(DEMO_PORT)/admin/)"
	@echo "e-mails sent:  http://$(DEMO_HOST):$(DEMO_PORT)/backoffice/outbox/  (staff logins)"
	@echo "beside it:     clausier db_worker (tasks) and clausier scheduler (periodic jobs); Ctrl-C stops all"
	@echo
	@$(MANAGE) db_worker & worker=$$!; \
	$(MANAGE) scheduler & scheduler=$$!; \
	trap 'kill $$worker $$scheduler 2>/dev/null; wait $$worker $$scheduler 2>/dev/null' EXIT INT TERM; \
	$(MANAGE) serve --bind $(DEMO_HOST):$(DEMO_PORT)

test: install lint check audit test-sqlite test-postgres test-tasks-redis test-browser

lint:
	$(RUN) ruff check .
	$(RUN) ruff format --check .

# The architecture rules (stage order, layers, sizes, cycles) and the complexity limit, set in
# pyproject.toml ([tool.ruff.lint.mccabe]); both run, and either failing fails the target.
check:
	@echo "== architecture and complexity =="
	@status=0; \
	DATABASE_URL=sqlite:///:memory: $(PYTEST) -q tests/test_architecture.py || status=1; \
	$(RUN) ruff check --select C90 . || status=1; \
	exit $$status

# Known vulnerabilities of the locked dependencies (pip-audit, PyPI's vulnerability data): a
# vulnerable one fails; AUDIT_STRICT=1 also fails when some could not be looked up.
audit:
	@echo "== dependency audit =="
	UV="$(UV)" $(RUN) scripts/audit-deps

format:
	$(RUN) ruff check --fix .
	$(RUN) ruff format .

test-sqlite:
	@echo "== test suite on SQLite =="
	DATABASE_URL=sqlite:///:memory: $(PYTEST) -m "not browser and not postgresql"

# A database name of our own, so that nothing we did not create is ever dropped. The same
# database is the reports' replica too (a second alias, Django's test MIRROR).
test-postgres:
	@echo "== test suite on PostgreSQL =="
	db=$(TEST_POSTGRES_URL)/clausier_$$(date +%s)_$$$$; \
	DATABASE_URL=$$db DATABASE_REPLICA_URL=$$db $(PYTEST) -m "not browser and not sqlite"

# The tests of the task queue (marked tasks) on the Redis queue, in a Redis database claimed
# for the run and emptied of what the run created at the end (scripts/redis-test-db).
test-tasks-redis:
	@echo "== task queue tests on Redis =="
	@n=$$($(RUN) python scripts/redis-test-db claim $(TEST_REDIS_URL)) || exit 1; \
	trap '$(RUN) python scripts/redis-test-db release $(TEST_REDIS_URL) '$$n EXIT; \
	TASKS_BACKEND=redis REDIS_URL=$(TEST_REDIS_URL)/$$n TEST_TASKS_BACKENDS=redis \
	DATABASE_URL=sqlite:///:memory: $(PYTEST) -m "tasks and not postgresql"

test-browser:
	@scripts/system-deps $(BROWSER_PACKAGES)
	@echo "== browser tests (Chromium) =="
	CLAUSIER_CHROMIUM=$(CHROMIUM) DATABASE_URL=sqlite:///:memory: $(PYTEST) -m browser

# Invoicing benchmarks create their own database on this server and drop it at the end.
# BENCH_ARGS: e.g. "--invoices 5000 --pdf-invoices 200", or "--no-database"; metering:
# "--quick" (20,000 events, 200,000 aggregated), "--aggregation-events 2000000", "--no-metering"
# or "--metering-only" (the default 10M aggregated events alone take about 15 minutes).
bench: install
	BENCH_POSTGRES_URL=$(TEST_POSTGRES_URL) $(RUN) python benchmarks/run.py $(BENCH_ARGS)

clean:
	rm -rf .venv var/static var/bench
