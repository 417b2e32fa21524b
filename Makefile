# Jeugd & Onderwijs Monitor — the commands users and docs rely on.
# `make run` = sample data -> pipeline -> demo logins -> dashboard on http://127.0.0.1:8050
# `make test` = install everything (incl. Debian chromium for browser tests) and run all tests.

SHELL      := /bin/bash
PYTHON     ?= python3
VENV       := .venv
PY         := $(VENV)/bin/python
GEMEENTE   ?= GM0034
SCALE      ?= gemeente
SOURCES    := data/sources/$(GEMEENTE)
LANDING    := data/landing
# Outside data/: a key never lies beside the data it protects (git-ignored, 0700 folder).
DEMO_KEY   := .secrets/demo-sleutel.key
INSTALLED  := $(VENV)/.installed
# Debian packages a fresh machine needs (browser tests: Debian's chromium + chromedriver).
# The meeting pack PDF (WeasyPrint) needs pango and a font; pdftotext (poppler-utils) reads it
# back in the tests; the notes tests start a throwaway PostgreSQL server (postgresql); the
# deployment test runs the dashboard behind Debian's nginx with a certificate made by openssl,
# the login-counter tests start a throwaway redis-server (the store of several servers).
SYSDEPS    ?= chromium chromium-driver libpango-1.0-0 libpangoft2-1.0-0 fonts-dejavu-core \
              poppler-utils postgresql nginx openssl redis-server

# axe-core (accessibility checks in the browser tests), from npm, never committed.
AXE        := .cache/axe/node_modules/axe-core/axe.min.js
# Locust (make bench's load generator) in a virtualenv of its own: it needs urllib3 2, while
# Selenium 4.2 of dash[testing] needs urllib3 1.26. Pinned in bench/requirements.txt.
LOCUST     := .cache/locust/bin/locust

.PHONY: install sysdeps axe locust sample pipeline demo-users postgres-check dashboard run test test-fast lint bench settings-docs clean

install: $(INSTALLED)

$(INSTALLED): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

# Installs the missing $(SYSDEPS) with apt-get: as root, else through sudo; says what it
# installs and stops with a clear message when it cannot.
sysdeps:
	@missing=$$(for p in $(SYSDEPS); do \
	  dpkg-query -W -f='$${Status}\n' "$$p" 2>/dev/null | grep -q 'install ok installed' \
	    || echo "$$p"; done | xargs); \
	if [ -z "$$missing" ]; then echo "Systeempakketten aanwezig: $(SYSDEPS)"; exit 0; fi; \
	echo "Systeempakketten installeren (Debian, apt-get): $$missing"; \
	if ! command -v apt-get >/dev/null; then \
	  echo "FOUT: geen apt-get op deze machine; installeer zelf: $$missing" >&2; exit 1; fi; \
	if [ "$$(id -u)" = 0 ]; then sudo=""; elif command -v sudo >/dev/null; then sudo="sudo"; \
	else echo "FOUT: $$missing ontbreken en er is geen root of sudo om ze te installeren." \
	  "Laat een beheerder draaien: apt-get install $$missing" >&2; exit 1; fi; \
	$$sudo apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  $$sudo apt-get install -y -qq $$missing >/dev/null \
	  || { echo "FOUT: apt-get install $$missing is mislukt." >&2; exit 1; }

	@$(MAKE) --no-print-directory postgres-check

# Browser tests check every page with axe-core, installed from the npm registry.
axe: $(AXE)

# npm: the machine's own Node.js when it has one (its npm conflicts with Debian's), else Debian's.
$(AXE):
	@command -v npm >/dev/null || $(MAKE) --no-print-directory sysdeps SYSDEPS=npm
	npm install --prefix .cache/axe --no-audit --no-fund axe-core@4

locust: $(LOCUST)

$(LOCUST): bench/requirements.txt
	$(PYTHON) -m venv .cache/locust
	.cache/locust/bin/pip install -q -r bench/requirements.txt
	touch $@

# PostgreSQL for the notes tests: the tests start their own throwaway cluster (initdb in a
# temporary folder, loopback only); Debian's own cluster service is not needed or started.
postgres-check:
	@ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 \
	  && echo "PostgreSQL aanwezig: de notitietests starten er zelf een tijdelijke server mee." \
	  || echo "Let op: geen PostgreSQL; de PostgreSQL-notitietests worden overgeslagen."

# 256 random bits in the one form the pseudonymiser accepts (0600 in a 0700 folder).
$(DEMO_KEY): | $(INSTALLED)
	$(PY) -m privacy.pseudonymise --new-key $@
	@echo "Demo-sleutel aangemaakt in $@ (ALLEEN voor demo-data, nooit voor echte BSN's)"

# Synthetic source extracts for GEMEENTE, pseudonymised into data/landing/.
sample: install $(DEMO_KEY)
	$(PY) -m sample_data --gemeente $(GEMEENTE) --out $(SOURCES)
	umask 077 && rm -rf $(LANDING) && mkdir -p $(LANDING)
	$(PY) -m privacy.pseudonymise --key-file $(DEMO_KEY) --in $(SOURCES) --out $(LANDING)

pipeline: install
	@if [ -z "$$(ls -A $(LANDING) 2>/dev/null)" ]; then $(MAKE) --no-print-directory sample; fi
	$(PY) -m pipelines run --landing $(LANDING)

dashboard: install
	$(VENV)/bin/gunicorn 'dashboard.app:create_server()' -c dashboard/gunicorn.conf.py

# Demo logins (analyst, two school boards, OOGO partner), printed once; ALLEEN voor demo-data.
demo-users: install
	$(PY) -m dashboard.demo

run: sample pipeline demo-users dashboard

lint: install
	$(VENV)/bin/ruff check .

# Everything: install + system packages + lint + all tests (also the slow end-to-end ones), in
# one process: the end-to-end tests share one run of the sample pipeline (per process).
test: install sysdeps axe locust lint
	$(VENV)/bin/pytest -n 0

# Fast feedback while working: unit tests on tiny fixtures, without the sample pipeline runs,
# on every core (pytest-xdist, -n auto in pyproject.toml).
test-fast: install
	$(VENV)/bin/pytest -m "not slow"

# make bench SCALE=gemeente|regio|nationaal: pipeline and dashboard against measured floors,
# report in bench/<SCALE>.md + .json (scales and goals: bench/bench.yaml).
bench: install locust
	$(PY) -m bench --scale $(SCALE)

# docs/settings.md from the settings code (tests/test_settings.py fails when it is stale).
settings-docs: install
	$(PY) -m settings.reference

clean:
	rm -rf data/published data/work data/quarantine data/cache
