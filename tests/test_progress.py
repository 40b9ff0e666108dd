"""The progress store: nothing lost under concurrent kernels, clear messages for a bad file."""

import sqlite3
import subprocess
import sys
import textwrap
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from autograder import score
from autograder.exercises import get_exercise
from autograder.progress import (
    ProgressError,
    ProgressStore,
    attempts_frame,
    default_path,
    last_attempt,
    progress_figure,
    show_progress,
)
from autograder.widget import RewriteExercise

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
ANSWER = "I'd start with precision at a fixed recall, because a missed fraud costs far more."
WRITER = textwrap.dedent(
    """
    import sys, time
    from autograder import score
    from autograder.progress import ProgressStore

    store = ProgressStore(sys.argv[1])
    result = score("I'd start with a logistic regression baseline.", "judgment")
    time.sleep(max(0.0, float(sys.argv[4]) - time.time()))  # start both writers together
    for i in range(int(sys.argv[3])):
        store.record(sys.argv[2], f"attempt {i}", result)
    """
)


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("ML_JUDGMENT_PROGRESS_DB", str(tmp_path / "default.sqlite3"))
    monkeypatch.setenv("ML_JUDGMENT_EXERCISES_DIR", str(FIXTURES))


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "progress.sqlite3", timeout=0.2)


def test_record_and_read_back(store):
    result = score(ANSWER, "judgment")
    store.record("ex-a", ANSWER, result)
    store.record("ex-b", "other", score("other", "ownership"))
    store.record("ex-a", ANSWER + " Second.", result)
    last = store.last_attempt("ex-a")
    assert last.text == ANSWER + " Second." and last.score == result.score
    assert last.passed == result.passed and last.rubric == "judgment"
    assert last.signals == tuple(result.signal_ids) and last.missing == tuple(result.missing)
    assert last.flags == tuple(result.flag_ids)
    created = datetime.fromisoformat(last.created_at)
    assert created.utcoffset().total_seconds() == 0
    assert abs((datetime.now(UTC) - created).total_seconds()) < 60
    assert store.count("ex-a") == 2 and store.count("nope") == 0
    assert store.last_attempt("nope") is None
    assert [a.exercise_id for a in store.attempts()] == ["ex-a", "ex-b", "ex-a"]


def test_database_runs_in_wal_mode(store):
    store.record("ex", ANSWER, score(ANSWER))
    with sqlite3.connect(store.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_default_path_honours_env_and_platformdirs(tmp_path, monkeypatch):
    assert default_path() == tmp_path / "default.sqlite3"
    assert ProgressStore().path == tmp_path / "default.sqlite3"
    monkeypatch.delenv("ML_JUDGMENT_PROGRESS_DB")
    path = default_path()
    assert path.name == "progress.sqlite3" and path.parent.name == "ml-judgment-course"


def test_two_processes_writing_at_once_lose_nothing(tmp_path):
    db = tmp_path / "shared.sqlite3"
    start = str(time.time() + 2)
    procs = [
        subprocess.Popen(
            [sys.executable, "-c", WRITER, str(db), name, "200", start], stderr=subprocess.PIPE
        )
        for name in ("kernel-1", "kernel-2")
    ]
    errors = [p.communicate(timeout=90)[1].decode() for p in procs]
    assert [p.returncode for p in procs] == [0, 0], errors
    store = ProgressStore(db)
    assert store.count("kernel-1") == 200 and store.count("kernel-2") == 200
    texts = {a.text for a in store.attempts("kernel-1")}
    assert texts == {f"attempt {i}" for i in range(200)}


def test_corrupt_file_gives_a_clear_message(store):
    store.path.write_bytes(b"this is not a database " * 200)
    with pytest.raises(ProgressError, match="not a readable progress database"):
        store.record("ex", ANSWER, score(ANSWER))
    with pytest.raises(ProgressError, match="Move the file away"):
        store.last_attempt("ex")


def test_corrupt_file_exercise_still_works(store):
    store.path.write_bytes(b"\x00garbage" * 500)
    w = RewriteExercise(get_exercise("fixture-fraud-metric"), store)
    assert "not a readable progress database" in w.feedback.value
    w.textarea.value = w.exercise.model_answer
    w.check_button.click()
    assert "Score" in w.feedback.value and "<mark" in w.feedback.value
    assert "Progress is not being saved" in w.feedback.value


def test_locked_database_exercise_still_works(store):
    store.record("other", ANSWER, score(ANSWER))
    locker = sqlite3.connect(store.path, isolation_level=None)
    locker.execute("BEGIN EXCLUSIVE")
    try:
        w = RewriteExercise(get_exercise("fixture-fraud-metric"), store)
        w.textarea.value = w.exercise.model_answer
        w.check_button.click()
        out = w.feedback.value
    finally:
        locker.execute("ROLLBACK")
        locker.close()
    assert "Score" in out and "<mark" in out
    assert "is locked by another program" in out
    assert store.count("fixture-fraud-metric") == 0


def test_unwritable_location_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    store = ProgressStore(blocker / "progress.sqlite3")
    with pytest.raises(ProgressError, match="cannot create"):
        store.last_attempt("ex")


def test_frame_figure_and_show_progress(store, capsys):
    assert show_progress(store) is None
    assert "No attempts yet" in capsys.readouterr().out
    for text in ("I would use accuracy.", ANSWER, ANSWER + " I'd monitor drift weekly."):
        store.record("ex-a", text, score(text, "judgment"))
    store.record("ex-b", "We built it.", score("We built it.", "ownership"))
    frame = attempts_frame(store)
    assert list(frame["attempt"]) == [1, 2, 3, 1]
    assert {"exercise_id", "created_at", "text", "score", "passed", "signals", "missing"} <= set(
        frame.columns
    )
    assert str(frame["created_at"].dt.tz) == "UTC"
    fig = progress_figure(frame)
    assert len(fig.axes) == 2
    assert fig.axes[0].get_legend_handles_labels()[1] == ["ex-a", "ex-b"]
    assert show_progress(store) is not None
    assert "ex-a" in capsys.readouterr().out


def test_module_helpers_use_the_default_store(monkeypatch, tmp_path):
    ProgressStore().record("ex-d", ANSWER, score(ANSWER))
    assert last_attempt("ex-d").text == ANSWER
    assert len(attempts_frame()) == 1
