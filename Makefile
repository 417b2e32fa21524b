# Jeugd & Onderwijs Monitor — the commands users and docs rely on.
# `make run` = sample data -> pipeline -> dashboard on http://127.0.0.1:8050
# `make test` = install everything (incl. Debian chromium for browser tests) and run all tests.

SHELL      := /bin/bash
PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
GEMEENTE   ?= GM0034
SCALE      ?= 1
SOURCES    := data/sources/$(GEMEENTE)
LANDING    := data/landing
DEMO_KEY   := data/demo.key
INSTALLED  := $(VENV)/.installed
SUDO       := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: install sysdeps postgres-check sample pipeline dashboard run test lint bench clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

# Browser tests need Debian's chromium + chromedriver (never a downloaded browser).
# The meeting pack PDF (WeasyPrint) needs pango and a font; pdftotext (poppler-utils) reads it
# back in the tests; the notes tests start a throwaway PostgreSQL server (postgresql).
sysdeps:
	@if ! command -v chromium >/dev/null || ! command -v chromedriver >/dev/null \
	    || ! command -v pdftotext >/dev/null || ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	    || ! ls /usr/lib/*/libpangoft2-1.0.so.0 >/dev/null 2>&1; then \
	  echo "Installeren: chromium, chromium-driver, pango, fonts, poppler-utils, postgresql (Debian)"; \
	  $(SUDO) apt-get update -qq && \
	  DEBIAN_FRONTEND=noninteractive $(SUDO) apt-get install -y -qq chromium chromium-driver \
	    libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core poppler-utils postgresql >/dev/null; \
	fi
	@$(MAKE) --no-print-directory postgres-check

# PostgreSQL for the notes tests: the tests start their own throwaway cluster (initdb in a
# temporary folder, loopback only); Debian's own cluster service is not needed or started.
postgres-check:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  && echo "PostgreSQL aanwezig: de notitietests starten er zelf een tijdelijke server mee." \
	  || echo "Let op: geen PostgreSQL; de PostgreSQL-notitietests worden overgeslagen."

$(DEMO_KEY):
	@mkdir -p $(dir $@)
	@umask 077 && $(PY) -c "import secrets; print(secrets.token_hex(32))" > $@
	@echo "Demo-sleutel aangemaakt in $@ (ALLEEN voor demo-data, nooit voor echte BSN's)"

# Synthetic source extracts for GEMEENTE, pseudonymised into data/landing/.
sample: install $(DEMO_KEY)
	$(PY) -m sample_data --gemeente $(GEMEENTE) --out $(SOURCES)
	rm -rf $(LANDING) && mkdir -p $(LANDING)
	$(PY) -m privacy.pseudonymise --key-file $(DEMO_KEY) --in $(SOURCES) --out $(LANDING)

pipeline: install
	@if [ -z "$$(ls -A $(LANDING) 2>/dev/null)" ]; then $(MAKE) --no-print-directory sample; fi
	$(PY) -m pipelines run --landing $(LANDING)

dashboard: install
	$(VENV)/bin/gunicorn 'dashboard.app:create_server()' -c dashboard/gunicorn.conf.py

run: sample pipeline dashboard

lint: install
	$(VENV)/bin/ruff check .

test: install sysdeps lint
	$(VENV)/bin/pytest

# make bench SCALE=65 measures national size (about 3,5 million persons).
bench: install
	$(PY) -m tests.bench --scale $(SCALE) --gemeente $(GEMEENTE)

clean:
	rm -rf data/published data/work data/quarantine data/cache
