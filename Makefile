# autocirc — the two commands: `make run` (embedded, one process) and `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PORT   ?= 8000
export AUTOCIRC_DATA_DIR ?= ./var

PACKAGES := shared services/identity services/filing services/catalog services/transactions \
            services/reports services/media-sync services/portal gateway
STAMP := $(VENV)/.installed
PYPROJECTS := $(foreach p,$(PACKAGES),$(p)/pyproject.toml)

.PHONY: install run run-services test test-fast test-unit lint mypy mypy-baseline clean bench web browser-deps pgbouncer-deps screenshots

install: $(STAMP)

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python $(PYPROJECTS) requirements-dev.txt constraints.txt
	$(BIN)/python -m pip install --quiet --upgrade pip uv
	$(BIN)/uv pip install --python $(BIN)/python --quiet -c constraints.txt \
		$(foreach p,$(PACKAGES),-e $(p)) -r requirements-dev.txt
	touch $(STAMP)

## The web client (gateway/web, Vue 3 + Element Plus): rebuilt into gateway/autocirc_gateway/webui only when
## its sources or package-lock.json changed; `npm ci` only when package-lock.json changed.
WEB      := gateway/web
WEBUI    := gateway/autocirc_gateway/webui
WEB_DEPS := $(WEB)/node_modules/.autocirc-ci
WEB_STAMP := $(WEBUI)/.built
WEB_SOURCES := $(shell find $(WEB)/src $(WEB)/public -type f 2>/dev/null) \
               $(wildcard $(WEB)/index.html $(WEB)/vite.config.ts $(WEB)/tsconfig*.json $(WEB)/env.d.ts) $(WEB)/package.json

web: $(WEB_STAMP)

$(WEB_DEPS): $(WEB)/package-lock.json
	@command -v npm >/dev/null || { echo "npm (Node.js >= 20) is needed to build the web client"; exit 1; }
	cd $(WEB) && npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(WEB_STAMP): $(WEB_DEPS) $(WEB_SOURCES)
	cd $(WEB) && npm run build
	touch $@

## Debian's Chromium (and a Chinese font, so screenshots are readable) for the browser tests in tests/browser;
## installed only when missing.
browser-deps:
	@test -x /usr/bin/chromium -a -e /usr/share/fonts/truetype/wqy/wqy-microhei.ttc || { apt-get update && \
		DEBIAN_FRONTEND=noninteractive apt-get install -y chromium chromium-driver fonts-wqy-microhei; }

## Debian's PgBouncer for tests/integration/test_pgbouncer.py (the services behind transaction pooling, as
## deploy/compose.yaml runs them); installed only when missing.
pgbouncer-deps:
	@test -x /usr/sbin/pgbouncer || { apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y pgbouncer; }

## Embedded mode: every service + gateway in one process, SQLite and the in-process bus.
run: install web
	$(BIN)/python -m uvicorn --factory autocirc_gateway.embedded:create_app --host 127.0.0.1 --port $(PORT)

## Distributed mode: one process per service, real RabbitMQ and PostgreSQL (see README).
run-services: install web
	$(BIN)/python -m autocirc_gateway.launcher

## Every test, against real PostgreSQL, RabbitMQ and an S3 endpoint (moto_server), after the lint.
test: install web browser-deps pgbouncer-deps lint
	$(BIN)/python -m pytest

## Refresh the README's screenshots (gateway/web/screenshots) from the browser story.
screenshots: install web browser-deps
	AUTOCIRC_UPDATE_SCREENSHOTS=1 $(BIN)/python -m pytest tests/browser/test_web_client.py

## The developer's loop: use cases and handlers on SQLite and the in-process bus (tests/fast), no servers, seconds.
test-fast: install
	$(BIN)/python -m pytest tests/fast -q -p no:schemathesis -p no:hypothesispytest

test-unit: install
	$(BIN)/python -m pytest tests/unit

lint: install
	$(BIN)/ruff check shared services gateway tests bench
	@$(MAKE) --no-print-directory mypy

## mypy (pyproject.toml [tool.mypy]): strict on shared/ and every service's domain/, the rest against the
## committed mypy-baseline.txt. Fails on an error not in the baseline and on a baseline entry that no longer
## occurs (remove it: `make mypy-baseline`), so the baseline only shrinks.
mypy: install
	$(BIN)/mypy --no-error-summary | $(BIN)/mypy-baseline filter --no-colors

## Rewrite mypy-baseline.txt from today's errors (after fixing some, or after moving modules).
mypy-baseline: install
	$(BIN)/mypy --no-error-summary | $(BIN)/mypy-baseline sync

clean:
	rm -rf $(VENV) var $(WEBUI) $(WEB)/node_modules .mypy_cache
