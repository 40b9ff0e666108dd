"""Notebook and Voila front ends: thin ipywidgets wiring over score, render, exercises, progress.

Each callback runs inside `_guard`, which shows any exception (escaped) in the feedback panel:
a learner never sees a traceback in the browser console, and no error is silently swallowed.
"""

from __future__ import annotations

import html
from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial

import ipywidgets as widgets

from .engine import score
from .exercises import (
    CheckItem,
    Exercise,
    Pushbacks,
    SelfCheckSet,
    choose_pushback,
    get_exercise,
    get_self_check,
    load_catalog,
    load_pushbacks,
)
from .progress import ProgressError, ProgressStore
from .render import STYLE, error_html, highlight_html, notice_html, result_html

MAX_INPUT_CHARS = 10_000
MODEL_ANSWER_AFTER = 3
STORY_WORD_LIMIT = 170
WORDS_PER_MINUTE = 150
STORY_PROMPT = "Tell me about an ML project you owned end to end, in about a minute."
STORY_FIELDS = (
    ("problem", "Problem", "What business problem was it, and how did you frame it?"),
    ("influence", "My influence", "What did you decide, propose or push back on? Say 'I'."),
    ("tradeoff", "Tradeoff", "What did you give up, and why was that acceptable?"),
    ("deployment", "Deployment and monitoring", "How did it ship, and what did you watch after?"),
    ("impact", "Impact", "What changed, with a number?"),
    ("lesson", "Lesson", "What would you do differently, or what do you now always do?"),
)
_WIDE = {"width": "100%"}
_LABEL_STYLE = {"description_width": "initial"}


def input_problem(text: str) -> str | None:
    """Why the text cannot be scored as typed, or None when it can."""
    if not text or not text.strip():
        return "Write your answer in the box first: a few sentences that commit to a decision."
    if len(text) > MAX_INPUT_CHARS:
        return (
            f"That is {len(text):,} characters; paste at most {MAX_INPUT_CHARS:,}. "
            "A one-minute spoken answer is about 1,000."
        )
    return None


def assemble_story(parts: dict[str, str]) -> str:
    """Join the story fields in order into one paragraph, each part ending as a sentence."""
    sentences = []
    for key, _label, _hint in STORY_FIELDS:
        part = " ".join(parts.get(key, "").split())
        if part:
            sentences.append(part if part[-1] in ".!?" else part + ".")
    return " ".join(sentences)


class RewriteExercise(widgets.VBox):
    """Rewrite a weak answer; Check scores it, shows feedback and saves the attempt."""

    def __init__(self, exercise: str | Exercise, store: ProgressStore | None = None):
        self.exercise = exercise if isinstance(exercise, Exercise) else get_exercise(exercise)
        self.store = store if store is not None else ProgressStore()
        self.attempts = 0
        self.last_result = None
        ex = self.exercise
        header = widgets.HTML(
            f"{STYLE}<h3>{_esc(ex.title)}</h3><p><b>Question:</b> {_esc(ex.question)}</p>"
            "<p><b>Weak answer to rewrite:</b></p>"
            f'<div class="ag-text">{_esc(ex.weak_answer)}</div>'
        )
        self.textarea = _textarea("Your rewrite", "Rewrite the answer here, then press Check.")
        self.textarea.add_class("ex-answer")
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.check_button.add_class("ex-score")
        self.hint_button = widgets.Button(description="Hint", disabled=not ex.hints)
        self.model_button = widgets.Button(description="Show model answer")
        self.feedback = widgets.HTML()
        self.feedback.add_class("ex-feedback")
        self.hints = widgets.HTML()
        self.model_answer = widgets.HTML()
        self._hints_shown = 0
        self.check_button.on_click(self._on_check)
        self.hint_button.on_click(self._on_hint)
        self.model_button.on_click(self._on_model)
        buttons = widgets.HBox([self.check_button, self.hint_button, self.model_button])
        super().__init__(
            [header, self.textarea, buttons, self.hints, self.feedback, self.model_answer]
        )
        self._restore()
        self._update_model_button()

    def _restore(self) -> None:
        try:
            last = self.store.last_attempt(self.exercise.id)
            self.attempts = self.store.count(self.exercise.id)
        except ProgressError as exc:
            self.feedback.value = notice_html(str(exc))
            return
        if last is not None:
            self.textarea.value = last.text
            self.feedback.value = notice_html(
                f"Restored your last attempt (score {last.score:.2f}). Edit it and press Check.",
                "info",
            )

    def _on_check(self, _button=None) -> None:
        with _guard(self.feedback):
            text = self.textarea.value
            problem = input_problem(text)
            if problem:
                self.feedback.value = notice_html(problem)
                return
            result = score(text, self.exercise.rubric, self.exercise.question)
            self.last_result = result
            self.attempts += 1
            self.feedback.value = _save(self.store, self.exercise.id, text, result) + result_html(
                result
            )
            self._update_model_button()

    def _on_hint(self, _button=None) -> None:
        with _guard(self.hints, "showing a hint"):
            self._hints_shown = min(self._hints_shown + 1, len(self.exercise.hints))
            shown = self.exercise.hints[: self._hints_shown]
            self.hints.value = "<ul>" + "".join(f"<li>{_esc(h)}</li>" for h in shown) + "</ul>"
            self.hint_button.disabled = self._hints_shown >= len(self.exercise.hints)

    def _on_model(self, _button=None) -> None:
        with _guard(self.model_answer, "showing the model answer"):
            ex = self.exercise
            result = score(ex.model_answer, ex.rubric, ex.question)
            self.model_answer.value = (
                f"<p><b>Model answer</b> (score {result.score:.2f}): the marked words are what "
                f"earns the signals.</p>{highlight_html(result)}"
            )

    def _update_model_button(self) -> None:
        ready = self.attempts >= MODEL_ANSWER_AFTER
        self.model_button.layout.display = None if ready else "none"


def exercise(exercise_id: str, store: ProgressStore | None = None) -> RewriteExercise:
    """The rewrite exercise with this id, ready to display as a cell's last expression."""
    return RewriteExercise(exercise_id, store)


class SelfCheck(widgets.VBox):
    """Label each answer strong or weak; each choice is marked right or wrong with the reason."""

    def __init__(self, check: str | SelfCheckSet):
        self.check = check if isinstance(check, SelfCheckSet) else get_self_check(check)
        self.choices: list[widgets.ToggleButtons] = []
        self.verdicts: list[widgets.HTML] = []
        rows: list[widgets.Widget] = [
            widgets.HTML(f"{STYLE}<p><b>{_esc(self.check.instructions)}</b></p>")
        ]
        for i, item in enumerate(self.check.items):
            choice = widgets.ToggleButtons(
                options=[("Strong", "strong"), ("Weak", "weak")],
                value=None,
                description=f"Answer {i + 1}",
                style=_LABEL_STYLE,
            )
            verdict = widgets.HTML()
            choice.observe(partial(self._on_choice, i), names="value")
            self.choices.append(choice)
            self.verdicts.append(verdict)
            quote = widgets.HTML(f'<div class="ag-text">{_esc(item.answer)}</div>')
            rows.extend([quote, choice, verdict])
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.check_button.on_click(self._on_check)
        self.feedback = widgets.HTML()
        super().__init__([*rows, self.check_button, self.feedback])

    def _on_choice(self, index: int, _change=None) -> None:
        with _guard(self.verdicts[index], "marking your choice"):
            item = self.check.items[index]
            self.verdicts[index].value = _verdict_html(item, self.choices[index].value)

    def _on_check(self, _button=None) -> None:
        with _guard(self.feedback):
            answered = right = 0
            rows = zip(self.check.items, self.choices, self.verdicts, strict=True)
            for item, choice, verdict in rows:
                if choice.value is None:
                    continue
                answered += 1
                right += choice.value == item.label
                verdict.value = _verdict_html(item, choice.value)
            total = len(self.check.items)
            message = f"{right} of {total} right."
            if answered < total:
                message += f" {total - answered} still to answer."
            self.feedback.value = notice_html(message, "info")


class StoryBuilder(widgets.VBox):
    """Build a 60-second ownership story from six parts and score it with the ownership rubric."""

    exercise_id = "story-builder"

    def __init__(self, store: ProgressStore | None = None):
        self.store = store if store is not None else ProgressStore()
        self.fields: dict[str, widgets.Textarea] = {}
        for key, label, hint in STORY_FIELDS:
            field = _textarea(label, hint, rows=2)
            field.add_class(f"story-{key}")
            field.observe(self._on_edit, names="value")
            self.fields[key] = field
        self.preview = widgets.HTML()
        self.check_button = widgets.Button(description="Check story", button_style="primary")
        self.check_button.on_click(self._on_check)
        self.feedback = widgets.HTML()
        self.feedback.add_class("story-feedback")
        super().__init__([*self.fields.values(), self.preview, self.check_button, self.feedback])
        self._on_edit()

    @property
    def story(self) -> str:
        return assemble_story({key: field.value for key, field in self.fields.items()})

    def _on_edit(self, _change=None) -> None:
        with _guard(self.preview, "assembling your story"):
            story = self.story
            count = len(story.split())
            seconds = round(count * 60 / WORDS_PER_MINUTE)
            status = f"{count} words, about {seconds} seconds spoken."
            if count > STORY_WORD_LIMIT:
                status += f" Too long for a minute: cut to about {STORY_WORD_LIMIT} words."
            body = _esc(story) or "<i>Fill in the parts above; your story appears here.</i>"
            self.preview.value = (
                f'{STYLE}<div><b>Your 60-second story</b></div><div class="ag-text">{body}</div>'
                + notice_html(status, "warn" if count > STORY_WORD_LIMIT else "info", style=False)
            )

    def _on_check(self, _button=None) -> None:
        with _guard(self.feedback, "checking your story"):
            story = self.story
            problem = input_problem(story)
            if problem:
                self.feedback.value = notice_html(problem)
                return
            result = score(story, "ownership", STORY_PROMPT)
            self.feedback.value = _save(self.store, self.exercise_id, story, result) + result_html(
                result
            )


class PushbackSimulator(widgets.VBox):
    """Answer, get challenged on what the answer lacks, then reply; the reply is scored (recovery).

    The challenge comes from `pushbacks.yaml`: the most valuable missing signal's first challenge
    not asked yet, so a second round presses on a new gap.
    """

    def __init__(
        self,
        question: str,
        rubric: str = "judgment",
        store: ProgressStore | None = None,
        exercise_id: str = "pushback",
        pushbacks: Pushbacks | None = None,
    ):
        self.question = question
        self.rubric = rubric
        self.store = store if store is not None else ProgressStore()
        self.exercise_id = exercise_id
        self.pushbacks = pushbacks
        self.asked: list[str] = []
        self.challenge: str | None = None
        self.answer = _textarea("Your answer", "Answer the interviewer's question.")
        self.answer.add_class("pb-answer")
        self.check_button = widgets.Button(description="Check", button_style="primary")
        self.check_button.add_class("pb-score")
        self.feedback = widgets.HTML()
        self.feedback.add_class("pb-feedback")
        self.challenge_html = widgets.HTML()
        self.reply = _textarea("Your reply", "Reply to the challenge in about 30 seconds.")
        self.reply.add_class("pb-reply")
        self.reply_button = widgets.Button(description="Check reply", button_style="primary")
        self.reply_button.add_class("pb-reply-score")
        self.reply_feedback = widgets.HTML()
        self.reply_feedback.add_class("pb-reply-feedback")
        self.reply_box = widgets.VBox(
            [self.challenge_html, self.reply, self.reply_button, self.reply_feedback],
            layout={"display": "none"},
        )
        self.check_button.on_click(self._on_check)
        self.reply_button.on_click(self._on_reply)
        intro = widgets.HTML(f"{STYLE}<p><b>Interviewer:</b> {_esc(question)}</p>")
        super().__init__([intro, self.answer, self.check_button, self.feedback, self.reply_box])

    def _on_check(self, _button=None) -> None:
        with _guard(self.feedback):
            text = self.answer.value
            problem = input_problem(text)
            if problem:
                self.feedback.value = notice_html(problem)
                return
            result = score(text, self.rubric, self.question)
            self.feedback.value = _save(self.store, self.exercise_id, text, result) + result_html(
                result
            )
            pushbacks = self.pushbacks or load_pushbacks()
            self.challenge = choose_pushback(result.missing, self.asked, pushbacks)
            self.asked.append(self.challenge)
            self.challenge_html.value = (
                f"<p><b>Interviewer pushes back:</b> <i>{_esc(self.challenge)}</i></p>"
            )
            self.reply.value = ""
            self.reply_feedback.value = ""
            self.reply_box.layout.display = None

    def _on_reply(self, _button=None) -> None:
        with _guard(self.reply_feedback, "checking your reply"):
            text = self.reply.value
            problem = input_problem(text)
            if problem or self.challenge is None:
                self.reply_feedback.value = notice_html(problem or "Check your answer first.")
                return
            prompt = "\n\n".join([self.question, self.answer.value, self.challenge])
            result = score(text, "recovery", prompt)
            saved = _save(self.store, f"{self.exercise_id}-reply", text, result)
            self.reply_feedback.value = saved + result_html(result)


def practice_app(store: ProgressStore | None = None) -> widgets.VBox:
    """Every rewrite exercise behind one Dropdown: the page `make app` serves through Voila."""
    catalog = load_catalog()
    problems = [notice_html(f"Skipped: {message}", style=False) for message in catalog.errors]
    status = widgets.HTML(STYLE + "".join(problems) if problems else "")
    if not catalog.exercises:
        return widgets.VBox([status, widgets.HTML(notice_html("No exercises found."))])
    options = [(f"{ex.section}: {ex.title}", ex.id) for ex in catalog.exercises.values()]
    picker = widgets.Dropdown(options=options, description="Exercise", layout=_WIDE)
    picker.add_class("ex-picker")
    holder = widgets.VBox()

    def show(_change=None) -> None:
        with _guard(status, "opening the exercise"):
            holder.children = [RewriteExercise(catalog.exercises[picker.value], store)]

    picker.observe(show, names="value")
    show()
    return widgets.VBox([status, picker, holder])


def _textarea(label: str, placeholder: str, rows: int = 6) -> widgets.Textarea:
    return widgets.Textarea(
        description=label,
        placeholder=placeholder,
        rows=rows,
        tooltip=label,
        style=_LABEL_STYLE,
        layout=_WIDE,
    )


def _save(store: ProgressStore, exercise_id: str, text: str, result) -> str:
    """Record the attempt; return a notice (to put before `result_html`) if it was not saved."""
    try:
        store.record(exercise_id, text, result)
    except ProgressError as exc:
        return notice_html(str(exc), style=False)
    return ""


def _verdict_html(item: CheckItem, choice: str | None) -> str:
    if choice is None:
        return ""
    if choice == item.label:
        return f"<p>&#10003; <b>Right.</b> {_esc(item.why)}</p>"
    return f"<p>&#10007; <b>Not quite: this one is {_esc(item.label)}.</b> {_esc(item.why)}</p>"


@contextmanager
def _guard(panel: widgets.HTML, doing: str = "checking your answer") -> Iterator[None]:
    """Show any exception raised by a callback in its panel instead of the browser console."""
    try:
        yield
    except Exception as exc:  # shown to the learner, escaped, with its traceback
        panel.value = error_html(exc, doing)


def _esc(text: str) -> str:
    return html.escape(text, quote=True)
