"""`python -m autograder preview PATH`: grade every submission under PATH without kernels.

Reads the notebook files as JSON and grades them with the same reader the nbgrader
preprocessor uses (`autograder.submission`), against the assignments' source notebooks, so it
gives the points `nbgrader autograde` will record, in a fraction of the time. It cannot see what
running the code would do: a notebook that crashes or hangs its kernel scores the same here,
while nbgrader may fail it (docs/grading.md). A file it cannot read is reported and skipped.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from .submission import grade_submission, reference_items

FIELDS = [
    "student",
    "assignment",
    "notebook",
    "grade_id",
    "kind",
    "rubric",
    "points",
    "max_points",
    "status",
    "reason",
    "score",
    "missing",
    "path",
]


@dataclass
class Submission:
    """One submitted notebook (or a folder where one was expected) and its graded rows."""

    path: str
    student: str
    assignment: str
    notebook: str
    rows: list[dict] = field(default_factory=list)
    error: str = ""


def find_submissions(path: Path, source: Path) -> list[tuple[Path, Path | None]]:
    """(notebook or empty assignment folder, its source notebook) under `path`, laid out as
    nbgrader's submitted/<student>/<assignment>/<notebook>.ipynb."""
    path = path.resolve()
    if path.is_file():
        notebooks = [path]
        folders = []
    else:
        notebooks = sorted(p for p in path.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
        known = {p.name for p in source.iterdir() if p.is_dir()} if source.is_dir() else set()
        folders = sorted(
            d
            for d in path.rglob("*")
            if d.is_dir() and d.name in known and not any(d.glob("*.ipynb"))
        )
    found = []
    for notebook in notebooks:
        candidate = source / notebook.parent.name / notebook.name
        found.append((notebook, candidate if candidate.is_file() else None))
    for folder in folders:
        found.extend((folder, s) for s in sorted((source / folder.name).glob("*.ipynb")))
    return found


def grade_path(target: Path, source_notebook: Path | None) -> Submission:
    """Grade one submitted notebook; never raises on a bad submission."""
    notebook = target if target.suffix == ".ipynb" else (source_notebook or target)
    assignment_dir = target.parent if target.suffix == ".ipynb" else target
    sub = Submission(str(target), assignment_dir.parent.name, assignment_dir.name, notebook.stem)
    if source_notebook is None:
        sub.error = f"no source notebook for assignment {sub.assignment!r}"
        return sub
    source_cells, items = _source(source_notebook)
    if target.suffix != ".ipynb":
        return _zero(sub, items, "no notebook submitted")
    try:
        outcomes = grade_submission(_cells(_read_json(target)), source_cells)
    except (OSError, ValueError) as exc:
        return _zero(sub, items, f"notebook cannot be read: {exc}")
    except Exception as exc:  # any other malformed JSON structure, e.g. metadata: 5
        return _zero(sub, items, f"notebook is malformed: {type(exc).__name__}: {exc}")
    sub.rows.extend(_row(sub, outcome.to_dict()) for outcome in outcomes)
    return sub


def preview(path: Path, source: Path, workers: int | None = None) -> list[Submission]:
    """Grade every submission under `path`, in parallel processes when there are many."""
    jobs = find_submissions(path, source)
    workers = workers or os.cpu_count() or 1
    if workers == 1 or len(jobs) < 50:
        return [grade_path(t, s) for t, s in jobs]
    with ProcessPoolExecutor(workers) as pool:
        chunk = max(1, len(jobs) // (workers * 8))
        return list(pool.map(grade_path, *zip(*jobs, strict=True), chunksize=chunk))


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "path",
        type=Path,
        help="a submitted notebook, or a folder of them "
        "(e.g. submitted/), laid out <student>/<assignment>/<notebook>.ipynb",
    )
    parser.add_argument(
        "--source",
        type=Path,
        default=Path("solutions"),
        help="the assignments' source folder (default: solutions)",
    )
    parser.add_argument("--csv", type=Path, help="write one row per item to this CSV file")
    parser.add_argument("--json", type=Path, help="write the submissions to this JSON file")
    parser.add_argument("--workers", type=int, default=None, help="processes (default: CPUs)")
    parser.add_argument("--quiet", action="store_true", help="print only the summary line")


def run(args: argparse.Namespace) -> int:
    if not args.path.exists():
        print(f"preview: {args.path} does not exist", file=sys.stderr)
        return 2
    submissions = preview(args.path, args.source, args.workers)
    rows = [row for sub in submissions for row in sub.rows]
    if args.csv:
        with args.csv.open("w", newline="", encoding="utf-8") as fh:
            writer = csv.DictWriter(fh, FIELDS)
            writer.writeheader()
            writer.writerows(rows)
    if args.json:
        args.json.write_text(
            json.dumps([sub.__dict__ for sub in submissions], indent=1), encoding="utf-8"
        )
    if not args.quiet:
        for sub in submissions:
            print(_summary_line(sub))
    problems = sum(1 for sub in submissions if sub.error)
    print(f"{len(submissions)} submissions, {len(rows)} items graded, {problems} not readable")
    return 0


def _summary_line(sub: Submission) -> str:
    where = f"{sub.student}/{sub.assignment}/{sub.notebook}"
    if sub.error:
        return f"{where}: {sub.error}"
    got = sum(r["points"] for r in sub.rows)
    top = sum(r["max_points"] for r in sub.rows)
    notes = sorted({r["status"] for r in sub.rows} - {"scored"})
    return f"{where}: {got:g} / {top:g}" + (f"  ({', '.join(notes)})" if notes else "")


def _zero(sub: Submission, items, reason: str) -> Submission:
    sub.error = reason
    for item in items:
        sub.rows.append(
            _row(
                sub,
                {
                    "grade_id": item.grade_id,
                    "kind": item.kind,
                    "rubric": item.rubric,
                    "points": 0.0,
                    "max_points": item.points,
                    "status": "unreadable",
                    "reason": reason,
                    "score": None,
                    "missing": [],
                },
            )
        )
    return sub


def _row(sub: Submission, outcome: dict) -> dict:
    row = {k: outcome.get(k) for k in FIELDS}
    row.update(
        student=sub.student,
        assignment=sub.assignment,
        notebook=sub.notebook,
        path=sub.path,
        missing=" ".join(outcome.get("missing") or []),
    )
    return row


@lru_cache(maxsize=64)
def _source(path: Path) -> tuple[list[dict], list]:
    """An assignment's source cells and items, read once per process (callers only read)."""
    cells = _cells(_read_json(path))
    return cells, reference_items(cells)


def _read_json(path: Path) -> dict:
    with path.open(encoding="utf-8") as fh:
        return json.load(fh)


def _cells(notebook) -> list[dict]:
    cells = notebook.get("cells") if isinstance(notebook, dict) else None
    if not isinstance(cells, list) or not all(isinstance(c, dict) for c in cells):
        raise ValueError("not a notebook: no list of cells")
    return cells
