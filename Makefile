# eventwire — two commands do all the set-up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
ARGS   ?=

export PREFECT_SERVER_ANALYTICS_ENABLED ?= false
export DO_NOT_TRACK ?= 1
export PREFECT_LOGGING_LEVEL ?= WARNING

.PHONY: venv run test test-fast demo lint bench clean

venv: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

## run: fetch every feed of deploy/feeds.toml, extract, load into ./data/eventwire.duckdb
run: $(STAMP)
	$(BIN)/eventwire run $(ARGS)

## test: the whole suite — unit, integration (real DuckDB, real HTTP on 127.0.0.1), end to end
test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider $(ARGS)

## test-fast: unit tests only
test-fast: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider -m "not slow" $(ARGS)

## demo: serve the fictional sample feeds of deploy/demo/ on 127.0.0.1 and run the flow on them
demo: $(STAMP)
	$(BIN)/python -m flows.demo $(ARGS)

## lint: ruff over the code
lint: $(STAMP)
	$(BIN)/ruff check schemas feeds extraction warehouse flows tests

## bench: extraction throughput benchmark
bench: $(STAMP)
	$(BIN)/python bench/extraction_speed.py $(ARGS)

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache
