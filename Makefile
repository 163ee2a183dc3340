# IOP Finder: `make run` serves the site on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-test system-packages migrate listings test lint bench loadtest clean

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet .
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed pyproject.toml
	$(PY) -m pip install --quiet ".[test]"
	touch $@

install: $(VENV)/.installed
install-test: $(VENV)/.installed-test

migrate: install
	$(PY) manage.py migrate --no-input

# SAMHSA's National Directories (every facility in the country), imported once. The fictional
# sample listings only on request: make run SAMPLES=1.
listings: migrate
	$(PY) manage.py load_listings $(if $(SAMPLES),--samples)

run: listings
	DEBUG=1 $(PY) manage.py runserver $(HOST):$(PORT)

lint: install-test
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(PY) manage.py makemigrations --check --dry-run

# Debian packages the tests need: Chromium for the browser tests (never a browser Playwright
# downloads) and its fonts, nginx in front of gunicorn (deploy/start), wrk for make loadtest.
# Installed when run as root; otherwise the missing ones are named.
SYSTEM_PACKAGES := chromium fonts-dejavu-core nginx wrk
system-packages:
	@missing=$$(for package in $(SYSTEM_PACKAGES); do \
		dpkg-query -W -f='$${Status}\n' $$package 2>/dev/null | grep -q ' installed$$' || echo $$package; \
	done); \
	if [ -z "$$missing" ]; then exit 0; fi; \
	if [ "$$(id -u)" != 0 ]; then \
		echo "Missing Debian packages: $$missing" >&2; \
		echo "Install them as root (sudo make system-packages, or apt-get install $$missing), then run make again." >&2; \
		exit 1; \
	fi; \
	echo "Installing Debian packages: $$missing"; \
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null

test: lint system-packages
	$(VENV)/bin/pytest

bench: install-test
	$(PY) bench/run.py; status=$$?; $(PY) bench/matching.py && exit $$status

# A bounded load run on loopback: CLIENTS concurrent clients for DURATION seconds on SIZE
# generated programs, through deploy/start (nginx and gunicorn) on PostgreSQL, without and
# with a catalogue write every 15 s (bench/loadtest.py): make loadtest DURATION=30 SIZE=1000
DURATION ?= 180
CLIENTS ?= 100
SIZE ?= 100000
loadtest: install-test system-packages
	$(PY) bench/loadtest.py --duration $(DURATION) --clients $(CLIENTS) --size $(SIZE)

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
