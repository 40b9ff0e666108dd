"""Widget logic without a browser: set values, click, read the panels."""

from pathlib import Path

import pytest

from autograder import widget
from autograder.exercises import choose_pushback, get_exercise, get_self_check, load_pushbacks
from autograder.progress import ProgressStore
from autograder.widget import (
    MODEL_ANSWER_AFTER,
    PushbackSimulator,
    RewriteExercise,
    SelfCheck,
    StoryBuilder,
    assemble_story,
    exercise,
    practice_app,
)

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
STORY = {
    "problem": "Our support team was drowning in tickets and routing took a day",
    "influence": "I proposed a simple linear classifier instead of a large model",
    "tradeoff": "We accepted slightly lower accuracy to gain 10 ms predictions and clear reasons",
    "deployment": "I shipped it behind a shadow launch and monitored weekly routing accuracy",
    "impact": "Median time to first response fell by 35% in two months",
    "lesson": "In hindsight I should have involved the agents earlier; now I always do",
}


@pytest.fixture(autouse=True)
def _isolated(tmp_path, monkeypatch):
    """No test reads or writes the learner's real progress or depends on course data."""
    monkeypatch.setenv("ML_JUDGMENT_PROGRESS_DB", str(tmp_path / "progress.sqlite3"))
    monkeypatch.setenv("ML_JUDGMENT_EXERCISES_DIR", str(FIXTURES))


@pytest.fixture
def store(tmp_path):
    return ProgressStore(tmp_path / "store.sqlite3")


@pytest.fixture
def ex():
    return get_exercise("fixture-fraud-metric")


def _check(w, text):
    w.textarea.value = text
    w.check_button.click()
    return w.feedback.value


def test_good_rewrite_shows_score_and_marks(ex, store):
    w = RewriteExercise(ex, store)
    out = _check(w, ex.model_answer)
    assert f"Score {w.last_result.score:.2f}" in out
    assert w.last_result.passed and "<mark" in out
    assert store.count(ex.id) == 1


def test_exercise_shows_the_task_with_css_hooks(ex, store):
    w = exercise(ex.id, store)
    assert isinstance(w, RewriteExercise)
    assert ex.question in w.children[0].value
    assert "ex-answer" in w.textarea._dom_classes
    assert "ex-score" in w.check_button._dom_classes
    assert "ex-feedback" in w.feedback._dom_classes
    assert w.textarea.description == "Your rewrite"


def test_script_text_is_escaped(ex, store):
    out = _check(RewriteExercise(ex, store), "<script>alert('x')</script> " + ex.model_answer)
    assert "<script" not in out
    assert "&lt;script&gt;" in out
    assert "HTML tags were scored as plain text" in out


@pytest.mark.parametrize("text", ["", "   \n\t "])
def test_empty_text_gets_a_message_and_is_not_counted(ex, store, text):
    w = RewriteExercise(ex, store)
    out = _check(w, text)
    assert "Write your answer in the box first" in out
    assert "Score" not in out
    assert w.attempts == 0 and store.count(ex.id) == 0


def test_megabyte_paste_gets_a_message(ex, store):
    w = RewriteExercise(ex, store)
    out = _check(w, "I'd start with logistic regression. " * 30_000)
    assert "paste at most" in out and "Score" not in out
    assert store.count(ex.id) == 0


def test_model_answer_hidden_until_three_attempts(ex, store):
    w = RewriteExercise(ex, store)
    marker = ex.model_answer[:40]
    for _ in range(MODEL_ANSWER_AFTER - 1):
        _check(w, ex.weak_answer)
        assert w.model_button.layout.display == "none"
        assert all(marker not in getattr(c, "value", "") for c in w.children)
    _check(w, ex.weak_answer)
    assert w.model_button.layout.display is None
    w.model_button.click()
    assert "Model answer" in w.model_answer.value and "<mark" in w.model_answer.value
    assert ex.model_answer[:14] in w.model_answer.value


def test_earlier_attempts_count_towards_the_model_answer(ex, store):
    first = RewriteExercise(ex, store)
    for _ in range(MODEL_ANSWER_AFTER):
        _check(first, ex.weak_answer)
    assert RewriteExercise(ex, store).model_button.layout.display is None


def test_last_attempt_is_restored(ex, store):
    _check(RewriteExercise(ex, store), "My first try.\nI'd start with precision at fixed recall.")
    again = RewriteExercise(ex, store)
    assert again.textarea.value == "My first try.\nI'd start with precision at fixed recall."
    assert "Restored your last attempt" in again.feedback.value


def test_callback_exception_is_shown_escaped(ex, store, monkeypatch):
    def boom(*_args):
        raise RuntimeError("scorer broke <b>badly</b>")

    monkeypatch.setattr(widget, "score", boom)
    w = RewriteExercise(ex, store)
    out = _check(w, ex.model_answer)  # must not raise
    assert "RuntimeError" in out and "scorer broke &lt;b&gt;badly&lt;/b&gt;" in out
    assert "<b>badly" not in out


def test_hints_are_revealed_one_at_a_time(ex, store):
    w = RewriteExercise(ex, store)
    w.hint_button.click()
    assert ex.hints[0] in w.hints.value and ex.hints[1] not in w.hints.value
    w.hint_button.click()
    assert ex.hints[1] in w.hints.value and w.hint_button.disabled


def test_self_check_marks_each_choice():
    check = get_self_check("fixture-check")
    w = SelfCheck(check.id)
    strong, weak = check.items
    w.choices[0].value = "weak"
    assert "Not quite" in w.verdicts[0].value and strong.why in w.verdicts[0].value
    w.choices[0].value = "strong"
    assert "Right" in w.verdicts[0].value
    w.check_button.click()
    assert "1 of 2 right" in w.feedback.value and "1 still to answer" in w.feedback.value
    w.choices[1].value = "weak"
    w.check_button.click()
    assert "2 of 2 right" in w.feedback.value and weak.why in w.verdicts[1].value


def test_story_builder_assembles_counts_and_scores(store):
    w = StoryBuilder(store)
    for key, text in STORY.items():
        w.fields[key].value = text
    assert w.story == assemble_story(STORY)
    assert w.story.startswith(STORY["problem"] + ". " + STORY["influence"])
    words = len(w.story.split())
    assert f"{words} words" in w.preview.value and "Too long" not in w.preview.value
    w.check_button.click()
    assert "Score" in w.feedback.value and "<mark" in w.feedback.value
    assert store.last_attempt(StoryBuilder.exercise_id).rubric == "ownership"


def test_story_builder_warns_when_too_long_and_rejects_empty(store):
    w = StoryBuilder(store)
    w.check_button.click()
    assert "Write your answer" in w.feedback.value
    w.fields["problem"].value = "word " * 200
    assert "Too long for a minute" in w.preview.value
    w.fields["lesson"].value = "<i>escaped</i>"
    assert "&lt;i&gt;escaped" in w.preview.value


def test_pushback_aims_at_the_gap_and_scores_the_reply(store, monkeypatch):
    calls = []
    real_score = widget.score

    def spy(text, rubric, prompt):
        calls.append((rubric, prompt))
        return real_score(text, rubric, prompt)

    monkeypatch.setattr(widget, "score", spy)
    question = "Which metric would you optimize for a card-fraud model?"
    w = PushbackSimulator(question=question, store=store)
    assert w.reply_box.layout.display == "none"
    answer = "I would use accuracy because it is the standard metric and easy to explain to people."
    w.answer.value = answer
    w.check_button.click()
    expected = choose_pushback(real_score(answer, "judgment", question).missing)
    assert w.challenge == expected and expected in w.challenge_html.value
    assert w.reply_box.layout.display is None
    w.reply.value = (
        "That's a fair concern. My choice assumed balanced classes; fraud is rare, so accuracy "
        "breaks. Given that, I'd switch to precision at a fixed recall and monitor it weekly."
    )
    w.reply_button.click()
    assert "Score" in w.reply_feedback.value
    assert calls[-1] == ("recovery", "\n\n".join([question, answer, expected]))
    assert store.last_attempt("pushback-reply").rubric == "recovery"
    w.check_button.click()
    assert w.challenge != expected and len(w.asked) == 2


def test_pushback_reply_before_answer_gets_a_message(store):
    w = PushbackSimulator(question="Why?", store=store)
    w.reply.value = "Something."
    w.reply_button.click()
    assert "Check your answer first" in w.reply_feedback.value


def test_pushback_falls_back_when_nothing_is_missing():
    pushbacks = load_pushbacks()
    assert choose_pushback((), pushbacks=pushbacks) == pushbacks.fallback[0]
    used = list(pushbacks.fallback)
    assert choose_pushback((), used, pushbacks) == pushbacks.fallback[0]


def test_practice_app_switches_exercises(store):
    app = practice_app(store)
    _status, picker, holder = app.children
    assert picker.value == "fixture-fraud-metric"
    assert holder.children[0].exercise.id == "fixture-fraud-metric"
    picker.value = "fixture-churn-baseline"
    assert holder.children[0].exercise.id == "fixture-churn-baseline"


def test_practice_app_without_exercises(tmp_path, monkeypatch):
    monkeypatch.setenv("ML_JUDGMENT_EXERCISES_DIR", str(tmp_path))
    app = practice_app()
    assert "No exercises found" in app.children[1].value
