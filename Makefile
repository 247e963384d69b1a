# Gongzhi: `make run` serves the demo on http://127.0.0.1:5000, `make test` runs the suite.
SHELL := /bin/bash
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
FLASK := FLASK_APP=app:create_app $(BIN)/flask
STAMP := $(VENV)/.installed
RUN_DEB := fonts-noto-cjk
TEST_DEB := fonts-noto-cjk chromium

.PHONY: run test fuzz install system-deps-run system-deps-test debs translations migrate demo worker lint bench clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP) translations

# Debian packages: Chinese fonts for PDFs; Chromium for the browser tests.
system-deps-run:
	@$(MAKE) --no-print-directory debs PACKAGES="$(RUN_DEB)"

system-deps-test:
	@$(MAKE) --no-print-directory debs PACKAGES="$(TEST_DEB)"
	@command -v npm >/dev/null || $(MAKE) --no-print-directory debs PACKAGES="nodejs npm"

# axe-core, which the browser tests load into every page they check (package.json pins it).
AXE := node_modules/axe-core/axe.min.js
$(AXE): package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $(AXE)

debs:
	@missing=$$(for p in $(PACKAGES); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  elif command -v sudo >/dev/null; then sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	  else echo "please install: $$missing"; fi; \
	fi

translations: $(STAMP)
	$(FLASK) i18n compile

migrate: install
	$(FLASK) db upgrade

demo: migrate
	$(FLASK) demo load

run: system-deps-run demo
	$(FLASK) run --host 127.0.0.1 --port 5000

worker: install
	$(FLASK) worker

# The suite on SQLite (with Redis job tests when Redis answers), then again on PostgreSQL
# when it answers: each run gets its own database and Redis key prefix. Two kinds of tests
# run once when both databases are there: the browser journeys (tests/browser) drive the
# pages, not the database, and run on PostgreSQL, as in production; the walks marked
# ``code_only`` (who may open what, escaping, wording: decided by the code, the same on
# either database) run with SQLite, where they are faster. Everything that meets the
# database's own behaviour (inputs, dates, amounts, the API fuzzer, concurrency, the books)
# runs on both.
# Compiled modules are kept (__pycache__, ignored by git) even where the environment says
# not to write them: every worker of every run would otherwise compile the app and rewrite
# the tests again. Long tests start first and idle workers take queued tests from busy ones.
PYTEST := PYTHONDONTWRITEBYTECODE= $(BIN)/python -m pytest -n 2 --dist worksteal -p no:cacheprovider
test: system-deps-test install $(AXE)
	@if $(BIN)/python -c "from tests.settings import postgres_available as p; raise SystemExit(0 if p() else 1)"; then \
	  echo "--- SQLite (the browser journeys run on PostgreSQL) ---"; \
	  $(PYTEST) --ignore=tests/browser && \
	  echo "--- PostgreSQL, with the browser journeys (the code_only walks ran above) ---" && \
	  GZ_TEST_DB=postgresql $(PYTEST) -m "not code_only"; \
	else echo "PostgreSQL not reachable: the whole suite runs on SQLite only"; $(PYTEST); fi

# Not part of `make test`: the whole API explored at random for FUZZ_MINUTES, every (role,
# operation) pair once a round in an order drawn from the seed (GZ_TEST_DB=postgresql for
# PostgreSQL). Findings go to FUZZ_REPORT as curl lines; FUZZ_SEED=… replays a run.
FUZZ_MINUTES ?= 10
FUZZ_SEED ?=
FUZZ_REPORT ?= fuzz-report.txt
fuzz: install
	FUZZ_MINUTES=$(FUZZ_MINUTES) FUZZ_SEED=$(FUZZ_SEED) FUZZ_REPORT=$(FUZZ_REPORT) \
	  $(BIN)/python -m pytest tests/api/fuzz_long.py -p no:cacheprovider -q -s

lint: install
	$(BIN)/ruff check app ledger workers tests bench

clean:
	rm -rf $(VENV) instance .pytest_cache node_modules
