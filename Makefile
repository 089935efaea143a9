# One Makefile for people and CI. `make demo` and `make test` work on a fresh clone with only
# Python 3.11+ and make: uv is bootstrapped into .uv/, the locked environment into .venv/.
PYTHON ?= python3
VENV := .venv
UV := .uv/bin/uv
UV_VERSION := 0.13.8
BIN := $(VENV)/bin
# Where `make demo`, `make dashboard` and `make dagster` listen (`make dagster DAGSTER_PORT=3100`);
# the dashboard defaults to DRUGTRENDS_DASHBOARD_HOST and _PORT, as `drugtrends dashboard` does.
DASHBOARD_HOST ?= $(or $(DRUGTRENDS_DASHBOARD_HOST),127.0.0.1)
DASHBOARD_PORT ?= $(or $(DRUGTRENDS_DASHBOARD_PORT),8501)
DAGSTER_HOST ?= 127.0.0.1
DAGSTER_PORT ?= 3000

export DRUGTRENDS_HOME ?= $(CURDIR)/var
# Dagster's instance: SQLite files in DAGSTER_HOME, or PostgreSQL when DAGSTER_PG_HOST is set
# (see pipelines/dagster-postgres.yaml; `make lakehouse-up` writes the variables for a local one).
ifdef DAGSTER_PG_HOST
export DAGSTER_HOME ?= $(DRUGTRENDS_HOME)/dagster-postgres
DAGSTER_YAML := pipelines/dagster-postgres.yaml
else
export DAGSTER_HOME ?= $(DRUGTRENDS_HOME)/dagster
DAGSTER_YAML := pipelines/dagster.yaml
endif
export UV_PYTHON_DOWNLOADS := never
export UV_PROJECT_ENVIRONMENT := $(VENV)

.PHONY: dagster-home install demo test test-fast check pipeline dashboard dagster demo-data browser services lint lock clean benchmark lakehouse-up lakehouse-down

install: $(VENV)/.installed

$(UV):
	$(PYTHON) -m venv .uv
	.uv/bin/python -m pip install --quiet uv==$(UV_VERSION)

$(VENV)/.installed: pyproject.toml uv.lock | $(UV)
	$(UV) sync --frozen --extra test --extra lakehouse --python $(PYTHON)
	touch $@

# A new DAGSTER_HOME gets the instance settings and its storage created once, before the
# webserver and daemon start together (they would race to create it).
dagster-home: install
	@mkdir -p $(DAGSTER_HOME)
	@test -f $(DAGSTER_HOME)/dagster.yaml || { cp $(DAGSTER_YAML) $(DAGSTER_HOME)/dagster.yaml \
	  && $(BIN)/dagster instance migrate >/dev/null; }

## demo: install, generate the demo submissions, run the whole pipeline, serve the dashboard
demo: install dagster-home
	$(BIN)/drugtrends demo-data
	$(BIN)/drugtrends pipeline
	@echo "Dashboard on http://$(DASHBOARD_HOST):$(DASHBOARD_PORT) (Ctrl-C to stop)"
	$(BIN)/drugtrends dashboard --host $(DASHBOARD_HOST) --port $(DASHBOARD_PORT)

## test: install and run the whole suite (what CI runs)
# Here the browser and PostgreSQL must be present: their tests fail rather than skip (-rs lists
# every skip with its reason, such as shared data absent).
test: install browser services
	DRUGTRENDS_TEST_REQUIRE=browser,services $(BIN)/python -m pytest -n 2 --dist loadfile -rs

## test-fast: unit, SQL given/expected and contract tests (no Dagster runs, no browser; one
## process: starting workers costs more than it saves here)
test-fast: install
	$(BIN)/python -m pytest tests/unit tests/sql tests/contracts -m "not slow"

## check: formatting, lint and types (what CI runs before the tests)
check: install
	$(BIN)/ruff format --check .
	$(BIN)/ruff check .
	$(BIN)/mypy

## pipeline: one full headless run over every source and region
pipeline: install dagster-home
	$(BIN)/drugtrends pipeline

demo-data: install
	$(BIN)/drugtrends demo-data

## dashboard: the dashboard on http://$(DASHBOARD_HOST):$(DASHBOARD_PORT)
dashboard: install
	@echo "Dashboard on http://$(DASHBOARD_HOST):$(DASHBOARD_PORT) (Ctrl-C to stop)"
	$(BIN)/drugtrends dashboard --host $(DASHBOARD_HOST) --port $(DASHBOARD_PORT)

# `dagster dev` warns that `dg dev` supersedes it, but `dg` (dagster-dg-cli) is not among the
# locked packages: silence that one warning, by its message, in the dev process only.
DAGSTER_DEV_SUPERSEDED := 'ignore:Function `dev_command` is superseded:FutureWarning'

## dagster: the Dagster webserver and daemon on http://$(DAGSTER_HOST):$(DAGSTER_PORT)
dagster: install dagster-home
	@echo "Dagster on http://$(DAGSTER_HOST):$(DAGSTER_PORT) (Ctrl-C to stop)"
	$(BIN)/python -W $(DAGSTER_DEV_SUPERSEDED) -m dagster dev -w workspace.yaml \
	  -h $(DAGSTER_HOST) -p $(DAGSTER_PORT)

## browser: Debian's chromium for the browser tests (never a downloaded browser)
browser:
	@command -v chromium >/dev/null 2>&1 || { \
	  echo "installing Debian's chromium for the browser tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null) \
	  || echo "WARNING: could not install chromium; browser tests will be skipped"; }

## services: Debian's PostgreSQL for the lakehouse tests (they start their own cluster on loopback)
services:
	@ls /usr/lib/postgresql/*/bin/pg_ctl >/dev/null 2>&1 || command -v pg_ctl >/dev/null 2>&1 || { \
	  echo "installing Debian's postgresql for the lakehouse tests"; \
	  (apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null) \
	  || echo "WARNING: could not install postgresql; lakehouse tests will be skipped"; }

## lakehouse-up: a local PostgreSQL (and, with S3=1, an S3 stand-in) on loopback in $DRUGTRENDS_HOME
lakehouse-up: install services
	$(BIN)/python -m pipelines.services up $(if $(S3),--s3)

lakehouse-down: install
	$(BIN)/python -m pipelines.services down

lint: install
	$(BIN)/ruff check .

lock: $(UV)
	$(UV) lock --python $(PYTHON)

## benchmark: the pipeline against bare DuckDB at ROWS case-level rows (benchmarks/RESULTS.md);
## BENCH_ARGS adds options of benchmarks/run.py (e.g. --no-data-docs --quick)
ROWS ?= 1000000
BENCH_ARGS ?=
benchmark: install
	$(BIN)/python benchmarks/run.py --rows $(ROWS) $(BENCH_ARGS) --json $(DRUGTRENDS_HOME)/benchmarks/results-$(ROWS).json

clean:
	rm -rf $(VENV) .uv var .pytest_cache
