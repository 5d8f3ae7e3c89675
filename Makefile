# Two commands a newcomer needs: `make site` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_FLAGS := -n -W --keep-going

.PHONY: site test setup setup-dev bench clean

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

test: setup-dev
	@command -v chromium >/dev/null || { echo "Browser tests need Debian's chromium: sudo apt-get install chromium"; exit 1; }
	@command -v bwrap >/dev/null || { echo "The autograder's sandbox tests need bubblewrap: sudo apt-get install bubblewrap"; exit 1; }
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python -m pytest

bench: setup-dev
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf _build .jupyter_cache
