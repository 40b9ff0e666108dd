"""Each `asks` entry of the lexicon is checked against its own example table."""

import pytest
import yaml

from autograder import score
from autograder.relevance import LEXICON_FILE

ASKS = yaml.safe_load(LEXICON_FILE.read_text(encoding="utf-8"))["asks"]


@pytest.mark.parametrize("name", sorted(ASKS))
def test_every_ask_has_examples_both_ways(name):
    examples = ASKS[name].get("examples") or {}
    assert examples.get("prompt") and examples.get("off_topic") and examples.get("on_topic")


def _cases(kind):
    return [
        pytest.param(spec["examples"]["prompt"], answer, id=f"{name}-{i}")
        for name, spec in sorted(ASKS.items())
        for i, answer in enumerate(spec["examples"][kind])
    ]


@pytest.mark.parametrize(("prompt", "answer"), _cases("off_topic"))
def test_an_answer_to_another_question_is_called_off_topic(prompt, answer):
    result = score(answer, "judgment", prompt)
    assert "off_topic" in result.advisory_ids
    assert not result.passed
    assert any("the question asks" in tip for tip in result.feedback)


@pytest.mark.parametrize(("prompt", "answer"), _cases("on_topic"))
def test_an_answer_to_the_question_is_not(prompt, answer):
    assert "off_topic" not in score(answer, "judgment", prompt).advisory_ids
