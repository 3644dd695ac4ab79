# Two entry points: `make demo` builds the maps, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.mali-map-installed
TEST_STAMP := $(VENV)/.mali-map-test-installed

.PHONY: demo test lint clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[static]"
	touch $@

$(TEST_STAMP): $(STAMP)
	$(PY) -m pip install --quiet -e ".[test]"
	touch $@

demo: $(STAMP)
	$(VENV)/bin/mali-map build --out maps --static png,pdf,svg --dpi 150

test: $(TEST_STAMP)
	bash scripts/ensure_chromium.sh
	$(VENV)/bin/ruff check src tests scripts benchmarks
	$(PY) -m pytest

lint: $(TEST_STAMP)
	$(VENV)/bin/ruff check src tests scripts benchmarks

clean:
	rm -rf maps test-artifacts .pytest_cache
