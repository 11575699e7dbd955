# Coalition — everyday commands.
#
#   make demo    set up, load reference and demo data, run the site on http://127.0.0.1:8000
#   make test    set up, run the whole test suite (extra pytest arguments in PYTEST_ARGS)
#   make setup   Python virtualenv in .venv and front-end libraries in node_modules
#   make clean   remove what setup made (the database in var/ is kept)

SHELL := bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
VPY := $(VENV)/bin/python
COALITION := $(VENV)/bin/coalition
PYTEST_ARGS ?=
ADDR ?= 127.0.0.1:8000
DEMO_PLEDGES ?= 1000
DEMO_SEED ?= 1

# Coalition ships its classifications and a snapshot of the indicator series, so the demo needs
# no data folder and no network. A folder of the publishers' files (COALITION_DATA_DIR, or
# ../shared/data beside the project on developer and CI machines) replaces them, and
# `coalition data fetch` downloads fresher data from the publishers' APIs.
ifeq ($(origin COALITION_DATA_DIR),undefined)
  ifneq ($(wildcard ../shared/data/.),)
    COALITION_DATA_DIR := $(abspath ../shared/data)
  endif
endif
ifdef COALITION_DATA_DIR
  export COALITION_DATA_DIR
endif

COALITION_CHROMIUM ?= /usr/bin/chromium
export COALITION_CHROMIUM

.PHONY: help setup python-deps js-deps iati-schemas browser demo test clean

help:
	@sed -n 's/^#   //p' Makefile

setup: python-deps js-deps iati-schemas

# A virtualenv on Python >= 3.12. PYTHON=/path/to/python picks the interpreter; otherwise
# the first candidate that really runs and is recent enough wins (pyenv shims can exist
# for versions that are not selected, so a name on PATH proves nothing).
$(VPY):
	@ok() { "$$1" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' >/dev/null 2>&1; }; \
	root=$$(pyenv root 2>/dev/null || echo "$${PYENV_ROOT:-$$HOME/.pyenv}"); \
	found=""; \
	if [ -n "$${PYTHON:-}" ] && ! ok "$$PYTHON"; then \
	  echo "error: PYTHON=$$PYTHON does not run or is older than 3.12" >&2; exit 1; \
	fi; \
	for c in $${PYTHON:-} python3.13 python3.12 \
	    $$(ls -d "$$root"/versions/3.1[2-9]*/bin/python 2>/dev/null | sort -rV) \
	    $$(ls /usr/bin/python3.1[2-9] 2>/dev/null | sort -rV); do \
	  if ok "$$c"; then found=$$c; break; fi; \
	done; \
	if [ -z "$$found" ]; then \
	  echo "error: Coalition needs Python 3.12 or newer and none was found." >&2; \
	  echo "       Tried python3.13, python3.12, $$root/versions/3.1x and /usr/bin/python3.1x." >&2; \
	  echo "       Install one (e.g. 'pyenv install 3.13') or run: make setup PYTHON=/path/to/python3.12" >&2; \
	  exit 1; \
	fi; \
	echo "Creating $(VENV) with $$found ($$("$$found" -c 'import platform; print(platform.python_version())'))"; \
	"$$found" -m venv --clear $(VENV)

# Reinstall only when pyproject.toml's content changed since the last successful install.
python-deps: $(VPY)
	@if ! $(VPY) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 12) else 1)' 2>/dev/null; then \
	  echo "$(VENV) is broken or older than Python 3.12; recreating it"; \
	  rm -rf $(VENV); $(MAKE) --no-print-directory $(VPY); \
	fi; \
	want=$$(sha256sum pyproject.toml | cut -d' ' -f1); \
	if [ "$$(cat $(VENV)/.pyproject.sha256 2>/dev/null)" != "$$want" ]; then \
	  echo "Installing Python dependencies (pip install -e '.[dev]')"; \
	  $(VPY) -m pip install --quiet --quiet --disable-pip-version-check -e ".[dev]"; \
	  echo "$$want" > $(VENV)/.pyproject.sha256; \
	fi

# The official IATI 2.03 schema and codelists, which the tests validate the IATI export against
# when no data folder holds a copy (COALITION_DATA_DIR/iati): taken from the source package of
# pyIATI, IATI's own Python library, on PyPI (only its resource files; it is not installed).
IATI_VERSION := 2-03
IATI_SCHEMAS := $(VENV)/share/iati-$(IATI_VERSION)
iati-schemas: python-deps
	@if [ ! -f $(IATI_SCHEMAS)/iati-activities-schema.xsd ]; then \
	  echo "Fetching the IATI $(IATI_VERSION) schema and codelists (pyIATI 0.4.1 from PyPI)"; \
	  tmp=$$(mktemp -d); \
	  $(VPY) -m pip download --quiet --disable-pip-version-check --no-deps --no-binary :all: -d "$$tmp" pyIATI==0.4.1; \
	  tar -xzf "$$tmp"/pyIATI-0.4.1.tar.gz -C "$$tmp"; \
	  standard="$$tmp/pyIATI-0.4.1/iati/resources/standard/$(IATI_VERSION)"; \
	  mkdir -p $(IATI_SCHEMAS)/codelists; \
	  cp "$$standard"/schemas/*.xsd $(IATI_SCHEMAS)/; \
	  cp "$$standard"/codelists/*.xml $(IATI_SCHEMAS)/codelists/; \
	  rm -rf "$$tmp"; \
	fi

# Front-end libraries (htmx, Vega, world-atlas) exactly as package-lock.json pins them;
# Django serves them from node_modules at /static/vendor/.
js-deps:
	@command -v npm >/dev/null || { echo "error: npm is needed (Node.js 20 or newer)" >&2; exit 1; }; \
	want=$$(sha256sum package-lock.json | cut -d' ' -f1); \
	if [ "$$(cat node_modules/.package-lock.sha256 2>/dev/null)" != "$$want" ]; then \
	  echo "Installing front-end libraries (npm ci)"; \
	  npm ci --ignore-scripts --no-audit --no-fund --loglevel=error; \
	  echo "$$want" > node_modules/.package-lock.sha256; \
	fi

demo: setup
	$(COALITION) migrate --noinput
	$(COALITION) reference load
	$(COALITION) indicators load
	$(COALITION) demo generate --pledges $(DEMO_PLEDGES) --seed $(DEMO_SEED)
	$(COALITION) demo publish
	@echo
	@echo "Coalition is starting on http://$(ADDR)/"
	@echo "Administration: http://$(ADDR)/admin/ (sign in with the account printed above)"
	@echo "Stop with Ctrl-C."
	@echo
	@mkdir -p "$${COALITION_VAR_DIR:-var}/static"  # whitenoise warns when STATIC_ROOT is missing
	@# No worker runs beside the demo server, so background tasks (reminder e-mails, printed
	@# on the console) run at once in the web process.
	DEBUG=true COALITION_TASKS_BACKEND=django.tasks.backends.immediate.ImmediateBackend $(COALITION) runserver $(ADDR)

# The browser tests drive Debian's Chromium. Installed here when this machine allows it (root
# with apt-get); otherwise stop at once with the command to run, rather than fail every browser
# test at the end. Skipped when PYTEST_ARGS leaves the browser tests out.
browser:
ifeq ($(findstring not browser,$(PYTEST_ARGS)),)
	@if [ ! -x "$(COALITION_CHROMIUM)" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	    echo "Installing Chromium for the browser tests (apt-get install chromium)"; \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends chromium >/dev/null; \
	  fi; \
	  if [ ! -x "$(COALITION_CHROMIUM)" ]; then \
	    echo "error: the browser tests need Chromium at $(COALITION_CHROMIUM). Install it with" >&2; \
	    echo "           sudo apt-get install -y chromium" >&2; \
	    echo "       or point COALITION_CHROMIUM at one, or leave them out:" >&2; \
	    echo "           make test PYTEST_ARGS='-m \"not browser\"'" >&2; \
	    exit 1; \
	  fi; \
	fi
endif

# First the layers of the package (import-linter contracts in pyproject.toml: apps import only
# downward), then the suite, one pytest worker per core (pytest-xdist); PYTEST_ARGS="-n 0" runs
# it in this process only.
test: setup browser
	$(VENV)/bin/lint-imports --no-cache
	$(VENV)/bin/pytest -n auto $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) node_modules var/static .pytest_cache coalition.egg-info
	find coalition -name __pycache__ -type d -prune -exec rm -rf {} +
