# Two commands a newcomer needs: `make site` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_FLAGS := -n -W --keep-going

.PHONY: site test setup setup-dev system-packages lint bench clean

# What the tests need from the system, as COMMAND=DEBIAN-PACKAGE: chromium for the browser
# tests, bwrap for the autograder's sandbox, a PostgreSQL server for the shared gradebook (its
# programs are off PATH in Debian: a path pattern, checked as a file).
SYSTEM_PACKAGES := chromium=chromium bwrap=bubblewrap /usr/lib/postgresql/*/bin/initdb=postgresql

$(BIN)/python:
	$(PYTHON) -c 'import sys; sys.exit("Python 3.11 is needed (found %s)" % sys.version.split()[0]) if sys.version_info[:2] != (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(VENV)/.installed: $(BIN)/python requirements.txt constraints.txt pyproject.toml
	$(BIN)/pip install --quiet pip==26.3
	$(BIN)/pip install --quiet -r requirements.txt -c constraints.txt
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.txt
	$(BIN)/pip install --quiet -r requirements-dev.txt -c constraints.txt
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# The site needs only Python; Node is for the test tools (axe-core).
setup: $(VENV)/.installed

setup-dev: setup $(VENV)/.installed-dev node_modules/.package-lock.json

site: setup
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@echo "The site is in _build/html/ (open _build/html/index.html, or publish that folder on any static host)."

# Installed where this user may (root or passwordless sudo); otherwise the one command to run.
system-packages:
	@sh .ci/system-packages $(SYSTEM_PACKAGES)

lint: setup-dev
	$(BIN)/ruff check .

test: setup-dev system-packages
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python -m pytest

bench: setup-dev
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf _build .jupyter_cache
