# Two commands a newcomer needs: `make site` and `make test`. Everything else is a step of those.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
BUILD_FLAGS := -n -W --keep-going
# The graded notebooks in the browser (JupyterLite on the site, _ext/lite/): on unless _config.yml
# says `course_lite: false`; `make site LITE=0` leaves them out of one build (and needs no Node).
LITE ?= $(if $(shell grep -Eqs '^[[:space:]]*course_lite:[[:space:]]*false' _config.yml && echo off),0,1)
export COURSE_LITE := $(LITE)
LITE_ASSETS := $(VENV)/share/course-lite
LITE_SETUP := $(if $(filter 1,$(LITE)),$(LITE_ASSETS)/.installed)
SYSTEM_PYTHON ?= /usr/bin/python3.11
ORDINARY_VENV := $(VENV)/ordinary-user
ORDINARY_SETUP := $(if $(filter 0,$(shell id -u)),$(ORDINARY_VENV)/.installed)
LITE_KERNEL_WHEELS := $(VENV)/share/jupyter/labextensions/@jupyterlite/pyodide-kernel-extension/static/pypi

.PHONY: site lecturer-site test setup setup-dev system-packages ordinary-user lint bench clean

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

# The grader as an ordinary user (tests/autograder/test_hostile_unprivileged.py): the venv's Python
# may live in root's home, which such a user cannot enter, so a second environment from the
# system's Python with the same pins; the course's packages come from the checkout (PYTHONPATH),
# which that user may read but not write. Needed by `make test` only when it runs as root.
# The pins but one: Debian 12's Python is 3.11.2, and soupsieve from 3.0 on needs 3.11.5.
$(ORDINARY_VENV)/.installed: requirements.txt constraints.txt
	rm -rf $(ORDINARY_VENV)
	$(SYSTEM_PYTHON) -m venv $(ORDINARY_VENV)
	sed 's/^soupsieve==.*/soupsieve==2.10/' constraints.txt > $(ORDINARY_VENV)/constraints.txt
	$(ORDINARY_VENV)/bin/pip install --quiet pip==26.3
	$(ORDINARY_VENV)/bin/pip install --quiet -r requirements.txt -c $(ORDINARY_VENV)/constraints.txt
	chmod -R a+rX $(ORDINARY_VENV)
	touch $@

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

# What the site serves to run Python in the browser: Pyodide's runtime files (npm package
# pyodide) and the kernel's pure-Python wheels (PyPI, pinned with their hashes; its own three from
# jupyterlite-pyodide-kernel), kept in the venv for every build of the site to copy, with what the
# kernel imports as it starts compiled to bytecode by Pyodide itself (_ext/lite/precompile.py).
# Not committed: built from the pins.
$(LITE_ASSETS)/.installed: $(VENV)/.installed node_modules/.package-lock.json _ext/lite/browser-wheels.txt \
		_ext/lite/precompile.py _ext/lite/precompile.mjs _ext/lite/kernel_start.py
	rm -rf $(LITE_ASSETS)
	mkdir -p $(LITE_ASSETS)/pyodide
	cd node_modules/pyodide && cp pyodide.mjs pyodide.asm.mjs pyodide.asm.wasm python_stdlib.zip pyodide-lock.json $(CURDIR)/$(LITE_ASSETS)/pyodide/
	$(BIN)/pip download --quiet --no-deps --only-binary=:all: --python-version 3.14 --implementation py \
		--abi none --platform any --require-hashes -r _ext/lite/browser-wheels.txt -d $(LITE_ASSETS)/wheels
	cp $(LITE_KERNEL_WHEELS)/piplite-*.whl $(LITE_KERNEL_WHEELS)/pyodide_kernel-*.whl \
		$(LITE_KERNEL_WHEELS)/ipykernel-*.whl $(LITE_ASSETS)/wheels/
	mkdir -p $(LITE_ASSETS)/compiled
	node _ext/lite/precompile.mjs $(LITE_ASSETS)/pyodide $(LITE_ASSETS)/compiled $(LITE_ASSETS)/wheels/*.whl
	mv $(LITE_ASSETS)/compiled/python_stdlib.zip $(LITE_ASSETS)/pyodide/
	mv $(LITE_ASSETS)/compiled/*.whl $(LITE_ASSETS)/wheels/
	rmdir $(LITE_ASSETS)/compiled
	touch $@

# The site needs Python, and Node for the browser notebooks' runtime (LITE=0: Python only); the
# test tools (axe-core) come from npm too.
setup: $(VENV)/.installed

setup-dev: setup $(VENV)/.installed-dev node_modules/.package-lock.json

site: setup $(LITE_SETUP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	@echo "The site is in _build/html/ (open _build/html/index.html, or publish that folder on any static host)."

# The lecturer's own copy: the site plus the model answers kept with the graded items. Never publish it.
lecturer-site: setup $(LITE_SETUP)
	COURSE_LECTURER_BUILD=1 $(BIN)/jupyter-book build . $(BUILD_FLAGS) --path-output _build/lecturer
	@echo "The lecturer's copy is in _build/lecturer/_build/html/: for your own machine, never for publishing."

# Installed where this user may (root or passwordless sudo); otherwise the one command to run.
system-packages:
	@sh .ci/system-packages $(SYSTEM_PACKAGES)

ordinary-user: $(ORDINARY_VENV)/.installed

lint: setup-dev
	$(BIN)/ruff check .
	$(BIN)/lint-imports
	$(BIN)/mypy

test: setup-dev system-packages lint $(LITE_SETUP) $(ORDINARY_SETUP)
	$(BIN)/jupyter-book build . $(BUILD_FLAGS)
	$(BIN)/python -m pytest

bench: setup-dev
	$(BIN)/python benchmarks/build.py

clean:
	rm -rf _build .jupyter_cache
