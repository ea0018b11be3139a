# eventwire — two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=
PACKAGES := schemas feeds extraction events workers warehouse flows reports

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: venv run test test-fast demo lint bench clean server

venv: $(STAMP)

# An editable install leaves the project's modules uncompiled (pip compiles an installed package's):
# compiled once here, every process (a run, the workers' fork server) reads their bytecode, 0.2 s a start.
$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	$(BIN)/python -m compileall -q $(PACKAGES)
	touch $(STAMP)

## run: fetch every feed of deploy/feeds.toml, extract, load into ./data/eventwire.duckdb
run: $(STAMP)
	$(BIN)/eventwire run $(ARGS)

## test: the whole suite but the soaks — unit, integration (real DuckDB, real HTTP on 127.0.0.1), end to end
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not soak" $(ARGS)

## test-fast: unit tests only
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow and not soak" $(ARGS)

## demo: serve the fictional sample feeds of deploy/demo/ on 127.0.0.1 and run the flow on them
demo: $(STAMP)
	$(BIN)/python -m flows.demo $(ARGS)

## server: a local Prefect server (SQLite in ./.prefect/) with the UI on http://127.0.0.1:4200
PREFECT_PORT ?= 4200
RETENTION_DAYS ?= 30
server: $(STAMP)
	@mkdir -p .prefect
	@echo "Prefect UI:  http://127.0.0.1:$(PREFECT_PORT)   (database: $(CURDIR)/.prefect/prefect.db)"
	@echo "Point the CLI, eventwire and workers at it (in each shell, on each machine):"
	@echo "    export PREFECT_API_URL=http://127.0.0.1:$(PREFECT_PORT)/api"
	@echo "Then, from $(CURDIR):"
	@echo "    $(BIN)/eventwire serve                     # one process serves ingest/reprocess/maintenance"
	@echo "  or"
	@echo "    $(BIN)/prefect work-pool create eventwire --type process"
	@echo "    $(BIN)/prefect deploy --prefect-file deploy/prefect.yaml --all"
	@echo "    $(BIN)/eventwire limit && $(BIN)/eventwire automations"
	@echo "    $(BIN)/prefect worker start --pool eventwire"
	@echo "Finished runs older than $(RETENTION_DAYS) days and events older than 7 days are deleted."
	PREFECT_HOME=$(CURDIR)/.prefect \
	PREFECT_SERVER_ANALYTICS_ENABLED=false \
	PREFECT_SERVER_SERVICES_DB_VACUUM_ENABLED=events,flow_runs \
	PREFECT_SERVER_SERVICES_DB_VACUUM_RETENTION_PERIOD=$$(( $(RETENTION_DAYS) * 86400 )) \
	PREFECT_SERVER_EVENTS_RETENTION_PERIOD=P7D \
	$(BIN)/prefect server start --host 127.0.0.1 --port $(PREFECT_PORT)

## lint: ruff over the code
lint: $(STAMP)
	$(BIN)/ruff check $(PACKAGES) tests bench

## bench: the soak tests, extraction per core, a whole run on both cores (ratio to bare natasha, peak RSS, unchanged re-run), views on 1M articles
bench: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m soak
	$(BIN)/python bench/extraction_speed.py $(ARGS)
	$(BIN)/python bench/run_throughput.py
	$(BIN)/python bench/views_scale.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
