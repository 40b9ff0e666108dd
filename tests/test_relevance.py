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


def test_reusing_the_prompts_words_keeps_an_answer_on_topic_whatever_its_vocabulary():
    prompt = (
        "You built a model that sets cash offers for homes a company buys. Interviewer: "
        "'Mortgage rates jumped 250 basis points. Why trust a model trained on five years of sales?'"
    )
    answer = (
        "Fair concern: the five years of sales mostly teach relative value, while the price level "
        "moved with rates. I'd keep the window, index old sales to today and weight recent months, "
        "then price each offer with a wider discount where recent error is high, accepting fewer "
        "accepted offers until the price error comes down, and I'd review the discount weekly."
    )
    assert "off_topic" not in score(answer, "recovery", prompt).advisory_ids


def test_another_domains_answer_sharing_nothing_with_the_prompt_is_off_topic():
    prompt = "A hospital wants to triage patient messages so urgent ones reach a nurse faster."
    answer = (
        "For the home feed I'd use a two-tower model to recommend playlists, accept weaker "
        "personalization for new users, and watch watch-time per cohort after a 5% rollout, "
        "rolling back if the catalog coverage of recommendations drops by more than a tenth."
    )
    result = score(answer, "judgment", prompt)
    assert "off_topic" in result.advisory_ids


def test_a_reply_that_never_takes_up_the_pushback_is_off_topic():
    prompt = (
        "Earlier you proposed a nightly batch churn model for a mobile game. Interviewer: "
        "'Most churners quit within 48 hours of a losing streak. Isn't weekly scoring far too slow?'"
    )
    elsewhere = (
        "I picked logistic regression because the features are tabular: sessions, spend, level "
        "and device. With a few thousand labelled players a deep model would overfit, and the "
        "coefficients let the live-ops team see why someone was targeted, which they asked for. "
        "I'd keep it and accept giving up a little accuracy against a gradient-boosted model, and "
        "I'd review the coefficients every month with the live-ops team."
    )
    result = score(elsewhere, "recovery", prompt)
    assert "off_topic" in result.advisory_ids
    assert any("interviewer raised" in tip for tip in result.feedback)
    engaged = elsewhere.replace(
        "I picked", "Fair: losing streaks move faster than weekly. I picked"
    )
    assert "off_topic" not in score(engaged, "recovery", prompt).advisory_ids


_CONTAINER_PROMPT = (
    "At a container terminal your model predicts each import container's yard dwell time to "
    "decide where it is stacked. Three weeks after launch, reshuffle moves are up 14%. "
    "What went wrong, and what would you do next?"
)
_BODY = (
    " I'd build a gradient-boosted model on recent positions and speeds, give planners a range "
    "instead of a point estimate, accept a looser schedule in exchange, and review the error "
    "every week against what actually happened, rolling back if it drifts."
)


@pytest.mark.parametrize(
    "opening",
    [
        "For vessel arrival times,",  # nothing of the subject is in the question
        "As for the berth schedule",  # half absent, including the head noun
        "When it comes to crane-driver rostering,",
    ],
)
def test_an_answer_that_opens_on_a_subject_the_question_never_mentions_is_off_topic(opening):
    result = score(opening + _BODY, "judgment", _CONTAINER_PROMPT)
    assert "off_topic" in result.advisory_ids
    assert any("never mentions" in tip for tip in result.feedback)


@pytest.mark.parametrize(
    "opening",
    [
        "For the dwell-time model,",  # the question's own subject
        "For the yard stacking,",
        "For the threshold,",  # ML vocabulary says nothing about the subject
        "For me,",
        "For context,",
        "For crane reshuffles,",  # half absent, but the head noun is the question's
        "For the stacking model,",  # "stacking" and "stacked" name one subject
        "For a first version,",  # a stage, not a subject
        "For a 40-person team,",  # a size
        "For ranking,",
    ],
)
def test_an_answer_that_opens_on_the_questions_subject_is_not(opening):
    assert "off_topic" not in score(opening + _BODY, "judgment", _CONTAINER_PROMPT).advisory_ids


def test_a_behavioral_questions_story_may_come_from_another_job():
    context = (
        "Our perfume retail business has 140 boutiques, an online store and about 2.3M loyalty "
        "members, and the churn team runs win-back campaigns every month. "
    )
    story = (
        "I released a card-fraud model that flagged three times the usual transactions in its "
        "first week, and merchants complained about declines. I rolled it back the same day, "
        "found my training window had no quarter-end periods, retrained on three years of "
        "transactions and relaunched a month later with a per-merchant alert on decline rate."
    )
    behavioral = context + "Tell me about a time something you released went wrong."
    assert "off_topic" not in score(story, "ownership", behavioral).advisory_ids
    design = context + "How would you design the win-back targeting model?"
    assert "off_topic" in score(story, "judgment", design).advisory_ids
