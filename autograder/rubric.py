"""Rubrics and rules as data: load, validate (naming the file and the field) and compile them.

A rule library (`rules/*.yaml`) defines how each signal or red flag is detected; a rubric
(`rubrics/*.yaml`) picks rules, gives each a weight and a feedback message, and may define
rules of its own inline. The engine knows nothing about any particular rule.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from functools import cache, cached_property, lru_cache
from pathlib import Path

from .yamlfile import read_yaml

PACKAGE_DIR = Path(__file__).parent
RULES_DIR = PACKAGE_DIR / "rules"
RUBRICS_DIR = PACKAGE_DIR / "rubrics"
EXTRA_RUBRICS_ENV = "AUTOGRADER_RUBRICS"

RULE_TYPES = ("pattern", "count", "conditional", "dominance")
KINDS = ("signal", "flag")
_MACRO = re.compile(r"\{\{(\w+)\}\}")
_NEGATION = r"(?:\bnot|\bno|\bnever|\bwithout|\bnobody|\bnone|n't|\bnor)\b[^,;]{0,18}$"


class RubricError(ValueError):
    """A rubric or rule file is malformed; the message names the file and the field."""


@dataclass(frozen=True)
class Cue:
    regex: re.Pattern
    weight: float = 1.0


@dataclass(frozen=True)
class Rule:
    id: str
    kind: str
    type: str
    message: str
    cues: tuple[Cue, ...]
    unless: tuple[re.Pattern, ...] = ()
    reject_before: re.Pattern | None = None
    min_count: float = 1.0
    requires_absent: tuple[str, ...] = ()
    requires_present: tuple[str, ...] = ()
    requires_any: tuple[str, ...] = ()
    min_sentence_words: int = 4
    in_last_sentences: int = 0
    opening: tuple[re.Pattern, ...] = ()
    opening_unless: tuple[re.Pattern, ...] = ()
    versus: tuple[re.Pattern, ...] = ()
    max_versus: int = 0
    examples: dict = field(default_factory=dict)
    source: str = ""


@dataclass(frozen=True)
class Criterion:
    rule: Rule
    weight: float
    feedback: str

    @property
    def id(self) -> str:
        return self.rule.id


@dataclass(frozen=True)
class Rubric:
    id: str
    version: str
    title: str
    description: str
    pass_threshold: float
    full_marks: float
    required: tuple[str, ...]
    required_cap: float
    criteria: tuple[Criterion, ...]
    max_words: int | None
    praise: str
    source: str

    @cached_property
    def matcher(self):
        """Every cue and `versus` pattern of the rubric, indexed for one fast pass."""
        from .dispatch import build

        patterns, owners = [], []
        for crit in self.criteria:
            for cue in crit.rule.cues:
                patterns.append(cue.regex)
                owners.append((crit.rule.id, cue.weight, False))
            for pattern in crit.rule.versus:
                patterns.append(pattern)
                owners.append((crit.rule.id, 1.0, True))
        return patterns, owners, build(patterns)

    @cached_property
    def dependencies(self) -> tuple[frozenset[str], dict[str, frozenset[str]]]:
        """(ids of the rubric's rules, {rule id: ids of its rules it depends on})."""
        ids = frozenset(c.id for c in self.criteria)
        return ids, {
            c.id: frozenset(c.rule.requires_absent + c.rule.requires_present + c.rule.requires_any)
            & ids
            for c in self.criteria
        }

    @property
    def signals(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.rule.kind == "signal")

    @property
    def flags(self) -> tuple[Criterion, ...]:
        return tuple(c for c in self.criteria if c.rule.kind == "flag")


def _yaml_load(path: Path):
    return read_yaml(path, RubricError)


def _require(data: dict, key: str, kind, where: str):
    if key not in data:
        raise RubricError(f"{where}.{key}: missing")
    value = data[key]
    if kind is float and isinstance(value, int) and not isinstance(value, bool):
        value = float(value)
    if not isinstance(value, kind) or isinstance(value, bool) and kind is not bool:
        name = kind.__name__ if isinstance(kind, type) else "/".join(k.__name__ for k in kind)
        raise RubricError(f"{where}.{key}: expected {name}, got {type(value).__name__} {value!r}")
    return value


def _compile(pattern, macros: dict[str, str], where: str) -> re.Pattern:
    if not isinstance(pattern, str) or not pattern:
        raise RubricError(f"{where}: expected a non-empty regex string, got {pattern!r}")

    def expand(match: re.Match) -> str:
        name = match.group(1)
        if name not in macros:
            raise RubricError(f"{where}: unknown macro {{{{{name}}}}}")
        return macros[name]

    expanded = _spaces_match_runs(_MACRO.sub(expand, _MACRO.sub(expand, pattern)))
    try:
        compiled = re.compile(expanded)
    except re.error as exc:
        raise RubricError(f"{where}: invalid regex ({exc}): {pattern!r}") from exc
    if compiled.groups:
        raise RubricError(f"{where}: use non-capturing groups (?:...) only: {pattern!r}")
    return compiled


def _spaces_match_runs(pattern: str) -> str:
    """Let a literal space in a cue match a run of spaces (a soft line wrap, double spaces)."""
    out = []
    in_class = escaped = False
    for ch in pattern:
        if escaped:
            escaped = False
        elif ch == "\\":
            escaped = True
        elif ch == "[" and not in_class:
            in_class = True
        elif ch == "]" and in_class:
            in_class = False
        elif ch == " " and not in_class:
            out.append(" +")
            continue
        out.append(ch)
    return "".join(out)


def _patterns(data: dict, key: str, macros: dict, where: str) -> tuple[re.Pattern, ...]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise RubricError(f"{where}.{key}: expected a list of regexes")
    return tuple(_compile(p, macros, f"{where}.{key}[{i}]") for i, p in enumerate(items))


def _cues(data: dict, macros: dict, where: str) -> tuple[Cue, ...]:
    items = _require(data, "cues", list, where)
    if not items:
        raise RubricError(f"{where}.cues: empty")
    cues = []
    for i, item in enumerate(items):
        spot = f"{where}.cues[{i}]"
        if isinstance(item, dict):
            weight = _require(item, "weight", float, spot)
            cues.append(Cue(_compile(item.get("pattern"), macros, f"{spot}.pattern"), weight))
        else:
            cues.append(Cue(_compile(item, macros, spot)))
    return tuple(cues)


def parse_rule(data, macros: dict[str, str], where: str) -> Rule:
    if not isinstance(data, dict):
        raise RubricError(f"{where}: expected a mapping, got {type(data).__name__}")
    rule_id = _require(data, "id", str, where)
    where = f"{where}({rule_id})"
    kind = _require(data, "kind", str, where)
    if kind not in KINDS:
        raise RubricError(f"{where}.kind: must be one of {KINDS}, got {kind!r}")
    rule_type = _require(data, "type", str, where)
    if rule_type not in RULE_TYPES:
        raise RubricError(f"{where}.type: must be one of {RULE_TYPES}, got {rule_type!r}")
    reject_before = data.get("reject_before")
    if data.get("negatable"):
        reject_before = f"(?:{reject_before})|{_NEGATION}" if reject_before else _NEGATION
    examples = data.get("examples", {})
    if not isinstance(examples, dict):
        raise RubricError(f"{where}.examples: expected a mapping with 'fire' and 'no_fire' lists")
    for key in ("fire", "no_fire"):
        if not isinstance(examples.get(key, []), list):
            raise RubricError(f"{where}.examples.{key}: expected a list of strings")
    min_count = data.get("min_count", 1)
    if not isinstance(min_count, (int, float)) or isinstance(min_count, bool):
        raise RubricError(f"{where}.min_count: expected a number, got {min_count!r}")
    for key in ("requires_absent", "requires_present", "requires_any"):
        if not isinstance(data.get(key, []), list):
            raise RubricError(f"{where}.{key}: expected a list of rule ids")
    for key, default in (("min_sentence_words", 4), ("in_last_sentences", 0)):
        value = data.get(key, default)
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            raise RubricError(f"{where}.{key}: expected a whole number >= 0, got {value!r}")
    return Rule(
        id=rule_id,
        kind=kind,
        type=rule_type,
        message=_require(data, "message", str, where),
        cues=_cues(data, macros, where),
        unless=_patterns(data, "unless", macros, where),
        reject_before=_compile(reject_before, macros, f"{where}.reject_before")
        if reject_before
        else None,
        min_count=float(min_count),
        requires_absent=tuple(data.get("requires_absent", [])),
        requires_present=tuple(data.get("requires_present", [])),
        requires_any=tuple(data.get("requires_any", [])),
        min_sentence_words=data.get("min_sentence_words", 4),
        in_last_sentences=data.get("in_last_sentences", 0),
        opening=_patterns(data, "opening", macros, where),
        opening_unless=_patterns(data, "opening_unless", macros, where),
        versus=_patterns(data, "versus", macros, where),
        max_versus=int(data.get("max_versus", 0)),
        examples=examples,
        source=where,
    )


def _macros(data: dict, where: str) -> dict[str, str]:
    macros = data.get("macros", {}) or {}
    if not isinstance(macros, dict) or not all(isinstance(v, str) for v in macros.values()):
        raise RubricError(f"{where}.macros: expected a mapping of name -> regex text")
    return macros


@cache
def rule_library() -> dict[str, Rule]:
    """Every rule in `rules/*.yaml`, by id."""
    files = sorted(RULES_DIR.glob("*.yaml"))
    raw = {path: _yaml_load(path) for path in files}
    macros: dict[str, str] = {}
    for path, data in raw.items():
        if not isinstance(data, dict):
            raise RubricError(f"{path}: expected a mapping with 'rules'")
        macros.update(_macros(data, str(path)))
    library: dict[str, Rule] = {}
    for path, data in raw.items():
        for i, item in enumerate(data.get("rules", []) or []):
            rule = parse_rule(item, macros, f"{path.name}: rules[{i}]")
            if rule.id in library:
                raise RubricError(f"{path.name}: rules[{i}].id: duplicate rule id {rule.id!r}")
            library[rule.id] = rule
    return library


def rubric_dirs() -> list[Path]:
    extra = [Path(p) for p in os.environ.get(EXTRA_RUBRICS_ENV, "").split(os.pathsep) if p]
    return [RUBRICS_DIR, *extra]


def available_rubrics() -> list[str]:
    return sorted({p.stem for d in rubric_dirs() for p in d.glob("*.yaml")})


def load_rubric(rubric) -> Rubric:
    """Return a Rubric for an id (`judgment`), a path to a YAML file, or a Rubric."""
    if isinstance(rubric, Rubric):
        return rubric
    if not isinstance(rubric, (str, os.PathLike)):
        raise RubricError(f"rubric must be an id or a path, got {type(rubric).__name__}")
    text = os.fspath(rubric)
    if text.endswith((".yaml", ".yml")) or os.sep in text:
        return _load_rubric_file(str(Path(text).resolve()))
    return _load_rubric_file(_find_rubric(text, os.environ.get(EXTRA_RUBRICS_ENV, "")))


@lru_cache(maxsize=256)
def _find_rubric(rubric_id: str, _extra_dirs: str) -> str:
    """The file of a rubric id; cached per id and extra folders because scoring a class calls
    this for every answer (an unknown id raises, so it is looked up again next time)."""
    for directory in rubric_dirs():
        candidate = directory / f"{rubric_id}.yaml"
        if candidate.exists():
            return str(candidate)
    known = ", ".join(available_rubrics())
    raise RubricError(f"unknown rubric {rubric_id!r}; known rubrics: {known}")


@cache
def _load_rubric_file(path: str) -> Rubric:
    data = _yaml_load(Path(path))
    name = Path(path).name
    if not isinstance(data, dict):
        raise RubricError(f"{name}: expected a mapping at the top level")
    library = rule_library()
    macros = _macros(data, name)
    criteria = []
    items = _require(data, "criteria", list, name)
    for i, item in enumerate(items):
        where = f"{name}: criteria[{i}]"
        if not isinstance(item, dict):
            raise RubricError(f"{where}: expected a mapping")
        crit_id = _require(item, "id", str, where)
        where = f"{where}({crit_id})"
        if "cues" in item:
            rule = parse_rule(item, macros, where)
        elif crit_id in library:
            rule = library[crit_id]
        else:
            raise RubricError(f"{where}.id: no rule {crit_id!r} in the rule library and no cues")
        weight = _require(item, "weight", float, where)
        if weight < 0:
            raise RubricError(f"{where}.weight: must be >= 0, got {weight}")
        criteria.append(Criterion(rule, weight, _require(item, "feedback", str, where)))
    ids = [c.id for c in criteria]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        raise RubricError(f"{name}: criteria: duplicate ids {duplicates}")
    for c in criteria:
        for dep in c.rule.requires_present:
            if dep not in ids:
                raise RubricError(
                    f"{name}: criteria({c.id}): depends on {dep!r}, not in this rubric"
                )
        for dep in c.rule.requires_absent:  # a rule outside the rubric is simply never present
            if dep not in ids and dep not in library:
                raise RubricError(f"{name}: criteria({c.id}): depends on unknown rule {dep!r}")
    required = tuple(data.get("required", []))
    for rid in required:
        if rid not in ids:
            raise RubricError(f"{name}: required: {rid!r} is not a criterion of this rubric")
    threshold = _require(data, "pass_threshold", float, name)
    full_marks = _require(data, "full_marks", float, name)
    if not 0 < threshold <= 1:
        raise RubricError(f"{name}: pass_threshold: must be in (0, 1], got {threshold}")
    if full_marks <= 0:
        raise RubricError(f"{name}: full_marks: must be > 0, got {full_marks}")
    max_words = data.get("max_words")
    if max_words is not None and (not isinstance(max_words, int) or max_words <= 0):
        raise RubricError(f"{name}: max_words: expected a positive integer, got {max_words!r}")
    return Rubric(
        id=_require(data, "id", str, name),
        version=str(_require(data, "version", (str, int, float), name)),
        title=_require(data, "title", str, name),
        description=data.get("description", ""),
        pass_threshold=threshold,
        full_marks=full_marks,
        required=required,
        required_cap=_require(data, "required_cap", float, name) if required else 1.0,
        criteria=tuple(criteria),
        max_words=max_words,
        praise=_require(data, "praise", str, name),
        source=path,
    )
