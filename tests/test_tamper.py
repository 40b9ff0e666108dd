"""Each way a student might raise their score, tried against a real `nbgrader autograde`.

Every attacker hands in the same modest answers as the honest student plus one attack; the
gradebook must not give any attacker a point more than the honest student on any item. One
autograde run grades them all (module fixture); each test checks one attack.
"""

import json
import re
from pathlib import Path

import nbformat
import pytest

from autograder import class_report, nbgrader_cli
from autograder.demo_class import answer_source
from autograder.submission import find_answer, reference_items

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENT = "hw1_judgment"

pytestmark = pytest.mark.slow

# Decisions with nothing around them: partial credit, so there is room to cheat upwards.
MODEST = {
    "answer_q1": "I'd train a gradient-boosted model on the order logs to predict late orders "
    "and show its warnings in the demo.",
    "answer_q2": "I'd retrain the churn model with more features from the last six months and "
    "give the retention team the new list.",
    "answer_q3": "I'd train a classifier on the historical lab results and use it to rank the "
    "incoming queue for the clinicians.",
    "choice_q4": "A",  # wrong
    "order_q5": "ABC",  # wrong
}

PATCH_SCORER = """\
import autograder, autograder.engine, autograder.homework as hw
from autograder.result import Result

def full_marks(*args, points=4, **kwargs):
    print(f"{points} / {points} points")
    return float(points)

hw.grade = hw.check_choice = hw.check_order = full_marks
hw.points_for = lambda score, max_points: float(max_points)
perfect = Result(score=1.0, passed=True, rubric_id="judgment", rubric_version="1")
autograder.score = autograder.engine.score = hw.score = lambda *a, **k: perfect
"""

PATCH_BUILTINS = """\
import builtins
builtins.float = lambda *args: 4.0
builtins.isinstance = lambda *args: True
builtins.min = builtins.max = lambda *args, **kwargs: 4.0
builtins.print = lambda *args, **kwargs: None
"""

FAKE_HOMEWORK = """\
def grade(*args, points=4, **kwargs):
    print(f"{points} / {points} points")
    return float(points)

check_choice = check_order = grade
"""

LIARS = """\
class Liar(str):
    def __eq__(self, other):
        return True
    __hash__ = str.__hash__
    def __str__(self):
        return {model!r}

class AlwaysEqual:
    def __eq__(self, other):
        return True

{variable} = {value}
"""

FAKE_OUTPUT = """\
import sys
print("4.0")
sys.displayhook = lambda value: get_ipython().displayhook(4.0)
"""

REWRITE_TESTS = """\
def full_marks(lines):
    source = "".join(lines)
    return ["4.0\\n"] if "grade(" in source or "check_" in source else lines

get_ipython().input_transformers_cleanup.append(full_marks)
"""


def _release(root: Path) -> nbformat.NotebookNode:
    path = root / nbgrader_cli.RELEASE / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    return nbformat.read(path, as_version=4)


def _models() -> dict:
    path = ROOT / "solutions" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    sources = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    return {i.variable: find_answer(sources, i.variable).text for i in reference_items(cells)}


def _answered(root: Path, answers: dict) -> nbformat.NotebookNode:
    notebook = _release(root)
    for cell in notebook.cells:
        variable = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            cell.source = answer_source(variable, answers[variable])
    return notebook


def _with_cell_first(notebook, source: str) -> nbformat.NotebookNode:
    notebook.cells.insert(2, nbformat.v4.new_code_cell(source))
    return notebook


def _build_class(root: Path) -> dict[str, nbformat.NotebookNode]:
    models = _models()
    students = {
        "honest": _answered(root, MODEST),
        "reference": _answered(root, models),
        "patched_scorer": _with_cell_first(_answered(root, MODEST), PATCH_SCORER),
        "patched_builtins": _with_cell_first(_answered(root, MODEST), PATCH_BUILTINS),
        "fake_package": _answered(root, MODEST),
        "fake_output": _with_cell_first(_answered(root, MODEST), FAKE_OUTPUT),
        "rewritten_tests": _with_cell_first(_answered(root, MODEST), REWRITE_TESTS),
        "killed_kernel": _with_cell_first(_answered(root, MODEST), "import os\nos._exit(1)"),
    }
    edited = _answered(root, MODEST)
    for cell in edited.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("grade"):
            cell.source = f"{meta['points']}.0"
            meta["points"] = 100
    students["edited_tests"] = edited
    deleted = _answered(root, MODEST)
    deleted.cells = [c for c in deleted.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    students["deleted_tests"] = deleted
    emptied = _answered(root, MODEST)
    emptied.cells = [c for c in emptied.cells if "nbgrader" not in c.metadata]
    students["deleted_graded_cells"] = emptied
    liars = _answered(root, MODEST)
    for cell in liars.cells:
        variable = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution"):
            value = (
                f"Liar({MODEST[variable]!r})" if variable.startswith("answer") else "AlwaysEqual()"
            )
            cell.source = LIARS.format(model=models[variable], variable=variable, value=value)
    students["lying_answers"] = liars
    markdown = [c.source for c in _release(root).cells if c.cell_type == "markdown"]
    students["pasted_release"] = _answered(
        root, {v: "\n\n".join(markdown) if v.startswith("answer") else MODEST[v] for v in MODEST}
    )
    # The strongest-sounding text in the release: the example answers of the choice items.
    examples = sorted(re.findall(r'"([^"]{80,})"', "\n".join(markdown)), key=len, reverse=True)
    students["pasted_examples"] = _answered(
        root,
        {
            v: examples[i % len(examples)] if v.startswith("answer") else MODEST[v]
            for i, v in enumerate(MODEST)
        },
    )
    return students


@pytest.fixture(scope="module")
def graded(tmp_path_factory):
    root = tmp_path_factory.mktemp("tamper")
    nbgrader_cli.generate_release(ROOT, root)
    for student, notebook in _build_class(root).items():
        path = root / "submitted" / student / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
        path.parent.mkdir(parents=True)
        nbformat.write(notebook, path)
    package = root / "submitted" / "fake_package" / ASSIGNMENT / "autograder"
    package.mkdir()
    (package / "__init__.py").write_text("score = None\n")
    (package / "homework.py").write_text(FAKE_HOMEWORK)
    proc = nbgrader_cli.run(
        ["autograde", ASSIGNMENT, "--Execute.timeout=10"],
        course=ROOT,
        root=root,
        log=root / "autograde.log",
    )
    items = class_report.collect(root)
    return {student: rows.set_index("item") for student, rows in items.groupby("student")}, proc


def _assert_not_raised(graded, student):
    table, _proc = graded
    honest, attacker = table["honest"]["points"], table[student]["points"]
    assert (attacker <= honest).all(), attacker.compare(honest)
    return table[student]


def test_the_pipeline_grades_honest_work_and_gives_the_reference_full_marks(graded):
    table, _proc = graded
    honest, reference = table["honest"], table["reference"]
    assert (reference["points"] == reference["max_points"]).all()
    assert 0 < honest["points"].sum() < honest["max_points"].sum()


def test_monkeypatching_the_scorer_in_the_notebook_does_not_raise_the_score(graded):
    rows = _assert_not_raised(graded, "patched_scorer")
    assert (rows["status"] == "scored").all()


def test_monkeypatching_builtins_does_not_raise_the_score(graded):
    _assert_not_raised(graded, "patched_builtins")


def test_a_package_named_like_ours_in_the_submission_does_not_raise_the_score(graded):
    rows = _assert_not_raised(graded, "fake_package")
    assert (rows["status"] == "scored").all()


def test_editing_test_cells_does_not_raise_the_score(graded):
    rows = _assert_not_raised(graded, "edited_tests")
    assert (rows["max_points"] < 100).all()


def test_deleting_test_cells_scores_zero_with_a_reason(graded):
    rows = _assert_not_raised(graded, "deleted_tests")
    assert (rows["points"] == 0).all()
    assert (rows["status"] == "test_deleted").all()
    assert rows["reason"].str.contains("deleted").all()


def test_deleting_answer_and_test_cells_together_scores_zero(graded):
    # nbgrader cannot put the test cells back without their answer cells: the submission
    # fails in autograde, so it waits for a human at 0 points.
    rows = _assert_not_raised(graded, "deleted_graded_cells")
    assert (rows["points"] == 0).all()


def test_answers_whose_methods_lie_score_zero(graded):
    rows = _assert_not_raised(graded, "lying_answers")
    assert (rows["points"] == 0).all()
    assert (rows["status"] == "not_text").all()


def test_printing_or_displaying_a_fake_score_does_not_raise_the_score(graded):
    _assert_not_raised(graded, "fake_output")


def test_rewriting_test_cells_in_the_kernel_does_not_raise_the_score(graded):
    rows = _assert_not_raised(graded, "rewritten_tests")
    assert (rows["status"] == "scored").all()


def test_killing_the_kernel_does_not_raise_the_score(graded):
    rows = _assert_not_raised(graded, "killed_kernel")
    assert (rows["points"] == 0).all()


@pytest.mark.parametrize("student", ["pasted_release", "pasted_examples"])
def test_pasting_text_from_the_released_notebook_earns_nothing(graded, student):
    # The release holds no model answer (tests/test_homework_notebooks.py); what it does hold,
    # the intro and the example answers of the choice items, is not scored when copied.
    rows = _assert_not_raised(graded, student)
    free = rows[rows["kind"] == "free_text"]
    assert (free["points"] == 0).all(), free[["points", "reason"]]
    assert free["reason"].str.contains("copied from the assignment").all()
