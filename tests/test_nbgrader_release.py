"""The committed release is nbgrader's, and nbgrader validates solutions and release."""

import json
from pathlib import Path

import pytest

from autograder import nbgrader_cli

ROOT = Path(__file__).resolve().parent.parent
ASSIGNMENTS = nbgrader_cli.assignment_ids(ROOT)

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def fresh_release(tmp_path_factory):
    root = tmp_path_factory.mktemp("release")
    log = root / "generate.log"
    release = nbgrader_cli.generate_release(ROOT, root, log=log)
    return release, log.read_text(encoding="utf-8")


def test_nbgrader_loads_the_course_config_without_errors(fresh_release):
    _release, log = fresh_release
    assert "Traceback" not in log
    assert "No nbgrader_config.py file found" not in log
    assert "Exception while loading config file" not in log


def test_committed_exercises_equal_a_fresh_generate_assignment(fresh_release):
    release, _log = fresh_release
    fresh = sorted(p.relative_to(release) for p in release.rglob("*") if p.is_file())
    committed = sorted(
        p.relative_to(ROOT / "exercises") for p in (ROOT / "exercises").rglob("*") if p.is_file()
    )
    assert fresh == committed, "run: nbgrader generate_assignment '*' --force (from the repo root)"
    for relative in fresh:
        ours = json.loads((ROOT / "exercises" / relative).read_text(encoding="utf-8"))
        theirs = json.loads((release / relative).read_text(encoding="utf-8"))
        assert ours == theirs, f"exercises/{relative} is stale: regenerate it with nbgrader"


def _validate(paths, *flags, tmp_path):
    proc = nbgrader_cli.run(["validate", *flags, *map(str, paths)], course=ROOT, root=tmp_path)
    assert proc.returncode == 0, proc.stderr[-2000:]
    return proc.stdout


def test_nbgrader_validate_passes_on_the_solutions(tmp_path):
    out = _validate(sorted((ROOT / "solutions").glob("*/*.ipynb")), tmp_path=tmp_path)
    assert out.count("Success! Your notebook passes all the tests.") == len(ASSIGNMENTS), out


def test_nbgrader_validate_invert_fails_on_the_released_notebooks(tmp_path):
    out = _validate(sorted((ROOT / "exercises").glob("*/*.ipynb")), "--invert", tmp_path=tmp_path)
    assert out.count("Success! The notebook does not pass any tests.") == len(ASSIGNMENTS), out
