"""`make demo-class`: grade a simulated class end to end, as the instructor would.

    python -m autograder.demo_class [--course .] [--out build/demo-class] [--timeout 5]

Builds a class from a labeled set of answers (autograder/data/demo_answers.yaml, weak to
strong) in a course root of its own (`--out`): the instructor's reference submission with the
model answers, 30 students of varied ability, and broken submissions (a missing notebook,
invalid JSON, an infinite loop, deleted test cells, answers that are not strings, empty
answers). Then it runs nbgrader generate_assignment, autograde, generate_feedback and export on
the SQLite gradebook and writes the instructor report (report/report.html and PNG charts).

Every student is graded and nothing stops the run. It exits 1 only when the reference
submission does not get full marks, which is how a scorer that failed to import (or a grading
preprocessor missing from the config) shows up: every item would score 0.
"""

from __future__ import annotations

import argparse
import random
import shutil
import sys
import time
from pathlib import Path

import nbformat
import yaml
from nbgrader.api import Gradebook, MissingEntry

from . import class_report, nbgrader_cli
from .homework import FREE_TEXT, ORDER, Item
from .submission import find_answer, reference_items

ANSWERS_FILE = Path(__file__).parent / "data" / "demo_answers.yaml"
REFERENCE = "reference"
REGULAR = [f"student{n:02d}" for n in range(1, 31)]
# Kernel starts dominate autograde time, so only these students hand in every assignment;
# the whole class hands in the first one.
FULL_COURSE = REGULAR[2::6]
BROKEN = {
    "broken_missing_notebook": "hands in a folder without the notebook",
    "broken_invalid_json": "hands in a notebook file cut off halfway",
    "broken_infinite_loop": "adds an infinite loop to every answer cell",
    "broken_deleted_cells": "deletes every test cell",
    "broken_not_a_string": "answers with numbers, lists and None instead of text",
    "broken_empty_answer": "leaves every answer empty",
}
SEED = 2024


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m autograder.demo_class", description=__doc__.split("\n\n")[0]
    )
    parser.add_argument(
        "--course",
        type=Path,
        default=Path("."),
        help="the course folder (holds nbgrader_config.py and solutions/)",
    )
    parser.add_argument(
        "--out",
        type=Path,
        default=Path("build/demo-class"),
        help="the demo's course root; deleted and rebuilt",
    )
    parser.add_argument(
        "--timeout",
        type=int,
        default=5,
        help="seconds a cell may run before nbgrader interrupts it",
    )
    args = parser.parse_args(argv)
    summary = run(args.course.resolve(), args.out.resolve(), timeout=args.timeout)
    for line in summary["log"]:
        print(line)
    return 0 if summary["reference_full_marks"] else 1


def run(course: Path, out: Path, *, timeout: int = 5) -> dict:
    """Build, grade and report the demo class in `out`; returns a summary (see main)."""
    started = time.perf_counter()
    timings: dict[str, float] = {}
    log: list[str] = []

    def step(name: str, args: list[str]) -> None:
        t0 = time.perf_counter()
        proc = nbgrader_cli.run(args, course=course, root=out, log=out / "logs" / f"{name}.log")
        timings[name] = time.perf_counter() - t0
        note = (
            " (nbgrader could not grade some notebooks: see the report)"
            if (name == "autograde" and proc.returncode)
            else ""
        )
        log.append(f"nbgrader {name}: exit {proc.returncode} in {timings[name]:.1f} s{note}")

    shutil.rmtree(out, ignore_errors=True)
    t0 = time.perf_counter()
    nbgrader_cli.generate_release(course, out, log=out / "logs" / "generate_assignment.log")
    timings["generate_assignment"] = time.perf_counter() - t0
    log.append(
        f"nbgrader generate_assignment: {timings['generate_assignment']:.1f} s "
        f"(logs: {out / 'logs'})"
    )
    labels = build_class(out)
    step("db_student_import", ["db", "student", "import", str(out / "roster.csv")])
    step("autograde", ["autograde", "*", f"--Execute.timeout={timeout}"])
    step("generate_feedback", ["generate_feedback", "*"])
    step("export", ["export", f"--to={out / 'grades.csv'}"])

    t0 = time.perf_counter()
    items = class_report.collect(out)
    # What each answer was meant to be, next to what it scored: a check on the scorer.
    items.insert(
        3,
        "label",
        [
            labels.get(s, {}).get(a, {}).get(i, "")
            for s, a, i in zip(items["student"], items["assignment"], items["item"], strict=True)
        ],
    )
    missing_ref = reference_shortfall(out, nbgrader_cli.assignment_ids(course))
    notes = [
        f"{items['student'].nunique()} students, "
        f"{len(items.groupby(['student', 'assignment']))} submissions, "
        f"{len(BROKEN)} of them broken on purpose.",
        "Reference submission: "
        + ("full marks." if not missing_ref else "NOT full marks: " + "; ".join(missing_ref)),
    ]
    page = class_report.write_report(items, out / "report", "Demo class: homework report", notes)
    timings["report"] = time.perf_counter() - t0
    timings["total"] = time.perf_counter() - started
    submissions = sum(1 for _ in (out / "submitted").glob("*/*/*.ipynb"))
    log.append(f"report: {page}")
    log.append(
        f"autograde: {timings['autograde'] / max(submissions, 1):.2f} s per submission "
        f"({submissions} notebooks)"
    )
    log.append(f"total: {timings['total']:.1f} s")
    log.append(notes[1])
    return {
        "reference_full_marks": not missing_ref,
        "timings": timings,
        "log": log,
        "submissions": submissions,
        "report": page,
        "root": out,
    }


def build_class(root: Path) -> dict:
    """Write every student's submissions into root/submitted and the roster; returns the
    label of each answer handed in, by student, assignment and item."""
    answers = yaml.safe_load(ANSWERS_FILE.read_text(encoding="utf-8"))
    rng = random.Random(SEED)
    assignments = sorted(p.name for p in (root / nbgrader_cli.RELEASE).iterdir())
    labels: dict[str, dict] = {}
    for student, ability in [(REFERENCE, 1.0)] + [
        (s, (i + 0.5) / len(REGULAR)) for i, s in enumerate(REGULAR)
    ]:
        chosen = assignments if student in FULL_COURSE or student == REFERENCE else assignments[:1]
        for assignment in chosen:
            notebook, items, models = _release(root, assignment)
            picks = {}
            for cell, item in _answer_cells(notebook, items):
                if student == REFERENCE:
                    text, label = models[item.variable], "model"
                elif item.kind == FREE_TEXT:
                    label = rng.choices(
                        ["weak", "mixed", "strong"],
                        [(1 - ability) ** 2, 2 * ability * (1 - ability), ability**2],
                    )[0]
                    text = rng.choice(answers[assignment][item.variable][label])
                else:
                    right = rng.random() < 0.3 + 0.6 * ability
                    text = item.key if right else _wrong(item, rng)
                    label = "right" if right else "wrong"
                cell.source = answer_source(item.variable, text)
                picks[item.grade_id] = label
            _write(root, student, assignment, notebook)
            labels.setdefault(student, {})[assignment] = picks
    _write_broken(root, assignments[0], answers)
    roster = ["id,first_name,last_name,email"] + [f"{s},,," for s in [REFERENCE, *REGULAR, *BROKEN]]
    (root / "roster.csv").write_text("\n".join(roster) + "\n", encoding="utf-8")
    return labels


def reference_shortfall(root: Path, assignments: list[str]) -> list[str]:
    """The reference submission's items that did not get full marks in the gradebook."""
    short = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        for assignment in assignments:
            try:
                submission = gb.find_submission(assignment, REFERENCE)
            except MissingEntry:
                short.append(f"{assignment}: not graded")
                continue
            for notebook in submission.notebooks:
                for grade in notebook.grades:
                    if grade.score != grade.max_score:
                        short.append(
                            f"{assignment}/{grade.name}: {grade.score:g} of {grade.max_score:g}"
                        )
    return short


def answer_source(variable: str, text: str) -> str:
    """An answer cell holding `text` in triple quotes, as a student would write it."""
    if '"""' in text or text.endswith('"') or "\\" in text:
        return f"{variable} = {text!r}"
    return f'{variable} = """{text}"""'


def _release(root: Path, assignment: str) -> tuple[nbformat.NotebookNode, list[Item], dict]:
    """The released notebook, its items and the model answers (from the source notebook)."""
    release = root / nbgrader_cli.RELEASE / assignment / f"{assignment}.ipynb"
    source = root / nbgrader_cli.SOURCE / assignment / f"{assignment}.ipynb"
    solved = nbformat.read(source, as_version=4)
    items = reference_items(solved.cells)
    sources = [c.source for c in solved.cells if c.cell_type == "code"]
    models = {item.variable: find_answer(sources, item.variable).text for item in items}
    return nbformat.read(release, as_version=4), items, models


def _answer_cells(notebook, items: list[Item]):
    """(answer cell, its item) pairs of a released notebook."""
    by_variable = {item.variable: item for item in items}
    for cell in notebook.cells:
        variable = cell.metadata.get("nbgrader", {}).get("grade_id")
        if cell.metadata.get("nbgrader", {}).get("solution") and variable in by_variable:
            yield cell, by_variable[variable]


def _wrong(item, rng: random.Random) -> str:
    while True:
        letters = list(item.options)
        rng.shuffle(letters)
        guess = "".join(letters) if item.kind == ORDER else letters[0]
        if guess != item.key:
            return guess


def _write(root: Path, student: str, assignment: str, notebook) -> Path:
    path = root / "submitted" / student / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(notebook, path)
    return path


def _write_broken(root: Path, assignment: str, answers: dict) -> None:
    """The broken submissions of BROKEN, all for the first assignment."""
    mixed = {var: texts["mixed"][0] for var, texts in answers[assignment].items()}
    odd_values = iter(["42", '["I would", "start simple"]', "None", "2", '("B", "A", "C")'])

    def filled(how) -> nbformat.NotebookNode:
        notebook, items, _models = _release(root, assignment)
        for cell, item in _answer_cells(notebook, items):
            cell.source = how(item, mixed.get(item.variable, item.key))
        return notebook

    folder = root / "submitted" / "broken_missing_notebook" / assignment
    folder.mkdir(parents=True)
    (folder / "my_answers.txt").write_text("I wrote my answers in a text file.\n")

    text = nbformat.writes(filled(lambda item, t: answer_source(item.variable, t)))
    path = root / "submitted" / "broken_invalid_json" / assignment / f"{assignment}.ipynb"
    path.parent.mkdir(parents=True)
    path.write_text(text[: len(text) // 2], encoding="utf-8")

    _write(
        root,
        "broken_infinite_loop",
        assignment,
        filled(lambda item, t: "while True:\n    pass\n" + answer_source(item.variable, t)),
    )
    _write(
        root,
        "broken_not_a_string",
        assignment,
        filled(lambda item, t: f"{item.variable} = {next(odd_values)}"),
    )
    _write(root, "broken_empty_answer", assignment, filled(lambda item, t: f'{item.variable} = ""'))
    notebook = filled(lambda item, t: answer_source(item.variable, t))
    notebook.cells = [c for c in notebook.cells if not c.metadata.get("nbgrader", {}).get("grade")]
    _write(root, "broken_deleted_cells", assignment, notebook)


if __name__ == "__main__":
    sys.exit(main())
