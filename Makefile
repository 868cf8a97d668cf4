# Two entry points for a fresh machine: `make site` builds the site, `make test` runs every check.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: site test setup browser lint bench serve docs clean

$(STAMP): pyproject.toml requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -e ".[test]"
	touch $(STAMP)

setup: $(STAMP)

site: $(STAMP)
	$(PY) build.py build

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
