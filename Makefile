# Two entry points for a fresh machine: `make site` builds the site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed
SETUP_LOG := $(VENV)/setup.log

.PHONY: site test setup browser lint bench serve docs clean

# Quiet: the installer's output goes to $(SETUP_LOG), printed only when a step fails. Debian ships venv's
# ensurepip in a separate package (python3-venv), so its absence is named before anything else runs.
$(STAMP): pyproject.toml requirements.lock
	@command -v $(PYTHON) >/dev/null 2>&1 || { echo "make: $(PYTHON) not found: install Python 3.11 or newer (Debian: sudo apt-get install python3 python3-venv), or run make PYTHON=/path/to/python3"; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { echo "make: $(PYTHON) is Python $$($(PYTHON) -c 'import platform; print(platform.python_version())'); this project needs 3.11 or newer (run make PYTHON=python3.11, for example)"; exit 1; }
	@$(PYTHON) -c 'import venv, ensurepip' >/dev/null 2>&1 || { v=$$($(PYTHON) -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")'); \
	  echo "make: $(PYTHON) cannot create a virtual environment: its venv or ensurepip module is missing."; \
	  echo "      On Debian or Ubuntu install it with: sudo apt-get install python3-venv (or python$$v-venv), then run make again."; exit 1; }
	@echo "Setting up $(VENV): the first time downloads and installs $$(grep -c '==' requirements.lock) packages, a few minutes"
	@echo "  on a typical connection; progress every 15 s (the installer's output is in $(SETUP_LOG))"
	@mkdir -p $(dir $(SETUP_LOG))
	@start=$$(date +%s); \
	{ while sleep 15 >/dev/null 2>&1; do \
	    echo "  still setting up: $$(( $$(date +%s) - start )) s, $$(cat $(SETUP_LOG) 2>/dev/null | grep -c '^Collecting') packages fetched so far"; \
	  done; } & ticker=$$!; \
	{ $(PYTHON) -m venv $(VENV) \
	  && $(PY) -m pip install --upgrade pip \
	  && $(PY) -m pip install -c requirements.lock -e ".[test]"; } >$(SETUP_LOG) 2>&1; rc=$$?; \
	kill $$ticker 2>/dev/null; wait $$ticker 2>/dev/null; \
	if [ $$rc -ne 0 ]; then cat $(SETUP_LOG); echo "make: setting up $(VENV) failed (the installer's output is above and in $(SETUP_LOG))"; exit 1; fi; \
	echo "Set up $(VENV) in $$(( $$(date +%s) - start )) s"
	@touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	@$(PY) build.py build
	@echo "The site is in site/. To view it: make serve, then open http://127.0.0.1:8000/"

serve: $(STAMP)
	$(PY) build.py serve

# Browser tests need Debian's chromium and HTML validity tests Java; CI (CI=true) fails without them,
# so install them when missing and we are root.
browser:
	@missing=""; command -v chromium >/dev/null 2>&1 || missing="chromium"; \
	command -v java >/dev/null 2>&1 || missing="$$missing default-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "missing $$missing: browser and HTML validity tests will skip (run as root, or: sudo apt-get install $$missing)"; fi; \
	fi

lint: $(STAMP)
	$(VENV)/bin/ruff check timsite tests tools build.py
	$(VENV)/bin/ruff format --check timsite tests tools build.py
	$(VENV)/bin/mypy timsite tools
	$(VENV)/bin/djhtml --check theme
	$(PY) build.py check --strict

test: $(STAMP) browser lint
	$(PY) -m pytest -n 2

bench: $(STAMP)
	$(PY) -m tools.bench --scales 1,10,40 --repeat 3

# The field tables of docs/content-model.md, from the models' field descriptions.
docs: $(STAMP)
	$(PY) -m tools.content_model

clean:
	rm -rf site .site-releases .site.lock .pytest_cache .mypy_cache .ruff_cache
