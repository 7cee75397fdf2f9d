# BilanCompetence.AI: `make run` installs and starts the app; `make test` installs and runs every test.
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= $(shell command -v python3.11 || command -v python3)
# The unit and integration suites run in parallel (each worker has its own databases and Redis db).
PARALLEL := -n auto --maxprocesses 4
VENV := .venv
BIN := $(VENV)/bin
ROOT := $(CURDIR)

# Reflex's front-end build uses bun from the npm registry (tools/), and keeps its files in the repo.
export PATH := $(ROOT)/tools/node_modules/.bin:$(ROOT)/$(BIN):$(PATH)
export REFLEX_USE_SYSTEM_BUN := 1
export REFLEX_DIR := $(ROOT)/.reflex
export REFLEX_TELEMETRY_ENABLED := false
export REFLEX_CHECK_LATEST_VERSION := false
export NPM_CONFIG_REGISTRY ?= https://registry.npmjs.org/

# The static checks, shared by `make lint` and `make test`: style, layering contracts (pyproject.toml,
# docs/architecture.md), types of services/ (mypy keeps a cache in .mypy_cache: ~18 s cold, seconds warm).
define LINT
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports
	$(BIN)/mypy
endef

.PHONY: help install install-test system-deps run dev migrate seed test lint format unit integration e2e bench clean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | column -t -s $$'\t'

$(BIN)/.installed: pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e ".[test]"
	touch $@

tools/node_modules/.installed: tools/package.json tools/package-lock.json
	npm ci --prefix tools --no-audit --no-fund --loglevel=error
	touch $@

system-deps:  ## install missing Debian packages (Pango, fonts) when root
	./scripts/system-deps.sh

install: system-deps $(BIN)/.installed tools/node_modules/.installed  ## venv, Python deps, bun

install-test: install  ## install, plus Chromium, poppler, PostgreSQL and Redis packages
	./scripts/system-deps.sh --test

migrate: install  ## apply the database migrations
	$(BIN)/python -m bilan_app migrate

seed: install  ## create the demo organisation (demo mode)
	$(BIN)/python -m bilan_app seed-demo

run: install  ## migrate, seed the demo if empty, and serve the production build on :3000
	$(BIN)/python -m bilan_app prepare
	$(BIN)/reflex run --env prod

dev: install  ## development server with hot reload (front :3000, back :8000)
	$(BIN)/python -m bilan_app prepare
	$(BIN)/reflex run

lint: install  ## ruff, import-linter contracts, mypy on services/
	$(LINT)

format: install  ## apply ruff's fixes and formatting
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

unit: install  ## unit tests (SQLite, no server)
	$(BIN)/pytest tests/unit -q $(PARALLEL)

integration: install-test  ## integration tests on PostgreSQL, Redis and a real SMTP server
	./scripts/start-services.sh
	$(BIN)/pytest tests/integration -q $(PARALLEL)

e2e: install-test  ## end-to-end tests in Chromium against the production build
	./scripts/start-services.sh
	$(BIN)/pytest tests/e2e -q

test: install-test  ## everything CI runs: lint, unit, integration, end-to-end
	./scripts/start-services.sh
	$(LINT)
	$(BIN)/pytest tests/unit -q $(PARALLEL)
	$(BIN)/pytest tests/integration -q $(PARALLEL)
	$(BIN)/pytest tests/e2e -q

bench: install-test  ## benchmarks (page load in Chromium, consultant dashboard, ROME, matching, PDF, communes)
	./scripts/start-services.sh
	$(BIN)/python benchmarks/page_load.py
	$(BIN)/python benchmarks/dashboard.py
	$(BIN)/python benchmarks/rome.py
	$(BIN)/python benchmarks/matching_eval.py
	$(BIN)/python benchmarks/matching_latency.py
	$(BIN)/python benchmarks/pdf.py
	$(BIN)/python benchmarks/communes.py

clean:  ## remove build output (keeps the database under data/)
	rm -rf .web .states .reflex tools/node_modules $(VENV) artifacts
