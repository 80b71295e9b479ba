# crimeplan: the two commands a new machine needs are `make demo` and `make test`.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PG_URL ?= postgres://postgres@127.0.0.1:5432/test
export CRIMEPLAN_HOME ?= $(CURDIR)/var

.PHONY: demo test serve setup assets lint lock system-deps test-sqlite test-postgres bench clean

## demo: set up, load the example plans and demo data, serve http://127.0.0.1:8000
# DEBUG is off unless set; the demo is a developer's site, with the development key.
demo: export DEBUG = 1
demo: setup assets
	$(BIN)/crimeplan manage migrate --no-input --verbosity 0
	$(BIN)/crimeplan demo
	@echo "Serving on http://127.0.0.1:8000 (Ctrl-C to stop)"
	$(BIN)/crimeplan serve --bind 127.0.0.1:8000

## serve: run the demo site again without reloading the demo data
serve: export DEBUG = 1
serve:
	$(BIN)/crimeplan serve --bind 127.0.0.1:8000

## test: set up with test tools, lint, then run every test on SQLite and on PostgreSQL
test: setup-test system-deps assets lint test-sqlite test-postgres

setup: $(VENV)/.installed
setup-test: $(VENV)/.installed-test

# Every Python package comes from requirements.lock, pinned with hashes (the test tools too,
# so a developer's, CI's and the demo's packages are one set); crimeplan itself is then
# installed over them without resolving anything again.
$(VENV)/.installed: pyproject.toml requirements.lock
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet --require-hashes -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	@$(BIN)/pip check >/dev/null || { $(BIN)/pip check; \
	  echo "requirements.lock does not hold what pyproject.toml asks for: run 'make lock'" >&2; exit 1; }
	touch $@

$(VENV)/.installed-test: $(VENV)/.installed
	touch $@

## lock: re-pin requirements.lock from pyproject.toml (with [test]); keeps today's pins where they
## still fit; `make lock UPGRADE=1` moves every package to its newest release
lock:
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet 'pip-tools>=7.4'
	$(BIN)/pip-compile --quiet --generate-hashes --allow-unsafe --strip-extras --extra test \
	  --no-emit-index-url --no-emit-find-links $(if $(UPGRADE),--upgrade) \
	  --output-file requirements.lock pyproject.toml

node_modules/.package-lock.json: package.json package-lock.json
	npm ci --no-audit --no-fund

assets: node_modules/.package-lock.json
	node scripts/build-assets.mjs

## system-deps: Debian chromium (browser tests) and poppler-utils (PDF checks)
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v pdftoppm >/dev/null; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif command -v sudo >/dev/null; then SUDO=sudo; \
	  else echo "chromium and poppler-utils are needed: apt-get install chromium poppler-utils" >&2; exit 1; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq chromium poppler-utils >/dev/null; \
	fi

## lint: ruff, the import layers (import-linter) and the library core's types (mypy)
lint: setup-test
	$(BIN)/ruff check src tests bench
	$(BIN)/lint-imports
	$(BIN)/mypy

test-sqlite: setup-test
	env -u DATABASE_URL $(BIN)/pytest

# The database-backed tests again on PostgreSQL. CI sets CRIMEPLAN_REQUIRE_POSTGRES=1 so a
# missing server fails the run instead of skipping it.
test-postgres: setup-test
	@if $(BIN)/python scripts/pg_reachable.py "$(PG_URL)"; then \
	  DATABASE_URL="$(PG_URL)" CRIMEPLAN_DB_TESTS_ONLY=1 $(BIN)/pytest; \
	elif [ "$${CRIMEPLAN_REQUIRE_POSTGRES:-0}" = 1 ]; then \
	  echo "PostgreSQL is required (CRIMEPLAN_REQUIRE_POSTGRES=1) but not reachable at $(PG_URL)" >&2; exit 1; \
	else echo "PostgreSQL not reachable at $(PG_URL): skipping the PostgreSQL pass"; fi

bench: setup-test
	for b in bench/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf build var/staticfiles test-artifacts
