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

# Jupyter refuses to run as root unless told; containers and CI often are root.
ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)

lab: $(STAMP)
	$(BIN)/jupyter lab $(ALLOW_ROOT) course/00_start_here.ipynb

# Notebooks run top to bottom (nbval, lax: errors fail, outputs are not compared) with a
# throwaway progress database, then the test suite.
test: $(STAMP)
	$(BIN)/ruff check .
	ML_JUDGMENT_PROGRESS_DB=$$(mktemp -d)/progress.sqlite3 $(BIN)/python -m pytest -q \
		--nbval-lax --nbval-current-env --nbval-cell-timeout=30 --durations=6 course app
	$(BIN)/python -m pytest -q --timeout=600

bench: $(STAMP)
	$(BIN)/python -m bench

# A simulated class of 37 students graded end to end with nbgrader (generate_assignment,
# autograde, generate_feedback, export); the instructor report is build/demo-class/report/.
# Fails only when the instructor's reference submission does not get full marks.
demo-class: $(STAMP)
	$(BIN)/python -m autograder.demo_class --out build/demo-class

app: $(STAMP)
	$(BIN)/voila app/practice.ipynb --no-browser

# Regenerate the released homework in exercises/ from solutions/ (nbgrader calls alembic,
# so .venv/bin must be on PATH).
exercises: $(STAMP)
	PATH=$(CURDIR)/$(BIN):$$PATH $(BIN)/nbgrader generate_assignment "*" --force

lint: $(STAMP)
	$(BIN)/ruff check .

clean:
	rm -rf build
