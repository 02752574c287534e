# make run  - migrate, load the demo bureau, run web + Celery worker + Celery beat (Ctrl-C stops all)
# make test - ruff, Django checks, migrations up to date, the whole pytest suite
#
# Both use SQLite and a serverless Celery transport by default; DATABASE_URL / REDIS_URL switch to
# PostgreSQL and Redis (see README.md).

SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
PIP := $(PY) -m pip install --quiet --disable-pip-version-check
# Python 3.11 is the target; fall back to whatever python3 there is.
BOOTSTRAP_PYTHON := $(shell command -v python3.11 || command -v python3)

PORT ?= 8000
export PORT
# The suite in parallel, one process per core (pytest-xdist); the tests that share a port, a broker or a
# browser carry the xdist_group "serial" (tests/conftest.py) and run one after another on one worker.
# `make test PYTEST_XDIST=` runs it in one process.
PYTEST_XDIST ?= -n auto --dist loadgroup

.PHONY: run test venv

venv: $(PY)

$(PY):
	$(BOOTSTRAP_PYTHON) -m venv $(VENV)

run: $(PY)
	$(PIP) -r requirements.txt
	scripts/run.sh

test: $(PY)
	$(PIP) -r requirements-dev.txt
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	DEV_INSECURE=1 $(PY) manage.py check
	DEV_INSECURE=1 $(PY) manage.py makemigrations --check --dry-run
	$(PY) -m pytest $(PYTEST_XDIST)
