# The two commands a newcomer needs: `make run` and `make test`.
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-$(shell cat requirements.txt requirements-dev.txt | cksum | cut -d' ' -f1)
DEMO_DIR := data/demo
WAREHOUSE := data/warehouse.duckdb
PORT ?= 8501

.PHONY: run test lint venv demo demo-data load clean bench serve-prod

$(STAMP): requirements.txt requirements-dev.txt
	@$(PYTHON) -c 'import sys; assert sys.version_info >= (3, 11), "Python 3.11 or newer is needed"'
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	@rm -f $(VENV)/.installed-* && touch $(STAMP)

venv: $(STAMP)

## The demo campaign's files written and loaded (once, if the warehouse is empty), and its demo accounts.
demo-data: venv
	@test -d $(DEMO_DIR) || $(BIN)/python -m etl demo --out $(DEMO_DIR)
	@test -e $(WAREHOUSE) || { echo "Loading the demo campaign into $(WAREHOUSE) (report: data/demo-load.json) ..."; \
	  $(BIN)/python -m etl load $(DEMO_DIR) --quiet --received-at-mtime --report data/demo-load.json > data/demo-load.log \
	  || test $$? -eq 1; tail -n 1 data/demo-load.log; }
	@{ test -e data/accounts.sqlite && test -s data/demo-accounts.txt; } || \
	  { umask 077; $(BIN)/python -m access demo-accounts > data/demo-accounts.txt; }
	@cat data/demo-accounts.txt

## Write and load the demo (demo-data), then serve on :$(PORT).
run: demo-data
	$(BIN)/streamlit run dashboard.py --server.port $(PORT)

## Like run, for production: PROCS=2 dashboard processes (from :8601, FIRST_PORT=) behind nginx with sticky sessions, on :8080 (PORT=).
serve-prod: PROCS ?= 2
serve-prod: FIRST_PORT ?= 8601
serve-prod: PORT := $(if $(filter environment,$(origin PORT)),$(PORT),8080)
serve-prod: demo-data
	$(BIN)/python deploy/serve_prod.py --procs $(PROCS) --first-port $(FIRST_PORT) --port $(PORT)

## Lint and run every test, browser tests included.
test: venv
	$(BIN)/ruff check .
	$(BIN)/python -m pytest

## Measure speed side by side (pages, interactions, page scripts, sessions, loader) and write bench/RESULTS.md.
bench: venv
	$(BIN)/python bench/run_all.py

lint: venv
	$(BIN)/ruff check .

demo: venv
	$(BIN)/python -m etl demo --out $(DEMO_DIR)

## Load files or folders into the warehouse: make load FILES=path/to/folder
load: venv
	$(BIN)/python -m etl load $(FILES)

clean:
	rm -rf $(VENV) $(DEMO_DIR) data/warehouse.duckdb* data/demo-load.* data/demo-accounts.txt .pytest_cache .ruff_cache test-artifacts
