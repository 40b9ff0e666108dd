"""`python -m autograder preview`: grading from the notebook files, without kernels.

Its speed is measured by `make bench` (bench/grading.py), not tested here.
"""

import csv
import json
import shutil
from pathlib import Path

import nbformat
import pytest

from autograder.cli import main
from autograder.demo_class import answer_source
from autograder.preview import preview

ROOT = Path(__file__).resolve().parent.parent
SOURCE = ROOT / "solutions"
ASSIGNMENT = "hw2_ownership"


def _submit(folder: Path, student: str, answers: dict | None = None) -> Path:
    notebook = nbformat.read(ROOT / "exercises" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    for cell in notebook.cells:
        variable = cell.metadata.get("nbgrader", {}).get("grade_id")
        if answers and variable in answers:
            cell.source = answer_source(variable, answers[variable])
    path = folder / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    path.parent.mkdir(parents=True)
    nbformat.write(notebook, path)
    return path


@pytest.fixture
def submitted(tmp_path):
    folder = tmp_path / "submitted"
    _submit(folder, "ana", {"choice_q4": "B", "choice_q5": "C"})
    _submit(folder, "ben", {"answer_q1": "I proposed a new metric."})
    (_submit(folder, "cid")).write_text('{"cells": [', encoding="utf-8")
    (_submit(folder, "dee")).write_text('{"metadata": {}}', encoding="utf-8")
    (folder / "eve" / ASSIGNMENT).mkdir(parents=True)
    return folder


def test_preview_grades_good_submissions_and_reports_bad_ones(submitted):
    graded = {s.student: s for s in preview(submitted, SOURCE)}
    assert sorted(graded) == ["ana", "ben", "cid", "dee", "eve"]
    ana = {row["grade_id"]: row for row in graded["ana"].rows}
    assert ana["test_q4"]["points"] == 2.0 and ana["test_q5"]["points"] == 0.0
    assert ana["test_q1"]["status"] == "no_answer"
    assert graded["ben"].rows[0]["status"] == "scored" and not graded["ben"].error
    assert "cannot be read" in graded["cid"].error
    assert "not a notebook" in graded["dee"].error
    assert graded["eve"].error == "no notebook submitted"
    for bad in ("cid", "dee", "eve"):
        assert len(graded[bad].rows) == 5
        assert all(row["points"] == 0 for row in graded[bad].rows)


def test_the_cli_prints_a_line_per_submission_and_writes_csv_and_json(submitted, tmp_path, capsys):
    out_csv, out_json = tmp_path / "items.csv", tmp_path / "subs.json"
    code = main(
        [
            "preview",
            str(submitted),
            "--source",
            str(SOURCE),
            "--csv",
            str(out_csv),
            "--json",
            str(out_json),
        ]
    )
    assert code == 0
    out, err = capsys.readouterr()
    assert "ana/hw2_ownership/hw2_ownership: 2 / 16" in out
    assert "5 submissions, 25 items graded, 3 not readable" in out and err == ""
    rows = list(csv.DictReader(out_csv.open(encoding="utf-8")))
    assert len(rows) == 25 and {r["student"] for r in rows} == {"ana", "ben", "cid", "dee", "eve"}
    assert len(json.loads(out_json.read_text(encoding="utf-8"))) == 5


def test_the_cli_rejects_a_path_that_does_not_exist(tmp_path, capsys):
    assert main(["preview", str(tmp_path / "nothing")]) == 2


def test_preview_runs_in_parallel_processes_with_the_same_result(submitted):
    for n in range(60):
        shutil.copytree(submitted / "ana", submitted / f"copy{n:02d}")
    serial = preview(submitted, SOURCE, workers=1)
    parallel = preview(submitted, SOURCE, workers=2)
    assert [s.rows for s in serial] == [s.rows for s in parallel]


@pytest.mark.slow
def test_preview_gives_the_points_nbgrader_autograde_recorded(demo_class):
    """On the whole demo class, broken submissions included."""
    from nbgrader.api import Gradebook, MissingEntry

    root = demo_class["root"]
    rows = [row for sub in preview(root / "submitted", root / "solutions") for row in sub.rows]
    assert len(rows) >= 5 * demo_class["submissions"]
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for row in rows:
            try:
                grade = gb.find_grade(
                    row["grade_id"], row["notebook"], row["assignment"], row["student"]
                )
                recorded = grade.score
            except MissingEntry:  # nbgrader never saw the submission (no notebook in it)
                recorded = 0.0
            assert recorded == row["points"], row
