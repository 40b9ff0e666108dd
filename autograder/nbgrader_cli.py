"""Run nbgrader commands on this course the way its instructor does.

`make demo-class`, the tests and the benchmark all grade in a course root of their own (a copy
of solutions/ plus nbgrader's working folders), so nothing they do touches the committed
exercises/ or a real class. The course's nbgrader_config.py still applies because nbgrader runs
from the course folder; only the root moves (`--CourseDirectory.root`, which the command line
lets override the config file).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

CONFIG_FILE = "nbgrader_config.py"
SOURCE = "solutions"
RELEASE = "exercises"


def run(
    args: list[str],
    *,
    course: Path,
    root: Path,
    log: Path | None = None,
    timeout: float | None = None,
) -> subprocess.CompletedProcess:
    """Run `nbgrader ARGS` for the course in `course` with its root at `root`; never raises
    on a non-zero exit (autograde exits 1 when any submission failed, which is expected)."""
    env = dict(os.environ)
    # nbgrader creates the gradebook by running `alembic` from PATH: use this environment's.
    env["PATH"] = os.pathsep.join([str(Path(sys.executable).parent), env.get("PATH", "")])
    env.pop("NBGRADER_EXECUTION", None)
    command = [sys.executable, "-m", "nbgrader", *args, f"--CourseDirectory.root={root}"]
    proc = subprocess.run(
        command, cwd=course, env=env, capture_output=True, text=True, timeout=timeout, check=False
    )
    if log is not None:
        log.parent.mkdir(parents=True, exist_ok=True)
        log.write_text(
            f"$ {' '.join(command)}\n[exit {proc.returncode}]\n{proc.stdout}{proc.stderr}",
            encoding="utf-8",
        )
    return proc


def assignment_ids(course: Path) -> list[str]:
    """The assignments written in the course's source folder."""
    return sorted(p.parent.name for p in (course / SOURCE).glob("*/*.ipynb"))


def prepare_root(course: Path, root: Path) -> None:
    """Make `root` a course root holding a fresh copy of the course's assignments."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(root / SOURCE, ignore_errors=True)
    shutil.copytree(
        course / SOURCE,
        root / SOURCE,
        ignore=shutil.ignore_patterns(".ipynb_checkpoints", "__pycache__"),
    )


def generate_release(
    course: Path, root: Path, log: Path | None = None, *, copy_source: bool = True
) -> Path:
    """`nbgrader generate_assignment` for every assignment, into `root`/exercises; with
    `copy_source=False` from the assignments already in `root`/solutions."""
    if copy_source:
        prepare_root(course, root)
    proc = run(["generate_assignment", "*", "--force"], course=course, root=root, log=log)
    if proc.returncode != 0:
        raise RuntimeError(f"nbgrader generate_assignment failed:\n{proc.stderr[-3000:]}")
    return root / RELEASE
