# Kravlotsen: `make run` to try it, `make test` to check it.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: install run test lint typecheck pytest e2e bench clean translations screenshots

install: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	touch $@

run: install
	$(PY) -m app migrate
	$(PY) -m app seed-demo
	@echo ""
	@echo "  Kravlotsen: http://$(HOST):$(PORT)"
	@echo ""
	$(PY) -m app serve --host $(HOST) --port $(PORT)

test: install lint typecheck pytest

lint: install
	$(VENV)/bin/ruff check app tests migrations
	$(VENV)/bin/ruff format --check app tests migrations

typecheck: install
	$(VENV)/bin/mypy app

pytest: install
	$(PY) -m pytest -q

e2e: install
	$(PY) -m pytest -q tests/e2e

screenshots: install
	$(PY) -m tests.e2e.screenshots

translations: install
	$(VENV)/bin/pybabel extract -F babel.cfg -k gettext_ -k ngettext_:1,2 -o app/translations/messages.pot --no-location --sort-output .
	$(VENV)/bin/pybabel update -i app/translations/messages.pot -d app/translations --no-fuzzy-matching

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

bench: install
	$(PY) -m tests.benchmarks.run
