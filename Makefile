# Ansinh: the two commands are `make run` (demo on SQLite) and `make test` (the whole suite).
# Everything is installed by these targets from the project's own files: Python packages from
# pyproject.toml + requirements.lock, front-end assets from package.json, and Debian's Chromium for
# the browser tests.

PYTHON ?= $(shell command -v python3.13 2>/dev/null || echo python3)
VENV := .venv
PY := $(VENV)/bin/python
PYTEST_WORKERS ?= 2
HOST ?= 127.0.0.1:8000

.PHONY: setup run worker test test-fast lint format messages e2e-deps bench clean

$(VENV)/.installed: pyproject.toml requirements.lock
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info[:2] == (3, 13) else "Ansinh needs Python 3.13 (see .python-version); found " + sys.version)'
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock ".[dev]"
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

setup: $(VENV)/.installed node_modules/.installed messages

# Debian's Chromium and its driver, for the Playwright browser tests (never a downloaded browser).
e2e-deps:
	@command -v chromium >/dev/null 2>&1 || scripts/install-chromium

# The web server and, in the background, the task worker that runs imports and exports; the
# worker stops when the server does (Ctrl+C).
run: setup
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py load_units
	$(PY) manage.py load_standards
	$(PY) manage.py load_programmes
	$(PY) manage.py seed_demo
	$(PY) manage.py tidy_jobs
	@echo "Serving Ansinh at http://$(HOST)/  (log in with a demo user printed above)"
	@$(PY) manage.py db_worker --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(PY) manage.py runserver $(HOST)

# The task worker alone (imports and exports), for a server started another way.
worker: setup
	$(PY) manage.py migrate --no-input -v0
	$(PY) manage.py tidy_jobs
	$(PY) manage.py db_worker

test: setup e2e-deps
	$(PY) manage.py makemigrations --check --dry-run -v0
	$(PY) -m ruff check .
	$(PY) -m pytest -n $(PYTEST_WORKERS) --dist worksteal -m "not e2e" -q
	$(PY) -m pytest -m e2e -q -p no:xdist

lint:
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .

format:
	$(PY) -m ruff check --fix .
	$(PY) -m ruff format .

bench: setup
	$(PY) bench/run.py

clean:
	rm -rf $(VENV) node_modules staticfiles var
