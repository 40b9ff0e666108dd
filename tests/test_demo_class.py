"""`make demo-class` end to end: the gradebook, the feedback pages and the report.

The class is graded once per session (the `demo_class` fixture in conftest.py); these tests
read what it left behind.
"""

import html
import json
import shutil

import nbformat
import pytest
from nbgrader.api import Gradebook

from autograder import class_report
from autograder import demo_class as demo
from autograder.homework import evaluate
from autograder.submission import Cell, find_answer, given_text, reference_items

pytestmark = pytest.mark.slow

BROKEN_REASONS = {
    "broken_missing_notebook": "no notebook submitted",
    "broken_invalid_json": "not valid JSON",
    "broken_infinite_loop": "a while loop",
    "broken_deleted_cells": "test cell was deleted",
    "broken_not_a_string": "text in quotes",
    "broken_empty_answer": "empty",
}


@pytest.fixture(scope="module")
def items(demo_class):
    return class_report.collect(demo_class["root"])


def _gradebook(demo_class):
    return Gradebook(f"sqlite:///{demo_class['root'] / 'gradebook.db'}")


def test_the_run_succeeds_and_the_reference_gets_full_marks(demo_class):
    assert demo_class["reference_full_marks"], demo_class["log"]
    assert demo_class["submissions"] >= 30


def test_every_student_is_in_the_gradebook(demo_class):
    with _gradebook(demo_class) as gb:
        students = {s.id for s in gb.students}
    expected = {demo.REFERENCE, *demo.REGULAR, *demo.BROKEN}
    assert students == expected
    assert len(demo.REGULAR) >= 30


def test_gradebook_scores_equal_the_scorers(demo_class):
    """Every answer's points in SQLite are what the scorer gives the text handed in."""
    root = demo_class["root"]
    checked = 0
    with _gradebook(demo_class) as gb:
        for student in [demo.REFERENCE, *demo.REGULAR]:
            for path in sorted((root / "submitted" / student).glob("*/*.ipynb")):
                assignment = path.parent.name
                source = nbformat.read(root / "solutions" / assignment / path.name, as_version=4)
                submitted = nbformat.read(path, as_version=4)
                code = [c.source for c in submitted.cells if c.cell_type == "code"]
                given = given_text(
                    [
                        Cell(c.cell_type, c.source, locked=True)
                        for c in source.cells
                        if c.cell_type == "markdown"
                    ]
                )
                for item in reference_items(source.cells):
                    expected = evaluate(item, find_answer(code, item.variable).text, given)
                    grade = gb.find_grade(item.grade_id, path.stem, assignment, student)
                    assert grade.auto_score == expected.points, (student, item.grade_id)
                    assert not grade.needs_manual_grade
                    checked += 1
    assert checked >= 30 * 5


@pytest.mark.parametrize("student", sorted(BROKEN_REASONS))
def test_broken_submissions_score_zero_with_a_reason(items, student):
    rows = items[items["student"] == student]
    assert len(rows) >= 5 and (rows["points"] == 0).all()
    assert rows["reason"].str.contains(BROKEN_REASONS[student], regex=False).all(), rows.reason
    totals = class_report.student_totals(items).set_index("student")
    assert BROKEN_REASONS[student] in totals.loc[student, "reasons"]


def test_every_graded_student_has_a_feedback_page_with_the_scorers_feedback(demo_class):
    root = demo_class["root"]
    autograded = sorted((root / "autograded").glob("*/*/*.ipynb"))
    assert len(autograded) >= demo_class["submissions"] - 1  # invalid JSON cannot be graded
    for notebook_path in autograded:
        student, assignment = notebook_path.parts[-3], notebook_path.parts[-2]
        page = root / "feedback" / student / assignment / f"{assignment}.html"
        assert page.exists(), page
        text = page.read_text(encoding="utf-8")
        verdicts = class_report._verdicts(notebook_path)
        assert len(verdicts) == 5
        notebook = json.loads(notebook_path.read_text(encoding="utf-8"))
        feedback = [
            o["text"]
            for c in notebook["cells"]
            for o in c.get("outputs", [])
            if o.get("output_type") == "stream" and "points" in "".join(o["text"])
        ]
        assert len(feedback) == 5
        for block in feedback:
            first_line = "".join(block).splitlines()[0]
            assert html.escape(first_line, quote=False) in text
        if any(v["kind"] == "free_text" and v["status"] == "scored" for v in verdicts.values()):
            assert "Next step:" in text and "Signals:" in text


def test_grades_are_exported_for_every_student(demo_class):
    lines = (demo_class["root"] / "grades.csv").read_text(encoding="utf-8").splitlines()
    students = {line.split(",")[3] for line in lines[1:]}
    assert students == {demo.REFERENCE, *demo.REGULAR, *demo.BROKEN}


def test_the_report_has_a_table_and_charts(demo_class, items):
    report = demo_class["root"] / "report"
    page = (report / "report.html").read_text(encoding="utf-8")
    for student in [demo.REFERENCE, *demo.REGULAR, *demo.BROKEN]:
        assert student in page
    for chart in ("score_distribution.png", "missed_signals.png"):
        assert (report / chart).stat().st_size > 1000 and chart in page
    assert (report / "items.csv").exists()
    assert set(items["assignment"]) == set(_assignments(demo_class))


def _assignments(demo_class):
    return sorted(p.name for p in (demo_class["root"] / "exercises").iterdir())


def test_a_reference_without_full_marks_is_reported(demo_class, tmp_path):
    """What `make demo-class` checks to exit 1, e.g. when the scorer failed to import."""
    root = tmp_path / "copy"
    root.mkdir()
    shutil.copy(demo_class["root"] / "gradebook.db", root / "gradebook.db")
    assignments = _assignments(demo_class)
    assert demo.reference_shortfall(root, assignments) == []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        grade = gb.find_grade("test_q1", assignments[0], assignments[0], demo.REFERENCE)
        grade.auto_score = 0.0
        gb.db.commit()
    assert demo.reference_shortfall(root, assignments)
