# IOP Finder: `make run` serves the site on http://127.0.0.1:8000, `make test` runs every check.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run install install-test browser migrate listings test lint bench clean

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

# The browser tests drive Debian's Chromium (never a browser Playwright downloads).
browser:
	@command -v chromium >/dev/null 2>&1 || { apt-get update -qq && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium fonts-dejavu-core >/dev/null; }

test: lint browser
	$(VENV)/bin/pytest

bench: install-test
	$(PY) bench/run.py; status=$$?; $(PY) bench/matching.py && exit $$status

clean:
	rm -rf $(VENV) staticfiles .pytest_cache .ruff_cache
