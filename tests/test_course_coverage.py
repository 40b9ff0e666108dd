"""The course notebooks: coverage of the source articles, structure, exercise ids, clean saves.

`course/checklist.yaml` lists every teaching point of the two source articles. Each point names
the notebook that teaches it, and that notebook must contain a markdown cell tagged
`teaches:<point id>`. The copy check proves no notebook or exercise file repeats a 12-word run
of either article, using fingerprints (tests/data/source_articles_12grams.txt) so the articles'
text never has to live in this repository.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from functools import cache
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).parent.parent
COURSE = ROOT / "course"
EXERCISES_DIR = ROOT / "autograder" / "exercises"
CHECKLIST = COURSE / "checklist.yaml"
FINGERPRINTS = Path(__file__).parent / "data" / "source_articles_12grams.txt"
# Where the articles themselves live on the authors' machines; used in addition to the
# fingerprints when present (ML_JUDGMENT_SOURCE_ARTICLES: folder of .txt files).
SOURCES_DIR = Path(os.environ.get("ML_JUDGMENT_SOURCE_ARTICLES", "/work/shared/seeds"))

NOTEBOOKS = (
    "00_start_here.ipynb",
    "01_judgment.ipynb",
    "02_ownership.ipynb",
    "03_weak_vs_strong.ipynb",
    "04_recovery.ipynb",
    "05_capstone.ipynb",
)
SECTION_NOTEBOOKS = NOTEBOOKS[1:5]
ARTICLES = {"judgment-ownership", "ownership-signals"}
RUN = 12  # words
TAG_PREFIX = "teaches:"
EXERCISE_CALL = re.compile(r"\bexercise\(\s*[\"']([a-z0-9_-]+)[\"']")
SELF_CHECK_CALL = re.compile(r"\bSelfCheck\(\s*[\"']([a-z0-9_-]+)[\"']")


@cache
def notebook(name: str) -> dict:
    return json.loads((COURSE / name).read_text(encoding="utf-8"))


def source(cell: dict) -> str:
    text = cell.get("source", "")
    return "".join(text) if isinstance(text, list) else text


def cells(name: str, kind: str | None = None) -> list[dict]:
    return [c for c in notebook(name)["cells"] if kind is None or c["cell_type"] == kind]


def tags(cell: dict) -> list[str]:
    return list(cell.get("metadata", {}).get("tags", []))


@cache
def checklist() -> list[dict]:
    return yaml.safe_load(CHECKLIST.read_text(encoding="utf-8"))["points"]


@cache
def exercise_data() -> tuple[set[str], set[str]]:
    exercises, checks = set(), set()
    for path in sorted(EXERCISES_DIR.glob("*.yaml")):
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        if "section" not in data:  # pushbacks.yaml and other non-exercise data
            continue
        exercises |= {item["id"] for item in data.get("exercises", [])}
        checks |= {item["id"] for item in data.get("self_checks", [])}
    return exercises, checks


# --- notebooks exist and are saved clean -------------------------------------------------------


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_notebook_exists_and_is_clean(name):
    assert (COURSE / name).exists(), name
    nb = notebook(name)
    assert nb["metadata"]["kernelspec"]["name"] == "python3"
    for i, cell in enumerate(nb["cells"]):
        if cell["cell_type"] == "code":
            assert cell.get("outputs") == [], f"{name} cell {i} has outputs"
            assert cell.get("execution_count") is None, f"{name} cell {i} has an execution count"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_code_cells_only_call_the_package(name):
    for cell in cells(name, "code"):
        text = source(cell)
        assert "sys.path" not in text and "import sys" not in text, text
        assert not re.search(r"^\s*(def|class|for|while)\b", text, re.M), text


# --- structure of the section notebooks ------------------------------------------------------


@pytest.mark.parametrize("name", SECTION_NOTEBOOKS)
def test_section_notebook_structure(name):
    md = [source(c).lstrip() for c in cells(name, "markdown")]
    assert any(t.startswith("## Objectives") for t in md), f"{name}: no Objectives cell"
    assert any(t.startswith("## Key points") for t in md), f"{name}: no Key points cell"
    assert md.index(next(t for t in md if t.startswith("## Objectives"))) < 3
    assert md[-1].startswith("## Key points"), f"{name}: Key points must close the notebook"
    code = [source(c) for c in cells(name, "code")]
    exercise_cells = [c for c in code if EXERCISE_CALL.search(c)]
    assert len(exercise_cells) >= 3, f"{name}: fewer than 3 exercise(...) cells"
    assert all(len(EXERCISE_CALL.findall(c)) == 1 for c in exercise_cells), "one exercise per cell"
    assert any(SELF_CHECK_CALL.search(c) for c in code), f"{name}: no SelfCheck(...)"


@pytest.mark.parametrize("name", NOTEBOOKS)
def test_exercise_and_self_check_ids_exist(name):
    exercises, checks = exercise_data()
    code = "\n".join(source(c) for c in cells(name, "code"))
    for ex_id in EXERCISE_CALL.findall(code):
        assert ex_id in exercises, f"{name}: unknown exercise id {ex_id!r}"
    for check_id in SELF_CHECK_CALL.findall(code):
        assert check_id in checks, f"{name}: unknown self-check id {check_id!r}"


def test_capstone_uses_the_practice_tools():
    code = "\n".join(source(c) for c in cells("05_capstone.ipynb", "code"))
    for call in ("StoryBuilder(", "PushbackSimulator(", "show_progress("):
        assert call in code, call


def test_weak_vs_strong_renders_seven_comparisons():
    code = [source(c) for c in cells("03_weak_vs_strong.ipynb", "code")]
    assert sum("compare_html(" in c for c in code) >= 7


# --- coverage of the articles ----------------------------------------------------------------


def test_checklist_is_well_formed():
    points = checklist()
    ids = [p["id"] for p in points]
    assert len(ids) == len(set(ids)), "duplicate checklist ids"
    assert 60 <= len(points) <= 120
    for p in points:
        assert set(p) == {"id", "article", "section", "point", "notebook"}, p
        assert re.fullmatch(r"[a-z0-9]+(?:-[a-z0-9]+)*", p["id"]), p["id"]
        assert p["article"] in ARTICLES, p
        assert p["notebook"] in NOTEBOOKS, p
        assert p["point"].strip() and p["section"].strip(), p
    assert {p["article"] for p in points} == ARTICLES


@pytest.mark.parametrize("point", checklist(), ids=lambda p: p["id"])
def test_every_point_is_taught_in_its_notebook(point):
    tag = TAG_PREFIX + point["id"]
    tagged = [c for c in cells(point["notebook"], "markdown") if tag in tags(c)]
    assert tagged, f"no markdown cell in {point['notebook']} is tagged {tag}"
    assert all(len(source(c).split()) >= 25 for c in tagged), f"{tag}: the tagged cell is a stub"


def test_every_teaches_tag_is_in_the_checklist():
    known = {(p["id"], p["notebook"]) for p in checklist()}
    for name in NOTEBOOKS:
        for cell in cells(name):
            for tag in tags(cell):
                if tag.startswith(TAG_PREFIX):
                    assert cell["cell_type"] == "markdown", (name, tag)
                    assert (tag[len(TAG_PREFIX) :], name) in known, (name, tag)


# --- copy check ----------------------------------------------------------------------------------


def words(text: str) -> list[str]:
    text = text.lower().replace("\u2019", "'").replace("\u2018", "'").replace("'", "")
    return re.findall(r"[a-z0-9]+", text)


def fingerprint(run: list[str]) -> str:
    return hashlib.sha256(" ".join(run).encode("utf-8")).hexdigest()[:12]


def runs(tokens: list[str]):
    for i in range(len(tokens) - RUN + 1):
        yield i, tokens[i : i + RUN]


@cache
def article_fingerprints() -> frozenset[str]:
    prints = {
        line.strip()
        for line in FINGERPRINTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    if SOURCES_DIR.is_dir():
        for path in sorted(SOURCES_DIR.glob("*.txt")):
            prints |= {fingerprint(r) for _i, r in runs(words(path.read_text(encoding="utf-8")))}
    return frozenset(prints)


COPY_CHECKED = [*(f"course/{name}" for name in NOTEBOOKS)] + [
    f"autograder/exercises/{p.name}" for p in sorted(EXERCISES_DIR.glob("*.yaml"))
]


def text_of(relative: str) -> str:
    if relative.endswith(".ipynb"):
        return "\n".join(source(c) for c in cells(Path(relative).name))
    return (ROOT / relative).read_text(encoding="utf-8")


def test_fingerprints_present():
    assert len(article_fingerprints()) > 5000


@pytest.mark.parametrize("name", COPY_CHECKED)
def test_no_twelve_word_run_of_the_articles_is_copied(name):
    prints = article_fingerprints()
    copied = [" ".join(r) for _i, r in runs(words(text_of(name))) if fingerprint(r) in prints]
    assert not copied, f"{name} repeats the source articles verbatim: {copied[:3]}"


def test_copy_check_matches_runs_not_words():
    """Normalization ignores case, punctuation and apostrophes; the run must be 12 words."""
    assert words("Don\u2019t  STOP, at-launch!") == ["dont", "stop", "at", "launch"]
    assert len(list(runs(words("one two three four five six seven eight nine ten eleven")))) == 0
    assert fingerprint(words("a b c d e f g h i j k l")) not in article_fingerprints()


@pytest.mark.skipif(not SOURCES_DIR.is_dir(), reason="source articles not on this machine")
def test_fingerprints_match_the_source_articles():
    """The committed fingerprints were made from the articles with this normalization."""
    committed = {
        line.strip()
        for line in FINGERPRINTS.read_text(encoding="utf-8").splitlines()
        if line.strip() and not line.startswith("#")
    }
    for path in sorted(SOURCES_DIR.glob("*.txt")):
        text_runs = list(runs(words(path.read_text(encoding="utf-8"))))
        assert text_runs and all(fingerprint(r) in committed for _i, r in text_runs), path
