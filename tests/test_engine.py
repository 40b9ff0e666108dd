"""The scoring engine: bad input, gaming resistance, determinism, explanations."""

import json
import subprocess
import sys

import pytest

from autograder import load_rubric, score
from autograder.rubric import RubricError

STRONG = (
    "Given only 2,000 labeled orders and auditors who need reasons, I'd start with a regularized "
    "logistic regression. It gives up some recall against boosted trees, which I accept for now. "
    "The main risk is label leakage from the chargeback date, so I'd audit features first. After "
    "launch I'd monitor precision weekly and roll back if false declines pass 0.5%."
)
PROMPT = "How would you choose a model for card fraud detection at an online retailer?"


def test_strong_answer_passes_with_spans_pointing_at_its_words():
    result = score(STRONG, "judgment", PROMPT)
    assert result.passed and result.score >= 0.8
    for finding in result.signals:
        for start, end in finding.spans:
            assert 0 <= start < end <= len(STRONG)
    decision = next(f for f in result.signals if f.rule_id == "decision")
    assert decision.quotes(result.text)[0].lower().startswith("i'd start")


def test_points_trace_to_rubric_criteria():
    result = score(STRONG, "judgment", PROMPT)
    rubric = load_rubric("judgment")
    assert [c.id for c in result.criteria] == [c.id for c in rubric.criteria]
    earned = sum(c.points for c in result.criteria)
    assert result.score == pytest.approx(min(1.0, earned / rubric.full_marks), abs=1e-3)


@pytest.mark.parametrize(
    ("answer", "advisory"),
    [
        (None, "not_text"),
        (42, "not_text"),
        (["I'd ship it"], "not_text"),
        (b"\xff\xfe\x00", "not_text"),
        ("", "empty"),
        ("   \n\t  ", "empty"),
        ("\U0001f600\U0001f680\U0001f4a5", "empty"),
        (
            "Je choisirais une r\u00e9gression logistique car les donn\u00e9es sont limit\u00e9es et "
            "il faut expliquer chaque d\u00e9cision aux \u00e9quipes de conformit\u00e9.",
            "not_prose",
        ),
        (
            "\u6211\u4f1a\u5148\u7528\u903b\u8f91\u56de\u5f52\u6a21\u578b\uff0c\u56e0\u4e3a\u6570"
            "\u636e\u5f88\u5c11\u3002",
            "not_english",
        ),
        ("asdf qwer zxcv uiop hjkl vbnm tyui ghjk", "not_prose"),
    ],
)
def test_bad_input_scores_zero_with_a_message(answer, advisory):
    result = score(answer, "judgment", PROMPT)
    assert result.score == 0.0 and not result.passed
    assert advisory in result.advisory_ids
    assert result.feedback and all(isinstance(t, str) and t for t in result.feedback)


def test_bytes_are_decoded_and_scored():
    result = score(STRONG.encode("utf-8"), "judgment", PROMPT)
    assert "bytes_decoded" in result.advisory_ids and result.passed


def test_one_megabyte_is_capped_quickly_with_a_message():
    import time

    start = time.perf_counter()
    result = score(STRONG + " filler" * 180_000, "judgment", PROMPT)
    assert time.perf_counter() - start < 2.0
    assert "truncated" in result.advisory_ids
    assert len(result.text) == 20_000


def test_control_characters_and_html_are_scored_as_text():
    noisy = "\x00\x07" + STRONG.replace(". ", ".\x1b ") + " <script>alert('x')</script>"
    result = score(noisy, "judgment", PROMPT)
    assert {"control_characters", "markup"} <= set(result.advisory_ids)
    assert result.passed


def test_str_subclass_cannot_lie_about_its_text():
    class Liar(str):
        def lower(self):
            return STRONG.lower()

        def __str__(self):
            return STRONG

    assert (
        score(Liar("we'd revisit it"), "judgment", PROMPT).score
        == score("we'd revisit it", "judgment", PROMPT).score
    )


def test_deterministic_across_processes():
    code = (
        "import json, sys; from autograder import score; "
        "print(json.dumps(score(sys.argv[1], 'judgment', sys.argv[2]).to_dict(), sort_keys=True))"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code, STRONG, PROMPT],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("0", "1", "12345")
    }
    assert len(runs) == 1
    assert json.loads(runs.pop()) == json.loads(
        json.dumps(score(STRONG, "judgment", PROMPT).to_dict(), sort_keys=True)
    )


def test_nothing_reaches_stderr(capfd):
    for answer in (STRONG, None, "", b"\xff", "x" * 30_000, "<b>hi</b>"):
        score(answer, "judgment", PROMPT)
    captured = capfd.readouterr()
    assert captured.err == "" and captured.out == ""


# --- gaming -------------------------------------------------------------------------------


def _not_rewarded(answer, prompt=PROMPT, rubric="judgment"):
    result = score(answer, rubric, prompt)
    assert not result.passed, result.to_text()
    assert result.score < score(STRONG, "judgment", PROMPT).score - 0.3, result.to_text()
    return result


def test_keyword_stuffing_scores_low_and_says_why():
    result = _not_rewarded(
        "Framing: fraud. Decision: model. Tradeoff: precision recall. Risk: drift, leakage. "
        "Monitoring: dashboards, alerts, rollback, canary. Impact: 30% fewer chargebacks. "
        "I decided. I owned it. I prioritized."
    )
    assert {"stuffed", "not_prose"} & set(result.advisory_ids)


def test_repeated_sentences_score_low_and_say_why():
    result = _not_rewarded(" ".join([STRONG.split(". ")[0] + "."] * 8))
    assert "repetitive" in result.advisory_ids
    assert any("repeat" in tip for tip in result.feedback)


def test_length_padding_scores_low_and_says_why():
    filler = (
        "Oh, this is such a great question and honestly one I was hoping to get today. "
        "My cousin had a similar thing happen when she moved to a new city last spring. "
        "She spent weeks trying to sort out her phone contract and her gym membership. "
        "Anyway, the weather that month was terrible, which did not help her mood at all. "
        "I always say that life is a series of small surprises, some good and some bad. "
        "We ended up going to a lovely little restaurant near the river to celebrate. "
        "The dessert menu there is famous, and I still think about their lemon tart. "
        "It reminds me that every experience teaches you something, even the annoying ones. "
    )
    result = _not_rewarded(filler + "I'd use logistic regression.")
    assert "padded" in result.advisory_ids


def test_verbal_filler_is_padding_even_in_a_short_answer():
    filler = (
        "Right, so, thank you, that's a really good question. Um, so, in terms of the timing, "
        "basically, what I'd say is, at a high level, all things considered, it's something to "
        "look at. So I'd ship the smaller model, accepting lower recall, more or less."
    )
    result = _not_rewarded(filler)
    assert "padded" in result.advisory_ids
    assert "padded" not in score(STRONG, "judgment", PROMPT).advisory_ids


def test_an_answer_to_a_different_question_scores_low_and_says_why():
    other = (
        "For the wake-word detector the constraint is the phone itself: it must run always-on at "
        "about a milliwatt, so I'd cap the model at 250 KB and use a small CNN on log-mel audio "
        "features. I'm accepting a higher false-reject rate for quiet speakers in exchange for "
        "battery life, and after release I'd monitor false accepts per device model."
    )
    assert score(other, "judgment").passed  # a good answer on its own...
    result = _not_rewarded(other)  # ...to another question
    assert "off_topic" in result.advisory_ids


def test_a_copy_of_the_prompt_scores_low_and_says_why():
    prompt = (
        "You proposed a gradient-boosted model for loan approvals. Interviewer: regulators need "
        "specific reasons for every declined applicant, so isn't a boosted model risky here?"
    )
    result = _not_rewarded(prompt, prompt=prompt, rubric="recovery")
    assert "prompt_copy" in result.advisory_ids


def test_a_long_fluent_answer_that_never_commits_is_weak():
    verbose = (
        "Choosing a model for fraud is a nuanced topic with many interacting considerations. "
        "There are many approaches one could take, from logistic regression to gradient boosting "
        "to neural networks, and each has strengths and weaknesses. Data drift, label leakage and "
        "class imbalance are all important to keep in mind, and monitoring is essential after "
        "launch. Precision and recall both matter, and the tradeoff depends on the business. "
        "It really depends on the context, the data and the team, so it's hard to say in general. "
        "Some teams favour simple baselines while others invest in deep learning early, and "
        "both camps have reasonable arguments depending on their maturity and tooling. "
        "Ultimately the best approach balances accuracy, interpretability, latency and cost, "
        "and a thoughtful team would weigh all of these factors together before moving forward."
    )
    result = _not_rewarded(verbose)
    assert "decision" in result.missing
    assert result.feedback[0].startswith("Commit to one choice")


def test_a_short_crisp_committed_answer_can_be_strong():
    short = (
        "Reviewers can check 200 orders a day, so I'd rank by fraud probability times order "
        "value and cut at 200, accepting that small frauds slip through. I'd recheck "
        "calibration monthly once chargebacks land."
    )
    assert len(short.split()) < 45
    assert score(short, "judgment", PROMPT).passed


def test_length_is_not_rewarded():
    padded = (
        STRONG
        + " "
        + " ".join(
            f"Additionally, I think point number {i} about the data is also worth mentioning."
            for i in range(15)
        )
    )
    assert score(padded, "judgment", PROMPT).score <= score(STRONG, "judgment", PROMPT).score


# --- rubrics as data ---------------------------------------------------------------------


def test_broken_rubric_file_names_the_file_and_field(tmp_path):
    bad = tmp_path / "broken.yaml"
    bad.write_text(
        "id: broken\nversion: 1\ntitle: B\npass_threshold: 0.5\nfull_marks: 1\npraise: ok\n"
        "criteria:\n  - id: decision\n    weight: lots\n    feedback: x\n"
    )
    with pytest.raises(RubricError, match=r"broken\.yaml.*criteria\[0\].*weight"):
        load_rubric(str(bad))
    bad.write_text("id: [unclosed\n")
    with pytest.raises(RubricError, match=r"broken\.yaml.*not valid YAML"):
        load_rubric(str(bad))


def test_instructor_adds_a_rubric_by_adding_a_file(tmp_path, monkeypatch):
    (tmp_path / "latency.yaml").write_text(
        "id: latency\nversion: '0.1'\ntitle: Latency budget\npass_threshold: 0.5\n"
        "full_marks: 0.5\npraise: Good.\ncriteria:\n"
        "  - id: decision\n    weight: 0.25\n    feedback: Decide.\n"
        "  - id: p99\n    kind: signal\n    type: pattern\n    message: Talks about tail latency\n"
        "    cues: ['\\bp99\\b']\n    weight: 0.25\n    feedback: Mention p99.\n"
        "    examples: {fire: ['p99 matters'], no_fire: ['average latency']}\n"
    )
    monkeypatch.setenv("AUTOGRADER_RUBRICS", str(tmp_path))
    result = score("I'd keep the small ranker because p99 has to stay under 60 ms.", "latency")
    assert result.rubric_id == "latency" and set(result.signal_ids) == {"decision", "p99"}


def test_a_list_of_decision_verbs_is_stuffing_not_ownership():
    text = (
        "On the pricing project I was the owner of the whole thing from the start. As owner I "
        "proposed, decided, chose, drove and aligned with everyone on the team. We shipped the "
        "new model in the spring and the team was happy with how it all went in the end."
    )
    result = score(text, "ownership", "Tell me about a project you owned.")
    assert "ownership_language" not in result.signal_ids
    told = text.replace(
        "proposed, decided, chose, drove and aligned with", "proposed a new model to"
    )
    assert "ownership_language" in score(told, "ownership").signal_ids


def test_rule_dependencies_are_checked_when_the_rubric_loads(tmp_path):
    head = "id: deps\nversion: 1\ntitle: D\npass_threshold: 0.5\nfull_marks: 1\npraise: ok\n"
    rule = (
        "  - id: mine\n    kind: signal\n    type: pattern\n    message: m\n    cues: ['x']\n"
        "    weight: 0.5\n    feedback: f\n    examples: {{fire: [x], no_fire: [y]}}\n"
        "    {dependency}\n"
    )
    path = tmp_path / "deps.yaml"
    path.write_text(head + "criteria:\n" + rule.format(dependency="requires_absent: [hedgnig]"))
    with pytest.raises(RubricError, match=r"deps\.yaml.*mine.*unknown rule 'hedgnig'"):
        load_rubric(str(path))
    path.write_text(head + "criteria:\n" + rule.format(dependency="requires_present: [decision]"))
    with pytest.raises(RubricError, match=r"deps\.yaml.*mine.*'decision', not in this rubric"):
        load_rubric(str(path))
    # A red flag the rubric does not score is simply never present.
    path.write_text(head + "criteria:\n" + rule.format(dependency="requires_absent: [hedging]"))
    assert score("x marks the spot in this answer", str(path)).signal_ids == ["mine"]


def test_unknown_rubric_lists_the_known_ones():
    with pytest.raises(RubricError, match="known rubrics: judgment, ownership, recovery"):
        load_rubric("nope")


def test_text_and_html_forms_escape_learner_text():
    result = score("<script>alert(1)</script> " + STRONG, "judgment", PROMPT)
    html = result.to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "<mark" in html and f"{result.score:.2f}" in html
    assert result.to_text().startswith(f"Score {result.score:.2f}")


def test_an_opening_context_sentence_frames_the_problem():
    text = (
        "Reviewers can only check about 200 orders a day. I'd rank orders by fraud probability "
        "times order value and cut the queue at 200."
    )
    result = score(text, "judgment", PROMPT)
    framing = next(f for f in result.signals if f.rule_id == "framing")
    assert framing.quotes(result.text)[0] == "Reviewers can only check about 200 orders a day."
    hedged = "Maybe reviewers can check 200 orders a day. I'd rank orders by expected loss."
    assert "framing" not in score(hedged, "judgment", PROMPT).signal_ids


def test_phrases_split_across_soft_line_wraps_and_double_spaces_still_count():
    wrapped = (
        "That's a fair concern. My choice\n    assumed labels arrive quickly; if that  breaks,\n"
        "I'd switch to a proxy label."
    )
    assert {"acknowledge", "reevaluate", "recommit"} <= set(score(wrapped, "recovery").signal_ids)
