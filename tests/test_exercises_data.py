"""Exercise data: the loader's error reporting, and the course's own exercise files."""

import json
import re
from pathlib import Path

import pytest

from autograder import load_rubric, score
from autograder.cli import main
from autograder.exercises import (
    EXERCISES_DIR,
    PUSHBACKS_FILE,
    SECTIONS,
    ExerciseError,
    ExerciseWarning,
    get_exercise,
    load_catalog,
    load_exercises,
    load_pushbacks,
    load_self_checks,
)
from autograder.rubric import rule_library

ROOT = Path(__file__).parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
MIN_EXERCISES = 20
MIN_PER_SECTION = 3
MIN_MARGIN = 0.3  # model answer over weak answer
CATALOG = load_catalog(EXERCISES_DIR)
EXERCISES = sorted(CATALOG.exercises.values(), key=lambda ex: ex.id)
VALID = (FIXTURES / "judgment.yaml").read_text(encoding="utf-8")


def _write(folder: Path, name: str, text: str) -> Path:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


# --- the loader ---------------------------------------------------------------------------


def test_fixture_loads():
    catalog = load_catalog(FIXTURES)
    assert catalog.errors == []
    ex = catalog.exercises["fixture-fraud-metric"]
    assert ex.section == "judgment" and ex.rubric == "judgment" and len(ex.hints) == 2
    check = catalog.self_checks["fixture-check"]
    assert [item.label for item in check.items] == ["strong", "weak"]


def test_broken_file_does_not_stop_the_others(tmp_path):
    _write(tmp_path, "judgment.yaml", VALID)
    _write(tmp_path, "ownership.yaml", "section: ownership\nexercises: [\n  - broken")
    with pytest.warns(ExerciseWarning, match="ownership.yaml: not valid YAML"):
        exercises = load_exercises(tmp_path)
    assert set(exercises) == {"fixture-fraud-metric", "fixture-churn-baseline"}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            'rubric: judgment\n    question: "Which',
            'rubric: judgement\n    question: "Which',
            r"exercises\[0\]\.rubric: expected one of judgment, ownership, recovery, got 'judgement'",
        ),
        (
            "    title: Pick a metric for card fraud\n",
            "",
            r"exercises\[0\]\.title: expected non-empty text, missing",
        ),
        (
            "id: fixture-fraud-metric",
            "id: Fixture Fraud",
            r"exercises\[0\]\.id: 'Fixture Fraud' must be lower-case",
        ),
        (
            '    hints:\n      - "What does',
            '    hint:\n      - "What does',
            r"exercises\[0\]\.hint: unknown field",
        ),
        ("label: weak", "label: meh", r"self_checks\[0\]\.items\[1\]\.label: expected one of"),
        ("section: judgment", "section: judgement", r"section: expected one of judgment"),
    ],
)
def test_malformed_entries_name_file_and_field(tmp_path, old, new, expected):
    assert old in VALID
    path = _write(tmp_path, "judgment.yaml", VALID.replace(old, new, 1))
    catalog = load_catalog(tmp_path)
    assert len(catalog.errors) == 1
    assert str(path) in catalog.errors[0]
    assert re.search(expected, catalog.errors[0]), catalog.errors[0]
    if "section" not in old:
        assert catalog.exercises or catalog.self_checks  # the rest of the file still loads


def test_duplicate_ids_across_files_are_reported(tmp_path):
    _write(tmp_path, "judgment.yaml", VALID)
    copy = VALID.replace("section: judgment", "section: recovery")
    other = _write(tmp_path, "recovery.yaml", copy)
    catalog = load_catalog(tmp_path)
    assert len(catalog.errors) == 3
    assert all(str(other) in e and "duplicate id" in e for e in catalog.errors)
    assert all(ex.section == "judgment" for ex in catalog.exercises.values())


def test_empty_and_odd_files(tmp_path):
    _write(tmp_path, "judgment.yaml", "")
    _write(tmp_path, "ownership.yaml", "- a list\n")
    _write(tmp_path, "recovery.yaml", "section: recovery\nexercises: {}\nextra: 1\n")
    errors = load_catalog(tmp_path).errors
    assert any("judgment.yaml: the file is empty" in e for e in errors)
    assert any("ownership.yaml: expected a mapping" in e for e in errors)
    assert any("recovery.yaml: exercises: expected a list" in e for e in errors)
    assert any("recovery.yaml: extra: unknown field" in e for e in errors)
    assert "no exercise files" in load_catalog(tmp_path / "missing").errors[0]


def test_get_exercise_unknown_id_lists_known_ones():
    assert get_exercise("fixture-churn-baseline", FIXTURES).rubric == "judgment"
    with pytest.raises(ExerciseError, match="no exercise with id 'nope'; known ids: fixture-fraud"):
        get_exercise("nope", FIXTURES)


def test_env_var_points_at_another_folder(monkeypatch):
    monkeypatch.setenv("ML_JUDGMENT_EXERCISES_DIR", str(FIXTURES))
    assert "fixture-check" in load_self_checks()
    assert get_exercise("fixture-fraud-metric").source.endswith("judgment.yaml")


def test_cli_lists_exercises(monkeypatch, capsys):
    monkeypatch.setenv("ML_JUDGMENT_EXERCISES_DIR", str(FIXTURES))
    assert main(["exercises", "--json"]) == 0
    rows = json.loads(capsys.readouterr().out)
    assert rows[0] == {
        "id": "fixture-fraud-metric",
        "section": "judgment",
        "rubric": "judgment",
        "question": "Which metric would you optimize for a card-fraud detection model, and why?",
    }
    assert main(["exercises"]) == 0
    table = capsys.readouterr().out.splitlines()
    assert table[0].split() == ["id", "section", "rubric", "question"]
    assert table[1].startswith("fixture-fraud-metric")


def test_cli_reports_broken_files_and_fails(tmp_path, monkeypatch, capsys):
    _write(tmp_path, "judgment.yaml", VALID)
    _write(tmp_path, "ownership.yaml", "section: ownership\nexercises: [{id: x}]\n")
    monkeypatch.setenv("ML_JUDGMENT_EXERCISES_DIR", str(tmp_path))
    assert main(["exercises"]) == 1
    out, err = capsys.readouterr()
    assert "fixture-fraud-metric" in out
    assert "ownership.yaml: exercises[0]" in err


# --- the course's exercise files --------------------------------------------------------------


def test_every_exercise_file_loads():
    assert CATALOG.errors == []


def test_ids_are_unique_across_files():
    import yaml

    ids = []
    for path in sorted(EXERCISES_DIR.glob("*.yaml")):
        if path.name != PUSHBACKS_FILE:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
            ids += [item.get("id") for item in data.get("exercises", []) if isinstance(item, dict)]
    assert len(ids) == len(set(ids))


def test_enough_exercises():
    assert len(EXERCISES) >= MIN_EXERCISES


@pytest.mark.parametrize("section", SECTIONS)
def test_each_section_has_exercises_and_a_self_check(section):
    assert (EXERCISES_DIR / f"{section}.yaml").exists()
    assert sum(ex.section == section for ex in EXERCISES) >= MIN_PER_SECTION
    checks = [c for c in CATALOG.self_checks.values() if c.section == section]
    assert checks
    labels = {item.label for check in checks for item in check.items}
    assert labels == {"strong", "weak"}


@pytest.mark.parametrize("ex", EXERCISES, ids=lambda ex: ex.id)
def test_model_answer_passes_and_beats_the_weak_answer(ex):
    model = score(ex.model_answer, ex.rubric, ex.question)
    weak = score(ex.weak_answer, ex.rubric, ex.question)
    assert model.passed, f"{ex.id} ({ex.source}): model answer scored {model.score}\n" + (
        model.to_text()
    )
    assert not weak.passed, f"{ex.id}: the weak answer passes ({weak.score})"
    assert model.score - weak.score >= MIN_MARGIN, (ex.id, model.score, weak.score)


def test_pushbacks_cover_every_rubric_signal():
    pushbacks = load_pushbacks()
    library = rule_library()
    assert set(pushbacks.challenges) <= {i for i, r in library.items() if r.kind == "signal"}
    for rubric_id in ("judgment", "ownership"):
        weighted = {c.id for c in load_rubric(rubric_id).signals if c.weight > 0}
        assert weighted <= set(pushbacks.challenges), rubric_id


def test_a_course_notebook_shows_a_rewrite_exercise():
    """The browser test opens a real course notebook: one must call exercise("<known id>")."""
    found = []
    for path in sorted((ROOT / "course").glob("*.ipynb")):
        found += re.findall(r"\bexercise\(\\?[\"']([a-z0-9_-]+)\\?[\"']", path.read_text("utf-8"))
    assert any(i in CATALOG.exercises for i in found), found
