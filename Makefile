# autocirc — the two commands: `make run` (embedded, one process) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export AUTOCIRC_DATA_DIR ?= ./var

PACKAGES := shared services/identity services/filing services/catalog services/transactions \
            services/reports services/media-sync gateway
STAMP := $(VENV)/.installed
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)

.PHONY: install run run-services test test-unit lint clean bench

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python $(PYPROJECTS) requirements-dev.txt constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -c constraints.txt \
		$(foreach p,$(PACKAGES),-e $(p)) -r requirements-dev.txt
	touch $(STAMP)

## Embedded mode: every service + gateway in one process, SQLite and the in-process bus.
run: install
	$(BIN)/python -m uvicorn --factory autocirc_gateway.embedded:create_app --host 127.0.0.1 --port $(PORT)

## Distributed mode: one process per service, real RabbitMQ and PostgreSQL (see README).
run-services: install
	$(BIN)/python -m autocirc_gateway.launcher

## Every test, against real PostgreSQL, RabbitMQ and an S3 endpoint (moto_server).
test: install
	$(BIN)/python -m pytest

test-unit: install
	$(BIN)/python -m pytest tests/unit

lint: install
	$(BIN)/ruff check shared services gateway tests bench

clean:
	rm -rf $(VENV) var
