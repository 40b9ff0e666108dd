"""Grading speed: what our scoring adds to `nbgrader autograde`, and how fast the preview is.

Autograde: the same submitted notebooks are graded with the course's test cells (answers
scored outside the kernel by our preprocessor) and with trivial test cells
(`assert type(answer_q1) is str`), in alternating rounds. nbgrader's own log, stamped in
milliseconds, gives the time each submission took; the median over all but the first
submission of a run is the cost per submission (a median, because this machine is shared and a
busy moment must not decide the result), and the first one's extra time is the one-time cost
of a run (with our scoring: compiling the scorer's rules). The overhead of our scoring per
submission must stay under 10%.

Preview: 1,000 submissions whose answers are all different (sentences of the demo class's
labeled answers, recombined), graded from the notebook files without kernels.
"""

from __future__ import annotations

import random
import re
import shutil
import statistics
import tempfile
import time
from pathlib import Path

import nbformat
import yaml

from autograder import nbgrader_cli
from autograder.demo_class import ANSWERS_FILE, answer_source
from autograder.preview import preview

COURSE = Path(__file__).resolve().parents[1]
AUTOGRADE_SUBMISSIONS = 20
AUTOGRADE_ROUNDS = 2
PREVIEW_SUBMISSIONS = 1000
MAX_OVERHEAD = 0.10
# nbgrader logs this line as it starts each submission; the format puts milliseconds first.
LOG_FORMAT = "--Application.log_format=%(relativeCreated)d %(message)s"
SUBMISSION_STARTS = re.compile(r"^(\d+) Creating/updating student", re.MULTILINE)


def run() -> list[str]:
    with tempfile.TemporaryDirectory(prefix="bench-grading-") as tmp:
        tmp = Path(tmp)
        seconds = autograde_seconds(tmp)
        rate, elapsed = preview_rate(tmp / "preview")
    (ours, ours_once), (trivial, trivial_once) = seconds["ours"], seconds["trivial"]
    overhead = ours / trivial - 1
    verdict = "ok" if overhead < MAX_OVERHEAD else f"OVER the {MAX_OVERHEAD:.0%} budget"
    return [
        f"autograde: {ours:.2f} s per submission with our scoring, {trivial:.2f} s with a "
        f"trivial test cell (medians of {AUTOGRADE_ROUNDS} x {AUTOGRADE_SUBMISSIONS - 1} "
        f"submissions): overhead {overhead:+.1%} ({verdict}); once per run: "
        f"{ours_once:+.2f} s vs {trivial_once:+.2f} s",
        f"preview: {rate:.0f} submissions per second ({PREVIEW_SUBMISSIONS} "
        f"submissions in {elapsed:.2f} s)",
    ]


def autograde_seconds(tmp: Path) -> dict[str, tuple[float, float]]:
    """{"ours"|"trivial": (median seconds per submission, extra seconds of a run's first)}."""
    roots = {"ours": tmp / "ours", "trivial": tmp / "trivial"}
    nbgrader_cli.prepare_root(COURSE, roots["ours"])
    nbgrader_cli.prepare_root(COURSE, roots["trivial"])
    for path in (roots["trivial"] / nbgrader_cli.SOURCE).glob("*/*.ipynb"):
        _make_tests_trivial(path)
    for root in roots.values():
        nbgrader_cli.generate_release(COURSE, root, copy_source=False)
    assignment = nbgrader_cli.assignment_ids(COURSE)[0]
    texts = _sentences()
    rng = random.Random(1)
    release = roots["ours"] / nbgrader_cli.RELEASE / assignment / f"{assignment}.ipynb"
    for n in range(AUTOGRADE_SUBMISSIONS):
        notebook = _filled(release, lambda: _new_answer(texts, rng))
        for root in roots.values():
            path = root / "submitted" / f"s{n:03d}" / assignment / release.name
            path.parent.mkdir(parents=True, exist_ok=True)
            nbformat.write(notebook, path)
    steady: dict[str, list[float]] = {name: [] for name in roots}
    first: dict[str, list[float]] = {name: [] for name in roots}
    for round_ in range(AUTOGRADE_ROUNDS):
        order = list(roots.items())
        for name, root in order if round_ % 2 else order[::-1]:  # alternate: cancel drift
            shutil.rmtree(root / "autograded", ignore_errors=True)
            log = nbgrader_cli.run(
                ["autograde", assignment, "--force", LOG_FORMAT], course=COURSE, root=root
            ).stderr
            starts = [int(ms) / 1000 for ms in SUBMISSION_STARTS.findall(log)]
            # the last submission has no successor to end it, so it is not counted
            durations = [end - start for start, end in zip(starts, starts[1:], strict=False)]
            first[name].append(durations[0])
            steady[name].extend(durations[1:])
    medians = {name: statistics.median(steady[name]) for name in roots}
    return {name: (medians[name], min(first[name]) - medians[name]) for name in roots}


def preview_rate(root: Path) -> tuple[float, float]:
    """(submissions per second, seconds) for the preview of PREVIEW_SUBMISSIONS notebooks."""
    nbgrader_cli.generate_release(COURSE, root)
    releases = sorted((root / nbgrader_cli.RELEASE).glob("*/*.ipynb"))
    texts = _sentences()
    rng = random.Random(2)
    for n in range(PREVIEW_SUBMISSIONS):
        release = releases[n % len(releases)]
        path = root / "submitted" / f"s{n:04d}" / release.parent.name / release.name
        path.parent.mkdir(parents=True, exist_ok=True)
        nbformat.write(_filled(release, lambda: _new_answer(texts, rng)), path)
    started = time.perf_counter()
    graded = preview(root / "submitted", root / nbgrader_cli.SOURCE)
    elapsed = time.perf_counter() - started
    assert len(graded) == PREVIEW_SUBMISSIONS and not any(s.error for s in graded)
    return PREVIEW_SUBMISSIONS / elapsed, elapsed


def _make_tests_trivial(path: Path) -> None:
    notebook = nbformat.read(path, as_version=4)
    variables = {}
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            variables["last"] = meta["grade_id"]
        elif meta.get("grade"):
            cell.source = f"assert type({variables['last']}) is str"
    nbformat.write(notebook, path)


def _filled(release: Path, answer) -> nbformat.NotebookNode:
    notebook = nbformat.read(release, as_version=4)
    for cell in notebook.cells:
        meta = cell.metadata.get("nbgrader", {})
        if meta.get("solution"):
            variable = meta["grade_id"]
            text = answer() if variable.startswith("answer") else "B"
            cell.source = answer_source(variable, text)
    return notebook


def _sentences() -> list[str]:
    data = yaml.safe_load(ANSWERS_FILE.read_text(encoding="utf-8"))
    return [
        sentence.strip() + "."
        for items in data.values()
        for labels in items.values()
        for answers in labels.values()
        for answer in answers
        for sentence in answer.split(".")
        if len(sentence.split()) > 3
    ]


def _new_answer(sentences: list[str], rng: random.Random) -> str:
    return " ".join(rng.sample(sentences, rng.randint(3, 6)))
