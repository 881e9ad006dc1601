# The two commands of the README's quick start: `make demo` and `make test`.
# Each creates its own virtual environment (.venv) on first use.
VENV ?= .venv
PYTHON ?= python3
PORT ?= 8080

.PHONY: demo test lint install

$(VENV)/.installed: pyproject.toml requirements-models.txt
	$(PYTHON) -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip
	$(VENV)/bin/pip install -q --require-hashes --no-deps -r requirements-models.txt
	$(VENV)/bin/pip install -q -e '.[test]'
	touch $@

install: $(VENV)/.installed

demo: $(VENV)/.installed
	$(VENV)/bin/tagwire demo --port $(PORT)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check src tests bench docs
	$(VENV)/bin/ruff format --check src tests bench docs
	$(VENV)/bin/mypy

test: lint
	$(VENV)/bin/pytest
