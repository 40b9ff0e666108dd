# Two commands matter: `make lab` (launch the course) and `make test` (run every test).
# Both create .venv if it is missing and install the project into it.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: lab test bench app demo-class exercises lint clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

lab: $(STAMP)
	$(BIN)/jupyter lab course/00_start_here.ipynb

test: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/python -m pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

app: $(STAMP)
	$(BIN)/voila app/practice.ipynb --no-browser

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf build
