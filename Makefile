# Everything a fresh machine with python3 and make needs: `make run`, `make test`.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
PLUGINS := $(wildcard plugins/*/pyproject.toml)

.PHONY: setup run test lint typecheck docs unit bench clean fonts browser

# System packages from Debian: a Hangul font for the charts (run), Chromium for the
# browser test of the HTML report (test). Installed only when missing and when apt-get
# can run (as root); otherwise the charts fall back to English labels and the browser
# test says what is missing.
fonts:
	@fc-list 2>/dev/null | grep -qi nanum || sh scripts/apt-install.sh fonts-nanum fontconfig

browser:
	@command -v chromium >/dev/null 2>&1 || sh scripts/apt-install.sh chromium

# Two stamps, one virtual environment: the main job needs employkit with its charts
# and Excel extras and the bundled packs; the test command adds the dev and docs extras.
RUN_STAMP  := $(VENV)/.run-stamp
TEST_STAMP := $(VENV)/.test-stamp

$(RUN_STAMP): pyproject.toml $(PLUGINS)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[plot,excel]' $(foreach p,$(PLUGINS),-e $(dir $(p)))
	touch $(RUN_STAMP)

$(TEST_STAMP): $(RUN_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[dev,docs]'
	touch $(TEST_STAMP)

setup: $(TEST_STAMP) fonts

## The main job on the bundled sample centre: a report folder in ./employkit-report.
run: $(RUN_STAMP) fonts
	$(BIN)/employkit run

lint: setup
	$(BIN)/ruff check src tests benchmarks examples docs/conf.py $(wildcard plugins)
	$(BIN)/ruff format --check src tests benchmarks examples docs/conf.py $(wildcard plugins)

typecheck: setup
	$(BIN)/mypy

## The English pages, the Korean pages (docs/locale/ko) and the pages' examples.
docs: setup
	$(BIN)/sphinx-build -W -q -b html docs docs/_build/html
	$(BIN)/sphinx-build -W -q -b html -D language=ko docs docs/_build/html/ko
	$(BIN)/sphinx-build -W -q -b doctest docs docs/_build/doctest

unit: setup browser
	$(BIN)/python -m pytest -n auto

## Lint, types, docs (with their doctests), then the test suite.
test: lint typecheck docs unit

bench: setup
	$(BIN)/python benchmarks/import_time.py

clean:
	rm -rf $(VENV) docs/_build .pytest_cache .mypy_cache .ruff_cache .hypothesis
