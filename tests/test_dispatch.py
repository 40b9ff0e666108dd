"""The fast cue matcher must find exactly what trying every cue at every word start finds."""

import json
import re
from pathlib import Path

import pytest

from autograder.dispatch import build, find_all, parse, regex_starts
from autograder.rubric import load_rubric
from autograder.text import fold

CORPUS = Path(__file__).resolve().parents[1] / "corpus" / "dev.jsonl"
_WORD_START = re.compile(r"\b\w")


def _naive(patterns, scanned, text):
    found = set()
    for i, pattern in enumerate(patterns):
        if i in scanned:
            found |= {(i, *m.span()) for m in pattern.finditer(text) if m.end() > m.start()}
            continue
        for start in _WORD_START.finditer(text):
            m = pattern.match(text, start.start())
            if m and m.end() > m.start():
                found.add((i, *m.span()))
    return found


def _texts():
    rows = [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]
    return [fold(r["answer"]) for r in rows[::3]] + [
        "i  chose\nthe smaller model, at the cost of recall; $40k a month saved.",
        "i\tdecided. we'd ship it. 12% fewer false alarms",
    ]


@pytest.mark.parametrize("rubric", ["judgment", "ownership", "recovery"])
def test_find_all_equals_trying_every_cue_everywhere(rubric):
    patterns, _owners, index = load_rubric(rubric).matcher
    assert len(index.scanned) < len(patterns) / 20, "most cues should be indexed, not scanned"
    scanned = set(index.scanned) | set(index.anchored)  # both: every match, found the slow way
    for text in _texts():
        assert set(find_all(index, patterns, text)) == _naive(patterns, scanned, text), text


def test_starts_reach_past_runs_of_spaces():
    starts = regex_starts(parse(re.compile(r"\bi +(?:chose|picked)\b")), 10)
    assert starts == {("i", r"\ +", *"chose"), ("i", r"\ +", *"picked")}


def test_a_cue_anchored_at_the_start_is_tried_there_only():
    patterns = [re.compile(r"^(?:\w+ ){1,3}yes\b"), re.compile(r"(?<=,\s)agreed\b")]
    index = build(patterns)
    assert index.anchored == (0,) and index.scanned == ()
    text = "well right yes. labels lag, agreed. fine yes"
    assert set(find_all(index, patterns, text)) == {(0, 0, 14), (1, 28, 34)}


def test_a_cue_that_can_start_anywhere_is_scanned():
    patterns = [re.compile(r"\w+ing\b"), re.compile(r"\bship\b")]
    index = build(patterns)
    assert index.scanned == (0,)
    assert set(find_all(index, patterns, "shipping: we ship")) == {(0, 0, 8), (1, 13, 17)}
