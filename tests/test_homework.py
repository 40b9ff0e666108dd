"""Homework grading functions: points, feedback, and what a test cell returns."""

import math

import pytest

from autograder import homework
from autograder.homework import (
    CHOICE,
    FREE_TEXT,
    Item,
    check_choice,
    check_order,
    evaluate,
    evaluate_value,
    grade,
    points_for,
)

QUESTION = (
    "Your churn model flags 8% of subscribers each month, but the retention team can only call "
    "2% of them. The product lead asks you to make the model more accurate. What would you do?"
)
STRONG = (
    "Before touching the model I'd clarify the goal: the team can only make a limited number of "
    "calls, so what matters is how many of the top 2% we actually save. I'd optimize precision "
    "in the top 2% of scores and not overall accuracy. I'd rank by expected saved revenue rather "
    "than churn probability, accepting that we will miss some low-value churners. Tuning the "
    "model can wait; the first step is a two-week holdout that measures how many called "
    "customers stay. The risk is that calls change behaviour and create a feedback loop in the "
    "labels, so I'd keep a random control group and review retention by segment every week."
)
WEAK = "I'd tune the hyperparameters and try more models, maybe deep learning."


@pytest.fixture(autouse=True)
def _not_autograding(monkeypatch):
    monkeypatch.delenv("NBGRADER_EXECUTION", raising=False)


def test_points_for_is_monotone_clamped_and_a_plain_float():
    scores = [i / 200 for i in range(-20, 221)]
    for max_points in (1, 2, 4, 5, 10):
        points = [points_for(s, max_points) for s in scores]
        assert all(type(p) is float for p in points)
        assert all(0.0 <= p <= max_points for p in points)
        assert points == sorted(points)
        assert all(p * 4 == int(p * 4) for p in points), "quarter-point steps"
    assert points_for(0.8, 4) == 4.0
    assert points_for(1.0, 4) == 4.0
    assert points_for(0.4, 4) == 2.0
    assert points_for(0.79, 4) == 3.75  # rounded down, never up
    assert points_for(0.0, 4) == 0.0


@pytest.mark.parametrize("bad", [math.nan, -1.0, None, "0.9", "full", object()])
def test_points_for_gives_nothing_for_scores_that_are_not_numbers_in_range(bad):
    # nbgrader reads NaN, text and negative values as FULL marks: they must never get out.
    assert points_for(bad, 4) == 0.0


def test_points_for_caps_scores_above_one():
    assert points_for(7.5, 4) == 4.0
    assert points_for(math.inf, 4) == 4.0


def test_grade_prints_the_feedback_and_returns_the_points(capsys):
    points = grade(STRONG, rubric="judgment", question=QUESTION, points=4)
    out, err = capsys.readouterr()
    assert points == 4.0 and type(points) is float
    assert err == ""
    assert "4 / 4 points" in out
    assert "Signals:" in out and "  - decision: " in out
    assert "Next step:" in out


def test_grade_explains_a_weak_answer_and_its_next_step(capsys):
    points = grade(WEAK, rubric="judgment", question=QUESTION, points=4)
    out, err = capsys.readouterr()
    assert points < 2 and err == ""
    assert "Missing signals:" in out and "Next step:" in out


@pytest.mark.parametrize("value", [42, None, ["text"], b"bytes"])
def test_grade_gives_zero_to_an_answer_that_is_not_text(value, capsys):
    assert grade(value, rubric="judgment", question=QUESTION, points=4) == 0.0
    assert "text in quotes" in capsys.readouterr().out


def test_a_str_subclass_is_not_text_whatever_its_methods_say():
    class Liar(str):
        def __eq__(self, other):
            return True

        def __str__(self):
            return STRONG

    item = Item(FREE_TEXT, "a", 4.0, rubric="judgment", question=QUESTION)
    assert evaluate_value(item, Liar(WEAK)).points == 0.0
    assert check_choice(Liar("A"), options="ABC", points=2, key="B") == 0.0


def test_the_placeholder_and_an_empty_answer_score_zero_with_a_reason():
    item = Item(FREE_TEXT, "a", 4.0, rubric="judgment", question=QUESTION)
    placeholder = evaluate(item, f"\n{homework.PLACEHOLDER}\n")
    assert (placeholder.points, placeholder.status) == (0.0, "no_answer")
    empty = evaluate(item, "   ")
    assert (empty.points, empty.status) == (0.0, "empty")
    assert "empty" in empty.feedback()


def test_check_choice_without_a_key_only_checks_the_format(capsys):
    assert check_choice("b", options="ABC", points=2) is None
    assert check_choice(homework.PLACEHOLDER, options="ABC", points=2) == 0.0
    assert check_choice("D", options="ABC", points=2) == 0.0
    assert "one of A, B, C" in capsys.readouterr().out


def test_check_choice_and_check_order_with_a_key_are_all_or_nothing():
    assert check_choice(" (B) ", options="ABC", points=2, key="B") == 2.0
    assert check_choice("A", options="ABC", points=2, key="B") == 0.0
    assert check_order("C, A, B", options="ABC", points=2, key="CAB") == 2.0
    assert check_order("C > B > A", options="ABC", points=2, key="CAB") == 0.0
    assert check_order("CA", options="ABC", points=2, key="CAB") == 0.0


def test_exact_items_feedback_reveals_the_key_only_once_graded():
    item = Item(CHOICE, "c", 2.0, options="ABC", key="B")
    assert "the answer is B" in evaluate(item, "A").feedback()
    released = evaluate(Item(CHOICE, "c", 2.0, options="ABC"), "A").feedback()
    assert "is recorded" in released and "B" not in released


def test_graders_refuse_to_score_inside_an_autograding_kernel(monkeypatch, capsys):
    # Points that count are computed outside the kernel; if that preprocessor were missing,
    # everything must score 0 so the reference submission's check fails loudly.
    monkeypatch.setenv("NBGRADER_EXECUTION", "autograde")
    assert grade(STRONG, rubric="judgment", question=QUESTION, points=4) == 0.0
    assert check_choice("B", options="ABC", points=2, key="B") == 0.0
    assert "outside your notebook" in capsys.readouterr().out


def test_grading_writes_nothing_to_stderr(capfd):
    grade("x" * 30_000, rubric="judgment", question=QUESTION, points=4)
    grade("¿Qué modelo usarías? " * 20, rubric="ownership", question=QUESTION, points=4)
    check_order(["A"], options="ABC", points=2, key="ABC")
    assert capfd.readouterr().err == ""


@pytest.fixture
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    shell = InteractiveShell.instance()
    yield shell
    InteractiveShell.clear_instance()


def _run(shell, source: str):
    result = shell.run_cell(source, store_history=True)
    assert result.error_in_exec is None and result.error_before_exec is None
    return result.result


def test_in_a_notebook_grade_reads_the_answer_as_the_autograder_will(shell, capsys):
    test_cell = (
        "from autograder.homework import grade\n"
        f"grade(answer_q1, rubric='judgment', points=4, question={QUESTION!r})"
    )
    _run(shell, f'answer_q1 = """{STRONG}"""')
    assert _run(shell, test_cell) == 4.0
    # Code in the answer cell makes the autograder give 0: the learner sees it now, not later.
    _run(shell, f'answer_q1 = """{STRONG}"""\nprint(len(answer_q1))')
    assert _run(shell, test_cell) == 0.0
    assert "only the answer in quotes" in capsys.readouterr().out
    # An answer built by code is not text in quotes, even when its value is a str.
    _run(shell, f"answer_q1 = ''.join([{STRONG!r}])")
    assert _run(shell, test_cell) == 0.0
