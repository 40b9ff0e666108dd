"""Every attempt a learner makes, kept in SQLite so progress survives kernel restarts.

Several kernels (two notebooks, a Voila tab) may write at once: the database runs in WAL mode
with a busy timeout, and every operation opens a short-lived connection and commits at once.
A corrupt or locked file raises `ProgressError` with a message meant for the learner; the
widgets show it and keep working without saving.
"""

from __future__ import annotations

import json
import os
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from .result import Result

APP_NAME = "ml-judgment-course"
DB_ENV = "ML_JUDGMENT_PROGRESS_DB"
DB_NAME = "progress.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = (
    """CREATE TABLE IF NOT EXISTS attempts (
        id INTEGER PRIMARY KEY,
        exercise_id TEXT NOT NULL,
        created_at TEXT NOT NULL,
        text TEXT NOT NULL,
        score REAL NOT NULL,
        passed INTEGER NOT NULL,
        rubric TEXT NOT NULL,
        signals TEXT NOT NULL,
        flags TEXT NOT NULL,
        missing TEXT NOT NULL
    )""",
    "CREATE INDEX IF NOT EXISTS attempts_by_exercise ON attempts (exercise_id, id)",
)
_COLUMNS = "exercise_id, created_at, text, score, passed, rubric, signals, flags, missing"


class ProgressError(RuntimeError):
    """Progress could not be read or saved; the message says why and what to do."""


@dataclass(frozen=True)
class Attempt:
    exercise_id: str
    created_at: str  # UTC, ISO 8601
    text: str
    score: float
    passed: bool
    rubric: str
    signals: tuple[str, ...]
    flags: tuple[str, ...]
    missing: tuple[str, ...]


def default_path() -> Path:
    """ML_JUDGMENT_PROGRESS_DB if set, else the per-user data folder of the OS."""
    override = os.environ.get(DB_ENV)
    if override:
        return Path(override).expanduser()
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False)) / DB_NAME


class ProgressStore:
    """Attempts in one SQLite file; safe to share between processes."""

    def __init__(self, path: str | Path | None = None, timeout: float = 5.0):
        self.path = Path(path) if path is not None else default_path()
        self.timeout = timeout
        self._ready = False

    def record(self, exercise_id: str, text: str, result: Result) -> Attempt:
        attempt = Attempt(
            exercise_id=exercise_id,
            created_at=datetime.now(UTC).isoformat(timespec="milliseconds"),
            text=text,
            score=float(result.score),
            passed=bool(result.passed),
            rubric=result.rubric_id,
            signals=tuple(result.signal_ids),
            flags=tuple(result.flag_ids),
            missing=tuple(result.missing),
        )
        row = (
            attempt.exercise_id,
            attempt.created_at,
            attempt.text,
            attempt.score,
            int(attempt.passed),
            attempt.rubric,
            json.dumps(attempt.signals),
            json.dumps(attempt.flags),
            json.dumps(attempt.missing),
        )
        with self._connect() as conn, _transaction(conn):
            conn.execute(f"INSERT INTO attempts ({_COLUMNS}) VALUES (?,?,?,?,?,?,?,?,?)", row)
        return attempt

    def attempts(self, exercise_id: str | None = None) -> list[Attempt]:
        """All attempts, oldest first, optionally for one exercise."""
        query = f"SELECT {_COLUMNS} FROM attempts"
        args: tuple = ()
        if exercise_id is not None:
            query += " WHERE exercise_id = ?"
            args = (exercise_id,)
        with self._connect() as conn:
            rows = conn.execute(query + " ORDER BY id", args).fetchall()
        return [_attempt(row) for row in rows]

    def last_attempt(self, exercise_id: str) -> Attempt | None:
        with self._connect() as conn:
            row = conn.execute(
                f"SELECT {_COLUMNS} FROM attempts WHERE exercise_id = ? ORDER BY id DESC LIMIT 1",
                (exercise_id,),
            ).fetchone()
        return _attempt(row) if row else None

    def count(self, exercise_id: str) -> int:
        with self._connect() as conn:
            sql = "SELECT COUNT(*) FROM attempts WHERE exercise_id = ?"
            return conn.execute(sql, (exercise_id,)).fetchone()[0]

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        conn = None
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            conn = sqlite3.connect(self.path, timeout=self.timeout, isolation_level=None)
            if not self._ready:
                self._create_schema(conn)
            yield conn
        except sqlite3.DatabaseError as exc:
            raise ProgressError(self._explain(exc)) from exc
        except OSError as exc:
            raise ProgressError(
                f"Progress is not being saved: cannot create {self.path} ({exc}). "
                f"Set {DB_ENV} to a writable file."
            ) from exc
        finally:
            if conn is not None:
                conn.close()

    def _create_schema(self, conn: sqlite3.Connection) -> None:
        self._enable_wal(conn)
        with _transaction(conn):
            (version,) = conn.execute("PRAGMA user_version").fetchone()
            if version > SCHEMA_VERSION:
                raise ProgressError(
                    f"Progress is not being saved: {self.path} was written by a newer version "
                    f"of the course (schema {version}). Update the course or set {DB_ENV}."
                )
            for statement in _SCHEMA:
                conn.execute(statement)
            conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
        self._ready = True

    def _enable_wal(self, conn: sqlite3.Connection) -> None:
        """Switch to WAL, retrying: SQLite reports the switch as locked at once, without waiting
        for its busy timeout, while another connection has the file open."""
        deadline = time.monotonic() + self.timeout
        while True:
            try:
                conn.execute("PRAGMA journal_mode=WAL").fetchone()
                return
            except sqlite3.OperationalError as exc:
                if "locked" not in str(exc) or time.monotonic() > deadline:
                    raise
                time.sleep(0.02)

    def _explain(self, exc: sqlite3.DatabaseError) -> str:
        reason = str(exc).lower()
        if "locked" in reason or "busy" in reason:
            return (
                f"Progress is not being saved: {self.path} is locked by another program "
                "(a database browser or a stuck kernel?). Your answer was still checked; "
                "close the other program and check again to save."
            )
        if "not a database" in reason or "malformed" in reason or "corrupt" in reason:
            return (
                f"Progress is not being saved: {self.path} is not a readable progress database "
                "(it may be corrupt). Your answer was still checked. Move the file away (a new "
                f"one is created on the next check) or set {DB_ENV} to another file."
            )
        return f"Progress is not being saved ({self.path}): {exc}"


@contextmanager
def _transaction(conn: sqlite3.Connection) -> Iterator[None]:
    """Take the write lock up front (BEGIN IMMEDIATE): SQLite then waits its busy timeout for
    other writers, where a deferred transaction upgrading to a write could fail at once."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def default_store() -> ProgressStore:
    return ProgressStore()


def last_attempt(exercise_id: str, store: ProgressStore | None = None) -> Attempt | None:
    return (store or default_store()).last_attempt(exercise_id)


def attempts_frame(store: ProgressStore | None = None):
    """All attempts as a pandas DataFrame, one row per attempt, numbered per exercise."""
    import pandas as pd

    rows = [vars(a) for a in (store or default_store()).attempts()]
    columns = list(Attempt.__dataclass_fields__)
    frame = pd.DataFrame(rows, columns=columns)
    frame["created_at"] = pd.to_datetime(frame["created_at"], utc=True)
    frame["attempt"] = frame.groupby("exercise_id").cumcount() + 1
    return frame


def progress_figure(frame):
    """Score per attempt for each exercise, and the signals still missing in latest attempts."""
    from matplotlib.figure import Figure

    fig = Figure(figsize=(11, 4.2), layout="constrained")
    scores, gaps = fig.subplots(1, 2, width_ratios=(3, 2))
    for exercise_id, group in frame.groupby("exercise_id", sort=False):
        scores.plot(group["attempt"], group["score"], marker="o", label=exercise_id)
    for threshold in _pass_thresholds(frame["rubric"].unique()):
        scores.axhline(threshold, color="grey", linestyle="--", linewidth=1)
    scores.set(title="Score per attempt", xlabel="attempt", ylabel="score", ylim=(0, 1.05))
    scores.xaxis.get_major_locator().set_params(integer=True)
    if len(frame):
        scores.legend(fontsize="small", loc="lower right")
    latest = frame.groupby("exercise_id").tail(1)
    counts = latest["missing"].explode().dropna().value_counts().sort_values()
    if counts.empty:
        gaps.text(0.5, 0.5, "Nothing missing in your latest attempts", ha="center")
        gaps.set_axis_off()
    else:
        gaps.barh([str(i).replace("_", " ") for i in counts.index], counts.to_numpy())
        gaps.set(title="Still missing (latest attempt per exercise)", xlabel="exercises")
        gaps.xaxis.get_major_locator().set_params(integer=True)
    return fig


def show_progress(store: ProgressStore | None = None):
    """Display a per-exercise summary table and the progress charts; return the figure."""
    import io

    from IPython.display import Image, display

    frame = attempts_frame(store)
    if frame.empty:
        print("No attempts yet: check an exercise answer and come back.")
        return None
    summary = frame.groupby("exercise_id").agg(
        attempts=("score", "size"),
        best=("score", "max"),
        last=("score", "last"),
        passed=("passed", "any"),
        last_try=("created_at", "max"),
    )
    display(summary)
    fig = progress_figure(frame)
    png = io.BytesIO()
    fig.savefig(png, format="png", dpi=100)
    display(Image(png.getvalue()))
    return fig


def _pass_thresholds(rubric_ids) -> set[float]:
    from . import RUBRIC_IDS
    from .rubric import load_rubric

    return {load_rubric(r).pass_threshold for r in rubric_ids if r in RUBRIC_IDS}


def _attempt(row) -> Attempt:
    exercise_id, created_at, text, score, passed, rubric, signals, flags, missing = row
    return Attempt(
        exercise_id,
        created_at,
        text,
        score,
        bool(passed),
        rubric,
        tuple(json.loads(signals)),
        tuple(json.loads(flags)),
        tuple(json.loads(missing)),
    )
