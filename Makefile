# Two commands on a fresh machine: `make run` (pipeline on the bundled seeds), `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
DATA_DIR ?= data
INBOX ?= seeds/articles

.PHONY: install run test lint ui docs clean

$(BIN)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev,semantic,distributed]'
	touch $@

install: $(BIN)/.installed

run: install
	$(BIN)/newsfacts build --inbox $(INBOX) --data-dir $(DATA_DIR)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

test: lint
	$(BIN)/pytest

ui: install
	$(BIN)/newsfacts ui --inbox $(INBOX) --data-dir $(DATA_DIR)

docs: install
	$(BIN)/python -m newsfacts.store.columns --write-readme

clean:
	rm -rf $(DATA_DIR) .pytest_cache .ruff_cache
