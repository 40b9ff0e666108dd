"""The labeled corpus follows the labeling guide and keeps a third of the questions held out."""

import json
from pathlib import Path

import pytest

from autograder.rubric import load_rubric

CORPUS = Path(__file__).resolve().parents[1] / "corpus"
KEYS = [
    "id",
    "question_id",
    "split",
    "rubric",
    "prompt",
    "answer",
    "label",
    "kind",
    "signals",
    "flags",
]
RUBRICS = ("judgment", "ownership", "recovery")
LABELS = {"strong", "mixed", "weak", "adversarial"}
ADVERSARIAL_KINDS = {
    "stuffed",
    "repeated",
    "padded",
    "off_topic",
    "prompt_copy",
    "verbose",
    "degenerate",
}


def _rows(name):
    lines = (CORPUS / name).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@pytest.mark.parametrize(("name", "split"), [("dev.jsonl", "dev"), ("heldout.jsonl", "test")])
def test_every_line_follows_the_guide(name, split):
    rows = _rows(name)
    assert len({r["id"] for r in rows}) == len(rows), "answer ids must be unique"
    for r in rows:
        assert list(r) == KEYS, r["id"]
        assert r["split"] == split and r["id"].startswith(r["question_id"] + "-a"), r["id"]
        assert r["label"] in LABELS, r["id"]
        kinds = ADVERSARIAL_KINDS if r["label"] == "adversarial" else {"sincere"}
        assert r["kind"] in kinds, r["id"]
        assert r["rubric"] in RUBRICS, r["id"]
        assert set(r["signals"]) <= _all_signal_ids(), r["id"]
        assert set(r["flags"]) <= _all_flag_ids(), r["id"]


def _all_signal_ids():
    return {
        c.id for name in ("judgment", "ownership", "recovery") for c in load_rubric(name).signals
    }


def _all_flag_ids():
    return {c.id for name in ("judgment", "ownership", "recovery") for c in load_rubric(name).flags}


def test_sizes_and_a_third_of_the_questions_held_out():
    dev, held = _rows("dev.jsonl"), _rows("heldout.jsonl")
    dev_questions = {r["question_id"] for r in dev}
    held_questions = {r["question_id"] for r in held}
    assert len(dev) >= 200 and len(dev_questions) >= 30
    assert len(held_questions) * 3 >= len(dev_questions | held_questions)
    assert not {r["prompt"] for r in dev} & {r["prompt"] for r in held}, "a prompt in both splits"
