"""Every rule carries an example table, and the engine honours it.

Each rule's `fire` examples must trigger it (one of them with a match at the very start of the
text, one with a match at the very end) and its `no_fire` examples must not.
"""

import pytest

from autograder import score
from autograder.rubric import Criterion, Rubric, rule_library

LIBRARY = rule_library()
RULES = sorted(LIBRARY)


def _rubric_for(rule_id: str) -> Rubric:
    """A one-purpose rubric holding the rule and whatever it depends on."""
    rule = LIBRARY[rule_id]
    ids = [rule_id, *rule.requires_absent, *rule.requires_present]  # requires_any gates stay off
    criteria = tuple(Criterion(LIBRARY[i], 0.1, "tip") for i in dict.fromkeys(ids))
    return Rubric(
        id=f"only-{rule_id}",
        version="test",
        title=rule_id,
        description="",
        pass_threshold=0.5,
        full_marks=1.0,
        required=(),
        required_cap=1.0,
        criteria=criteria,
        max_words=None,
        praise="ok",
        source="test",
    )


def _spans(rule_id: str, text: str):
    result = score(text, _rubric_for(rule_id))
    findings = [f for f in (*result.signals, *result.flags) if f.rule_id == rule_id]
    return findings[0].spans if findings else ()


def _cases():
    for rule_id in RULES:
        examples = LIBRARY[rule_id].examples
        for text in examples.get("fire", []):
            yield pytest.param(rule_id, text, True, id=f"{rule_id}-fires-{text[:30]}")
        for text in examples.get("no_fire", []):
            yield pytest.param(rule_id, text, False, id=f"{rule_id}-quiet-{text[:30]}")


@pytest.mark.parametrize(("rule_id", "text", "should_fire"), list(_cases()))
def test_rule_example(rule_id, text, should_fire):
    spans = _spans(rule_id, text)
    assert bool(spans) == should_fire, f"{rule_id} on {text!r}: spans {spans}"


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_has_examples(rule_id):
    examples = LIBRARY[rule_id].examples
    assert len(examples.get("fire", [])) >= 3, f"{rule_id}: needs >= 3 fire examples"
    assert len(examples.get("no_fire", [])) >= 2, f"{rule_id}: needs >= 2 no_fire examples"


@pytest.mark.parametrize("rule_id", RULES)
def test_rule_matches_at_text_edges(rule_id):
    fire = LIBRARY[rule_id].examples.get("fire", [])
    starts = [t for t in fire if any(s == 0 for s, _ in _spans(rule_id, t))]
    ends = [t for t in fire if any(len(t.rstrip(".!?")) <= e for _, e in _spans(rule_id, t))]
    assert starts, f"{rule_id}: no fire example matches at the very start of the text"
    assert ends, f"{rule_id}: no fire example matches at the very end of the text"


def test_every_rubric_criterion_rule_has_examples():
    from autograder import available_rubrics, load_rubric

    for rubric_id in available_rubrics():
        for crit in load_rubric(rubric_id).criteria:
            assert crit.rule.examples.get("fire"), f"{rubric_id}/{crit.id}: no examples"
