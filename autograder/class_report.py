"""The instructor's report on an autograded class: a table per student and item, and charts.

Points come from nbgrader's gradebook (what the students get); the scorer's evidence for each
item (its score, missing signals, why an answer could not be scored) comes from the verdict the
`ScoreOutsideKernel` preprocessor stored in each autograded notebook. A submission nbgrader
could not grade at all is explained from the submitted folder (no notebook, unreadable JSON).
"""

from __future__ import annotations

import html
import json
import random
from pathlib import Path

import pandas as pd
from matplotlib.figure import Figure  # no pyplot: PNGs render with Agg, no display needed
from nbgrader.api import Gradebook, MissingEntry

from .nbgrader_scoring import OUTCOME_MIMETYPE

COLUMNS = [
    "student",
    "assignment",
    "item",
    "kind",
    "rubric",
    "points",
    "max_points",
    "status",
    "reason",
    "score",
    "missing",
    "flags",
    "needs_manual_grade",
]


def collect(root: Path) -> pd.DataFrame:
    """One row per student, assignment and graded item, for every submission in `root`."""
    rows = []
    with Gradebook(f"sqlite:///{root / 'gradebook.db'}") as gb:
        students = sorted(s.id for s in gb.students)
        for assignment in sorted(gb.assignments, key=lambda a: a.name):
            for notebook in assignment.notebooks:
                cells = sorted(notebook.grade_cells, key=lambda c: c.name)
                for student in students:
                    rows += _rows(gb, root, assignment.name, notebook.name, cells, student)
    return pd.DataFrame(rows, columns=COLUMNS)


def _rows(gb, root: Path, assignment: str, notebook: str, cells, student: str) -> list[dict]:
    """The rows of one student's notebook; none when nothing was handed in."""
    folder = root / "submitted" / student / assignment
    try:
        graded = gb.find_submission_notebook(notebook, assignment, student)
    except MissingEntry:
        graded = None
    if graded is None and not folder.exists():
        return []
    grades = {g.name: g for g in graded.grades} if graded else {}
    verdicts = _verdicts(root / "autograded" / student / assignment / f"{notebook}.ipynb")
    fallback = "" if verdicts else _why_ungraded(folder, notebook)
    rows = []
    for cell in cells:
        grade = grades.get(cell.name)
        verdict = verdicts.get(cell.name, {})
        rows.append(
            {
                "student": student,
                "assignment": assignment,
                "item": cell.name,
                "kind": verdict.get("kind", ""),
                "rubric": verdict.get("rubric", ""),
                "points": float(grade.score) if grade else 0.0,
                "max_points": float(cell.max_score),
                "status": verdict.get("status", "not_graded"),
                "reason": verdict.get("reason") or fallback,
                "score": verdict.get("score"),
                "missing": verdict.get("missing", []),
                "flags": verdict.get("flags", []),
                "needs_manual_grade": bool(grade.needs_manual_grade) if grade else False,
            }
        )
    return rows


def write_report(
    items: pd.DataFrame, out: Path, title: str = "Homework report", notes: list[str] | None = None
) -> Path:
    """Write report.html, items.csv and the PNG charts into `out`; returns the HTML path."""
    out.mkdir(parents=True, exist_ok=True)
    items.to_csv(out / "items.csv", index=False)
    charts = [
        _score_distribution(items, out / "score_distribution.png"),
        _missed_signals(items, out / "missed_signals.png"),
    ]
    totals = student_totals(items)
    parts = [f"<h1>{html.escape(title)}</h1>"]
    parts += [f"<p>{html.escape(n)}</p>" for n in notes or []]
    parts.append("<h2>Students</h2>" + totals.to_html(index=False, na_rep="", escape=True))
    for chart in charts:
        if chart is not None:
            parts.append(
                f"<h2>{html.escape(chart.stem.replace('_', ' ').capitalize())}</h2>"
                f'<img src="{chart.name}" alt="{chart.stem}">'
            )
    shown = items.assign(missing=items["missing"].map(" ".join), flags=items["flags"].map(" ".join))
    parts.append("<h2>Items</h2>" + shown.to_html(index=False, na_rep="", escape=True))
    page = out / "report.html"
    page.write_text(
        "<!doctype html><html><head><meta charset='utf-8'><title>"
        f"{html.escape(title)}</title><style>{_CSS}</style></head><body>"
        + "\n".join(parts)
        + "</body></html>",
        encoding="utf-8",
    )
    return page


def student_totals(items: pd.DataFrame) -> pd.DataFrame:
    """Points per student and assignment, with the reasons for the items that could not be
    scored (each reason once, followed by the items it applies to)."""
    grouped = items.groupby(["student", "assignment"], sort=True)
    totals = grouped.agg(points=("points", "sum"), max_points=("max_points", "sum"))
    unscored = items[items["status"] != "scored"]
    reasons = {key: _reasons(rows) for key, rows in unscored.groupby(["student", "assignment"])}
    totals["reasons"] = [reasons.get(key, "") for key in totals.index]
    return totals.reset_index()


def _reasons(rows: pd.DataFrame) -> str:
    by_reason: dict[str, list[str]] = {}
    for reason, item, status in zip(rows["reason"], rows["item"], rows["status"], strict=True):
        by_reason.setdefault(reason, []).append("" if status == "not_graded" else item)
    return "; ".join(
        reason + (f" ({', '.join(i)})" if any(i) else "") for reason, i in by_reason.items()
    )


def _verdicts(path: Path) -> dict[str, dict]:
    """The verdicts ScoreOutsideKernel stored in an autograded notebook, by grade id."""
    try:
        notebook = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    found = {}
    for cell in notebook.get("cells", []):
        for output in cell.get("outputs", []):
            verdict = output.get("data", {}).get(OUTCOME_MIMETYPE)
            if verdict:
                found[verdict["grade_id"]] = verdict
    return found


def _why_ungraded(folder: Path, notebook: str) -> str:
    path = folder / f"{notebook}.ipynb"
    if not path.exists():
        return "no notebook submitted"
    try:
        json.loads(path.read_text(encoding="utf-8"))
    except ValueError as exc:
        return f"the notebook is not valid JSON ({exc})"
    return "nbgrader could not grade this notebook (see the autograde log)"


def _label(items: pd.DataFrame) -> pd.Series:
    return (
        items["assignment"].str.split("_").str[0]
        + " "
        + items["item"].str.replace("test_", "", regex=False)
    )


def _score_distribution(items: pd.DataFrame, path: Path) -> Path | None:
    if items.empty:
        return None
    data = items.assign(label=_label(items), fraction=items["points"] / items["max_points"])
    labels = sorted(data["label"].unique())
    fig = Figure(figsize=(max(6, 0.6 * len(labels)), 4))
    ax = fig.subplots()
    series = [data.loc[data["label"] == label, "fraction"] for label in labels]
    ax.boxplot(series, showfliers=False)
    jitter = random.Random(0)  # spread the dots of equal scores, reproducibly
    for i, values in enumerate(series, 1):
        ax.scatter([i + jitter.uniform(-0.15, 0.15) for _ in values], values, s=8, alpha=0.5)
    ax.set_xticks(range(1, len(labels) + 1), labels, rotation=60, ha="right", fontsize=8)
    ax.set_ylabel("points / max points")
    ax.set_title("Score distribution per item")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


def _missed_signals(items: pd.DataFrame, path: Path) -> Path | None:
    scored = items[(items["kind"] == "free_text") & (items["status"] == "scored")]
    counts = (
        scored.explode("missing")
        .dropna(subset=["missing"])
        .groupby(["rubric", "missing"])
        .size()
        .sort_values()
    )
    if counts.empty:
        return None
    fig = Figure(figsize=(7, max(3, 0.3 * len(counts))))
    ax = fig.subplots()
    labels = [f"{signal} ({rubric})" for rubric, signal in counts.index]
    ax.barh(labels, counts.to_numpy())
    ax.set_xlabel("free-text answers missing the signal")
    ax.set_title("Signals the class misses most")
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    return path


_CSS = """body{font-family:sans-serif;margin:2em;max-width:80em}
table{border-collapse:collapse;font-size:.85em}td,th{border:1px solid #ccc;padding:.2em .5em;
vertical-align:top}img{max-width:100%}"""
