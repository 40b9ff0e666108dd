"""The homework assignments in solutions/ and their release in exercises/ (no nbgrader run)."""

import ast
import json
import re
from pathlib import Path

import pytest

from autograder import RUBRIC_IDS
from autograder.homework import FREE_TEXT, PLACEHOLDER, evaluate
from autograder.submission import find_answer, grade_submission, reference_items

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = sorted(p.parent.name for p in (ROOT / "solutions").glob("*/*.ipynb"))


def _cells(folder: str, assignment: str) -> list[dict]:
    path = ROOT / folder / assignment / f"{assignment}.ipynb"
    return json.loads(path.read_text(encoding="utf-8"))["cells"]


def _text(cell: dict) -> str:
    return "".join(cell["source"])


def _models(assignment: str) -> dict:
    cells = _cells("solutions", assignment)
    sources = [_text(c) for c in cells if c["cell_type"] == "code"]
    return {i.variable: (i, find_answer(sources, i.variable).text) for i in reference_items(cells)}


def test_there_is_one_assignment_per_section():
    assert ASSIGNMENTS == ["hw1_judgment", "hw2_ownership", "hw3_weak_vs_strong", "hw4_recovery"]
    assert sorted(p.parent.name for p in (ROOT / "exercises").glob("*/*.ipynb")) == ASSIGNMENTS


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_each_assignment_has_three_free_text_and_two_exact_items(assignment):
    items = reference_items(_cells("solutions", assignment))
    free = [i for i in items if i.kind == FREE_TEXT]
    exact = [i for i in items if i.kind != FREE_TEXT]
    assert len(free) >= 3 and len(exact) >= 2
    assert all(i.rubric in RUBRIC_IDS and i.question for i in free)
    assert all(i.key and i.options for i in exact)


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_learner_reads_the_question_the_scorer_is_given(assignment):
    cells = _cells("solutions", assignment)
    markdown = " ".join(" ".join(_text(c).split()) for c in cells if c["cell_type"] == "markdown")
    for item in reference_items(cells):
        if item.kind == FREE_TEXT:
            assert item.question in markdown
            assert f"rubric: *{item.rubric}*" in markdown


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_model_answers_get_full_points(assignment):
    for variable, (item, text) in _models(assignment).items():
        outcome = evaluate(item, text)
        assert outcome.points == item.points, (variable, outcome.feedback())


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_solution_notebook_grades_full_marks_statically(assignment):
    cells = _cells("solutions", assignment)
    outcomes = grade_submission(cells, cells)
    assert [o.points for o in outcomes] == [o.item.points for o in outcomes]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_the_release_holds_no_model_answer_no_key_and_no_widget_state(assignment):
    raw = (ROOT / "exercises" / assignment / f"{assignment}.ipynb").read_text(encoding="utf-8")
    release = json.loads(raw)
    flat = " ".join(" ".join(_text(c).split()) for c in release["cells"])
    for variable, (item, text) in _models(assignment).items():
        if item.kind == FREE_TEXT:
            sentences = [s for s in re.split(r"(?<=[.;:])\s+", " ".join(text.split())) if s]
            leaked = [s for s in sentences if len(s) > 20 and s in flat]
            assert not leaked, (variable, leaked)
        assert f'key="{item.key}"' not in raw
    assert "BEGIN SOLUTION" not in raw and "HIDDEN TESTS" not in raw
    assert "widgets" not in release["metadata"]


@pytest.mark.parametrize("assignment", ASSIGNMENTS)
def test_released_answer_cells_hold_the_placeholder_in_quotes(assignment):
    cells = _cells("exercises", assignment)
    sources = [_text(c) for c in cells if c["cell_type"] == "code"]
    for source in sources:
        ast.parse(source)
    for item in reference_items(_cells("solutions", assignment)):
        assert find_answer(sources, item.variable).text == PLACEHOLDER


@pytest.mark.parametrize("folder", ["solutions", "exercises"])
def test_committed_notebooks_are_clean(folder):
    for path in (ROOT / folder).glob("*/*.ipynb"):
        notebook = json.loads(path.read_text(encoding="utf-8"))
        for cell in notebook["cells"]:
            assert not cell.get("outputs") and cell.get("execution_count") is None, path
    assert not list((ROOT / folder).rglob("*.py")), "no helper modules in assignment folders"
