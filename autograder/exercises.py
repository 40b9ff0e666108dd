"""Practice exercises and self-checks as data: `autograder/exercises/<section>.yaml`.

Each file is validated entry by entry. A malformed file or entry is reported with its file and
field and skipped, so one typo never hides the rest of the course; the CLI and the data tests
turn those reports into failures.
"""

from __future__ import annotations

import os
import re
import warnings
from collections.abc import Collection, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .yamlfile import read_yaml

EXERCISES_DIR = Path(__file__).parent / "exercises"
EXERCISES_ENV = "ML_JUDGMENT_EXERCISES_DIR"
PUSHBACKS_FILE = "pushbacks.yaml"
SECTIONS = ("judgment", "ownership", "weak_vs_strong", "recovery", "capstone")
RUBRICS = ("judgment", "ownership", "recovery")
LABELS = ("strong", "weak")
_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_FILE_KEYS = {"section", "exercises", "self_checks"}
_EXERCISE_KEYS = {"id", "title", "rubric", "question", "weak_answer", "model_answer", "hints"}
_CHECK_KEYS = {"id", "instructions", "items"}
_ITEM_KEYS = {"answer", "label", "why"}


class ExerciseError(ValueError):
    """An exercise file is malformed or an id is unknown; the message names file and field."""


class ExerciseWarning(UserWarning):
    """A malformed exercise file or entry was skipped while listing."""


@dataclass(frozen=True)
class Exercise:
    id: str
    section: str
    title: str
    rubric: str
    question: str
    weak_answer: str
    model_answer: str
    hints: tuple[str, ...] = ()
    source: str = ""


@dataclass(frozen=True)
class CheckItem:
    answer: str
    label: str
    why: str


@dataclass(frozen=True)
class SelfCheckSet:
    id: str
    section: str
    instructions: str
    items: tuple[CheckItem, ...]
    source: str = ""


@dataclass
class Catalog:
    exercises: dict[str, Exercise] = field(default_factory=dict)
    self_checks: dict[str, SelfCheckSet] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class Pushbacks:
    """Interviewer challenges keyed by the signal an answer lacks, plus generic fallbacks."""

    challenges: dict[str, tuple[str, ...]]
    fallback: tuple[str, ...]


def exercises_dir() -> Path:
    """The packaged exercises, unless ML_JUDGMENT_EXERCISES_DIR points a teacher at their own."""
    return Path(os.environ.get(EXERCISES_ENV) or EXERCISES_DIR)


def load_catalog(directory: str | Path | None = None) -> Catalog:
    """Every valid exercise and self-check, and one message per problem found."""
    folder = Path(directory) if directory is not None else exercises_dir()
    catalog = Catalog()
    paths = sorted(p for p in folder.glob("*.yaml") if p.name != PUSHBACKS_FILE)
    if not paths:
        catalog.errors.append(f"{folder}: no exercise files (*.yaml) found")
    for path in paths:
        try:
            _load_file(path, catalog)
        except ExerciseError as exc:
            catalog.errors.append(str(exc))
    return catalog


def load_exercises(directory: str | Path | None = None) -> dict[str, Exercise]:
    """Exercises by id, in file order; problems are reported as `ExerciseWarning`s."""
    catalog = load_catalog(directory)
    _warn(catalog.errors)
    return catalog.exercises


def load_self_checks(directory: str | Path | None = None) -> dict[str, SelfCheckSet]:
    """Self-checks by id; problems are reported as `ExerciseWarning`s."""
    catalog = load_catalog(directory)
    _warn(catalog.errors)
    return catalog.self_checks


def get_exercise(exercise_id: str, directory: str | Path | None = None) -> Exercise:
    catalog = load_catalog(directory)
    if exercise_id in catalog.exercises:
        return catalog.exercises[exercise_id]
    raise ExerciseError(_unknown("exercise", exercise_id, catalog.exercises, catalog.errors))


def get_self_check(check_id: str, directory: str | Path | None = None) -> SelfCheckSet:
    catalog = load_catalog(directory)
    if check_id in catalog.self_checks:
        return catalog.self_checks[check_id]
    raise ExerciseError(_unknown("self-check", check_id, catalog.self_checks, catalog.errors))


def load_pushbacks(path: str | Path | None = None) -> Pushbacks:
    path = Path(path) if path is not None else EXERCISES_DIR / PUSHBACKS_FILE
    data = _read_yaml(path)
    where = str(path)
    if not isinstance(data, dict):
        raise ExerciseError(f"{where}: expected a mapping with 'challenges' and 'fallback'")
    challenges = data.get("challenges")
    if not isinstance(challenges, dict) or not challenges:
        raise ExerciseError(f"{where}: challenges: expected a mapping of signal id -> texts")
    parsed = {
        str(key): _strings(texts, f"{where}: challenges.{key}", min_items=1)
        for key, texts in challenges.items()
    }
    fallback = _strings(data.get("fallback"), f"{where}: fallback", min_items=1)
    return Pushbacks(parsed, fallback)


def choose_pushback(
    missing: Sequence[str], used: Collection[str] = (), pushbacks: Pushbacks | None = None
) -> str:
    """The interviewer's next challenge, aimed at the most valuable missing signal.

    `missing` comes most valuable first (as in `Result.missing`); the first challenge not used
    yet wins, so repeated rounds press on new gaps. Deterministic: same inputs, same question.
    """
    pushbacks = pushbacks or load_pushbacks()
    for signal_id in missing:
        for text in pushbacks.challenges.get(signal_id, ()):
            if text not in used:
                return text
    for text in pushbacks.fallback:
        if text not in used:
            return text
    return pushbacks.fallback[0]


def _load_file(path: Path, catalog: Catalog) -> None:
    data = _read_yaml(path)
    where = str(path)
    if not isinstance(data, dict):
        raise ExerciseError(f"{where}: expected a mapping with section, exercises, self_checks")
    for key in sorted(set(data) - _FILE_KEYS):
        catalog.errors.append(f"{where}: {key}: unknown field (expected {_keys(_FILE_KEYS)})")
    section = data.get("section")
    if section not in SECTIONS:
        raise ExerciseError(f"{where}: section: expected one of {_keys(SECTIONS)}, got {section!r}")
    _add_entries(catalog.exercises, catalog.errors, data, "exercises", _exercise, section, where)
    _add_entries(
        catalog.self_checks, catalog.errors, data, "self_checks", _self_check, section, where
    )


def _exercise(item, section: str, at: str, source: str) -> Exercise:
    _mapping(item, _EXERCISE_KEYS, at)
    rubric = _text(item, "rubric", at)
    if rubric not in RUBRICS:
        raise ExerciseError(f"{at}.rubric: expected one of {_keys(RUBRICS)}, got {rubric!r}")
    return Exercise(
        id=_id(item, at),
        section=section,
        title=_text(item, "title", at),
        rubric=rubric,
        question=_text(item, "question", at),
        weak_answer=_text(item, "weak_answer", at),
        model_answer=_text(item, "model_answer", at),
        hints=_strings(item.get("hints", []), f"{at}.hints"),
        source=source,
    )


def _self_check(item, section: str, at: str, source: str) -> SelfCheckSet:
    _mapping(item, _CHECK_KEYS, at)
    raw_items = item.get("items")
    if not isinstance(raw_items, list) or not raw_items:
        raise ExerciseError(f"{at}.items: expected a non-empty list of {{answer, label, why}}")
    items = []
    for j, raw in enumerate(raw_items):
        where = f"{at}.items[{j}]"
        _mapping(raw, _ITEM_KEYS, where)
        label = _text(raw, "label", where)
        if label not in LABELS:
            raise ExerciseError(f"{where}.label: expected one of {_keys(LABELS)}, got {label!r}")
        items.append(CheckItem(_text(raw, "answer", where), label, _text(raw, "why", where)))
    return SelfCheckSet(
        _id(item, at), section, _text(item, "instructions", at), tuple(items), source
    )


def _read_yaml(path: Path):
    data = read_yaml(path, ExerciseError)
    if data is None:
        raise ExerciseError(f"{path}: the file is empty")
    return data


def _add_entries(found: dict, errors: list, data, key, parse, section, where) -> None:
    """Parse each entry of `data[key]`; a bad or duplicate entry is reported, the rest load."""
    for i, item in enumerate(_entries(data, key, where)):
        at = f"{where}: {key}[{i}]"
        try:
            entry = parse(item, section, at, where)
        except ExerciseError as exc:
            errors.append(str(exc))
            continue
        if entry.id in found:
            first = found[entry.id].source
            errors.append(f"{at}.id: duplicate id {entry.id!r} (first defined in {first})")
            continue
        found[entry.id] = entry


def _entries(data: dict, key: str, where: str) -> list:
    value = data.get(key, [])
    if not isinstance(value, list):
        raise ExerciseError(f"{where}: {key}: expected a list, got {type(value).__name__}")
    return value


def _mapping(item, allowed: set[str], at: str) -> None:
    if not isinstance(item, dict):
        raise ExerciseError(f"{at}: expected a mapping, got {type(item).__name__} {item!r:.60}")
    unknown = sorted(set(item) - allowed, key=str)
    if unknown:
        raise ExerciseError(f"{at}.{unknown[0]}: unknown field (expected {_keys(allowed)})")


def _text(item: dict, key: str, at: str) -> str:
    value = item.get(key)
    if not isinstance(value, str) or not value.strip():
        got = "missing" if key not in item else f"got {type(value).__name__} {value!r:.60}"
        raise ExerciseError(f"{at}.{key}: expected non-empty text, {got}")
    return value.strip()


def _id(item: dict, at: str) -> str:
    value = _text(item, "id", at)
    if not _ID.match(value):
        raise ExerciseError(f"{at}.id: {value!r} must be lower-case letters, digits, - or _")
    return value


def _strings(value, at: str, min_items: int = 0) -> tuple[str, ...]:
    if not isinstance(value, list):
        raise ExerciseError(f"{at}: expected a list of texts, got {value!r:.60}")
    if len(value) < min_items:
        raise ExerciseError(f"{at}: expected at least {min_items} text(s), got {len(value)}")
    for i, text in enumerate(value):
        if not isinstance(text, str) or not text.strip():
            raise ExerciseError(f"{at}[{i}]: expected non-empty text, got {text!r:.60}")
    return tuple(text.strip() for text in value)


def _keys(keys) -> str:
    return ", ".join(sorted(keys)) if isinstance(keys, set) else ", ".join(keys)


def _unknown(kind: str, wanted: str, known: dict, errors: list[str]) -> str:
    message = f"no {kind} with id {wanted!r}; known ids: {', '.join(known) or 'none'}"
    if errors:
        message += "; problems found while loading: " + "; ".join(errors)
    return message


def _warn(errors: list[str]) -> None:
    for message in errors:
        warnings.warn(message, ExerciseWarning, stacklevel=3)
