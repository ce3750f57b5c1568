# Plaudit — every task a newcomer or CI needs is one target here.
SHELL := /bin/bash
VENV ?= .venv
PYTHON := $(VENV)/bin/python
UV_VERSION := 0.13.9
HOST ?= 127.0.0.1
PORT ?= 8000
export UV_PROJECT_ENVIRONMENT := $(VENV)
# Trust the platform's certificate store (as pip does), so installs also work behind a
# TLS-inspecting proxy whose CA is installed system-wide.
export UV_SYSTEM_CERTS := 1

.PHONY: install run test hardening lint typecheck check migrate seed bench bench-tools clean deploy-lint topology-test bench-wsgi

# The translations: translators edit locale/<language>/LC_MESSAGES/<domain>.po; the .mo
# files Django reads are built from them here (Babel, pure Python: no system gettext), and
# never committed.
TRANSLATIONS := $(wildcard locale/*/LC_MESSAGES/*.po)
# settings.LANGUAGES less English, the language the code is written in.
TRANSLATED_LANGUAGES := fr de es

install: $(VENV)/.installed node_modules/.package-lock.json $(TRANSLATIONS:.po=.mo) ## create .venv and install the locked dependencies (and axe-core, with npm); compile the translations

$(VENV)/.installed: pyproject.toml uv.lock
	test -x $(PYTHON) || python3 -m venv $(VENV)
	$(VENV)/bin/pip install --quiet --disable-pip-version-check uv==$(UV_VERSION)
	$(VENV)/bin/uv sync --frozen --inexact --quiet
	touch $@

# axe-core for the accessibility tests (tests/web/test_accessibility.py), the version
# package-lock.json pins. Without npm, or without its registry, the install still succeeds
# (it is for tests only): those tests then skip, or fail under PLAUDIT_REQUIRE_SERVICES (CI),
# like the other browser tests without Chromium.
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then \
		npm ci --no-audit --no-fund --loglevel=error && touch $@ \
			|| echo "npm ci failed: axe-core not installed, the accessibility tests will skip"; \
	else \
		echo "npm not found: axe-core not installed, the accessibility tests will skip (apt-get install npm)"; \
	fi

# A broken catalog (a placeholder the English has not) fails the install, as it would fail
# the page; one with a fuzzy header is skipped (Babel's rule; the translation test fails
# it): translators clear the flag when the file is done.
locale/%.mo: locale/%.po $(VENV)/.installed
	$(VENV)/bin/pybabel -q compile --domain=$(basename $(notdir $<)) \
		--locale=$(word 2,$(subst /, ,$<)) --input-file=$< --output-file=$@ \
		|| { rm -f $@; exit 1; }

# Developers (needs GNU gettext's xgettext and msgmerge: apt-get install gettext): collect
# every marked string into the .po files, new ones untranslated; then translate them and
# `make install` compiles. The JavaScript catalog only once a script marks a string.
MESSAGES_OPTIONS := --no-obsolete --add-location=file --ignore=.venv --ignore=node_modules \
	--ignore=tests --ignore=bench --ignore=staticfiles --ignore=media --ignore=exercises \
	--ignore=deploy --ignore=docs $(foreach language,$(TRANSLATED_LANGUAGES),--locale=$(language))
.PHONY: messages
messages: install ## update locale/*/LC_MESSAGES/*.po from the strings marked in the code (GNU gettext)
	$(PYTHON) manage.py makemessages --domain=django $(MESSAGES_OPTIONS)
	@if grep -rqE '\b(n|p|np)?gettext\(|\binterpolate\(' static/js --include='*.js' --exclude='*.min.js'; then \
		$(PYTHON) manage.py makemessages --domain=djangojs --ignore='*.min.js' $(MESSAGES_OPTIONS); \
	fi

migrate: install
	$(PYTHON) manage.py migrate --noinput

seed: migrate
	$(PYTHON) manage.py seed_demo

run: seed ## install, migrate, load demo data and serve on HOST:PORT
	$(PYTHON) manage.py runserver $(HOST):$(PORT)

test: install ## install and run the whole suite
	$(PYTHON) -m pytest $(PYTEST_ARGS)

bench-tools: ## wrk (Debian's package) for the load benchmarks, installed once
	@command -v wrk >/dev/null 2>&1 || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null; }

bench: install bench-tools ## API load benchmarks with wrk on PostgreSQL + Redis → docs/benchmarks.md
	$(PYTHON) bench/load.py $(BENCH_ARGS)

.PHONY: bench-import
bench-import: install ## CSV import rows/s and peak RSS (10k, 100k vs django-import-export, 1M) → docs/benchmarks.md
	$(PYTHON) bench/import_bench.py $(BENCH_ARGS)

.PHONY: bench-cpu
bench-cpu: install bench-tools ## CPU per request of the web server, the worker, PostgreSQL and Redis (reads, mixed, redeem)
	$(PYTHON) bench/cpu_by_process.py $(BENCH_ARGS)

.PHONY: bench-recognition
bench-recognition: install bench-tools ## feed and leaderboard req/s, p50/p99 and ratio to /health/ → docs/benchmarks.md
	$(PYTHON) bench/recognition.py $(BENCH_ARGS)

soak: install bench-tools ## 10 minutes of mixed load with a fault every minute, then verify_ledger
	$(PYTHON) bench/soak.py $(SOAK_ARGS)

hardening: install ## fuzzing (schemathesis, every role) and abuse tests
	$(PYTHON) -m pytest -m "hardening or abuse" $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

typecheck: install
	$(VENV)/bin/mypy

bench-wsgi: install bench-tools ## gunicorn sync / gthread / granian on the same app with wrk → docs/benchmarks.md
	bench/wsgi_servers.sh

deploy-lint: install ## lint the Dockerfile (hadolint) and validate compose.yaml (no Docker engine needed)
	deploy/lint.sh

topology-test: install ## primary + replica, 2 web servers behind nginx, ASGI, worker: flows and a killed web process (root)
	deploy/topology/run.sh

.PHONY: screenshots
SCREENSHOTS_DATABASE_URL ?= postgres://postgres@127.0.0.1:5432/plaudit_screenshots
screenshots: install ## docs/screenshots/*.png from the demo company, in Debian's Chromium (PostgreSQL)
	PLAUDIT_SCREENSHOTS=1 DATABASE_URL=$(SCREENSHOTS_DATABASE_URL) \
		$(PYTHON) -m pytest tests/web/test_screenshots.py tests/chat/outbound/test_block_kit_preview.py \
		-q -p no:cacheprovider

check: lint typecheck test

clean:
	rm -rf $(VENV) node_modules .pytest_cache .mypy_cache .ruff_cache
