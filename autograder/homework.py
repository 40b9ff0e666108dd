"""Homework grading: turn a scorer verdict into nbgrader points and feedback.

The functions a homework test cell calls are `grade` (free text, scored by the rubric the
learner practised with), `check_choice` and `check_order` (exactly graded items). In a
notebook they print the feedback and return the points, so learners see what they will get.

The points that count are NOT the ones these functions return in the student's kernel: during
`nbgrader autograde` the preprocessor in `autograder.nbgrader_scoring` reads the answers out
of the notebook file and scores them in the nbgrader process, where student code cannot reach
(docs/grading.md). To make a missing preprocessor impossible to overlook, these functions
refuse to score when nbgrader runs them for autograding: every item would then get 0 and the
instructor's reference submission would fail its full-marks check.
"""

from __future__ import annotations

import math
import numbers
import os
import warnings
from dataclasses import dataclass, field

from .engine import score
from .result import Result
from .text import fold, sentences, words

# The score at which an answer earns full points. Below it points fall linearly to 0 at
# score 0 and are rounded DOWN to quarter points, so a point is never given for noise.
FULL_MARKS_AT = 0.8
POINT_STEP = 0.25

# A sentence of an answer is "copied" when this share of its word 5-grams is in the
# assignment's own text (see strip_copied).
COPY_NGRAM = 5
COPY_SHARE = 0.6

# What a released answer cell holds between the quotes (c.ClearSolutions.code_stub).
PLACEHOLDER = "Write your answer here."

AUTOGRADE_NOTICE = (
    "Autograding: this item is scored outside your notebook by the course's nbgrader "
    "preprocessor; the points shown in your feedback come from there."
)

FREE_TEXT, CHOICE, ORDER = "free_text", "choice", "order"


def points_for(score_value, max_points) -> float:
    """Points for a rubric score in [0, 1]: `max_points` at `FULL_MARKS_AT` or above,
    linear below, rounded down to `POINT_STEP`, clamped to [0, max_points], a plain float.

    Monotone non-decreasing in the score. A NaN or a score that is not a number earns 0:
    nbgrader reads NaN or text as FULL marks, so only a clean float may leave this function.
    """
    if not _is_number(score_value) or not _is_number(max_points):
        return 0.0
    value, top = float(score_value), float(max_points)
    if math.isnan(value) or not math.isfinite(top) or top <= 0:
        return 0.0
    fraction = min(max(value, 0.0), FULL_MARKS_AT) / FULL_MARKS_AT
    steps = math.floor(fraction * top / POINT_STEP + 1e-9)
    return float(min(max(steps * POINT_STEP, 0.0), top))


@dataclass(frozen=True)
class Item:
    """One autograded homework item, as its test cell declares it."""

    kind: str  # FREE_TEXT, CHOICE or ORDER
    variable: str  # the name the answer cell assigns, e.g. "answer_q1"
    points: float
    rubric: str = ""
    question: str = ""
    options: str = ""  # exact items: the allowed letters, e.g. "ABC"
    key: str | None = None  # exact items: the right answer (hidden from the release)
    grade_id: str = ""


@dataclass(frozen=True)
class Outcome:
    """The verdict on one item: points, why, and the scorer's evidence."""

    item: Item
    points: float
    status: str  # "scored", or why the answer could not be scored (see STATUS_REASONS)
    reason: str = ""
    answer: str | None = None
    result: Result | None = field(default=None, repr=False)

    @property
    def correct(self) -> bool | None:
        if self.item.kind == FREE_TEXT or self.status != "scored":
            return None
        return self.points == self.item.points

    def feedback(self) -> str:
        """The text a learner reads under the test cell and on the feedback page."""
        item = self.item
        head = f"{_fmt(self.points)} / {_fmt(item.points)} points"
        if self.status != "scored":
            return f"{head}\n{self.reason}"
        if item.kind != FREE_TEXT:
            if item.key is None:
                return f"Your answer {self.answer} is recorded; it is checked when you hand in."
            verdict = "Correct." if self.correct else f"Not correct: the answer is {item.key}."
            return f"{head}\n{verdict} You answered {self.answer}."
        result = self.result
        lines = [
            f"{head} (rubric {item.rubric}: score {result.score:.2f}; full points from "
            f"{FULL_MARKS_AT:.2f})"
        ]
        for title, findings in (
            ("Signals", result.signals),
            ("Red flags", result.flags),
            ("Notes", result.advisories),
        ):
            lines.append(f"{title}:" + ("" if findings else " none"))
            for finding in findings:
                quotes = "; ".join(f'"{_short(q)}"' for q in finding.quotes(result.text)[:2])
                lines.append(
                    f"  - {finding.rule_id}: {quotes}" if quotes else f"  - {finding.rule_id}"
                )
        if result.missing:
            lines.append("Missing signals: " + ", ".join(result.missing))
        if self.reason:
            lines.append(self.reason)
        lines.append(f"Next step: {result.next_step}")
        return "\n".join(lines)

    def to_dict(self) -> dict:
        """A JSON-ready record, stored with the autograded notebook for the instructor report."""
        result = self.result
        return {
            "grade_id": self.item.grade_id,
            "variable": self.item.variable,
            "kind": self.item.kind,
            "rubric": self.item.rubric,
            "points": self.points,
            "max_points": self.item.points,
            "status": self.status,
            "reason": self.reason,
            "score": result.score if result else None,
            "signals": result.signal_ids if result else [],
            "flags": result.flag_ids if result else [],
            "advisories": result.advisory_ids if result else [],
            "missing": list(result.missing) if result else [],
            "next_step": result.next_step if result else "",
            "correct": self.correct,
        }


STATUS_REASONS = {
    "no_answer": "No answer yet: replace the placeholder between the quotes with your answer",
    "empty": "The answer is empty: write it between the quotes",
    "not_text": 'The answer must be text in quotes, e.g. answer = """..."""',
    "extra_code": "The answer cell must hold only the answer in quotes; it also holds code",
    "syntax_error": "The answer cell is not valid Python, so it cannot be read",
    "missing_answer": "No answer found: the cell that defines it was deleted or comes after "
    "the test cell",
    "test_deleted": "This item's test cell was deleted from the submission, so it scores 0",
    "bad_format": "The answer is not in the required format",
}


def not_scored(item: Item, status: str, detail: str = "", answer: str | None = None) -> Outcome:
    """An Outcome worth 0 points, with the learner-facing reason for `status`."""
    reason = STATUS_REASONS[status] + (f" ({detail})" if detail else "") + "."
    return Outcome(item, 0.0, status, reason, answer)


def evaluate(item: Item, text: str, given: str = "") -> Outcome:
    """Grade the answer text of one item. `text` must be a plain str (the caller checks).
    `given` is the assignment's own text: sentences copied from it are not scored."""
    if text.strip() == PLACEHOLDER:
        return not_scored(item, "no_answer", answer=text)
    if not text.strip():
        return not_scored(item, "empty", answer=text)
    if item.kind == FREE_TEXT:
        # Line breaks inside the quotes are layout, not content: "my choice\n    assumed"
        # must read like "my choice assumed" to the scorer's phrase patterns.
        prose = " ".join(text.split())
        own, copied = strip_copied(prose, given)
        with warnings.catch_warnings():
            # nbgrader gives 0 to a test cell that writes anything to stderr
            warnings.simplefilter("ignore")
            result = score(own, item.rubric, item.question)
        note = (
            f"{copied} sentence(s) copied from the assignment's text were not scored."
            if copied
            else ""
        )
        return Outcome(item, points_for(result.score, item.points), "scored", note, prose, result)
    answer = normalize_letters(text)
    problem = format_problem(item, answer)
    if problem:
        return not_scored(item, "bad_format", problem, answer=text.strip())
    if item.key is None:
        return Outcome(item, 0.0, "scored", "", answer)
    points = item.points if answer == normalize_letters(item.key) else 0.0
    return Outcome(item, float(points), "scored", "", answer)


def strip_copied(text: str, given: str) -> tuple[str, int]:
    """Drop the sentences of `text` copied from `given`; returns (the rest, how many dropped).

    The released notebook teaches with example answers (the options of the choice items), and
    the scorer's relevance check is lenient, so a pasted example could outscore an honest
    attempt. A sentence counts as copied when most of its word 5-grams occur in `given`.
    """
    if not given:
        return text, 0
    known = _ngrams(words(fold(given)))
    kept, dropped = [], 0
    for sentence in sentences(fold(text)):
        grams = _ngrams(sentence.words)
        if grams and len(grams & known) >= COPY_SHARE * len(grams):
            dropped += 1
        else:
            kept.append(text[sentence.start : sentence.end])
    return " ".join(kept), dropped


def _ngrams(tokens) -> set[tuple[str, ...]]:
    return {tuple(tokens[i : i + COPY_NGRAM]) for i in range(len(tokens) - COPY_NGRAM + 1)}


def evaluate_value(item: Item, value) -> Outcome:
    """Grade a value handed over at run time; only a plain str counts, so an object whose
    methods lie (a str subclass, an __eq__ that is always True) is not text."""
    if type(value) is not str:
        return not_scored(item, "not_text", f"got {type(value).__name__}")
    return evaluate(item, value)


def normalize_letters(text: str) -> str:
    """ "b", " B. ", "(B)" -> "B"; "C, A, B" and "C > A > B" -> "CAB"."""
    return "".join(ch for ch in text.upper() if ch.isalnum())


def format_problem(item: Item, answer: str) -> str:
    options = item.options.upper()
    if item.kind == CHOICE and (len(answer) != 1 or answer not in options):
        return f"write exactly one of {', '.join(options)}"
    if item.kind == ORDER and sorted(answer) != sorted(options):
        return f'write each of {", ".join(options)} once, in your order, e.g. "{options}"'
    return ""


def grade(answer, *, rubric: str, question: str, points: float) -> float:
    """Score a free-text answer with `rubric`, print the feedback, return the points.

    In a notebook the answer is read the way the autograder reads it (the text in quotes in
    the cell that defines it), so the points shown are the points nbgrader will record.
    """
    item = Item(FREE_TEXT, "", float(points), rubric=rubric, question=question)
    return _run(item, answer)


def check_choice(answer, *, options: str, points: float, key: str | None = None):
    """Check a one-letter answer. Without `key` (as released) only the format is checked:
    returns None when it is fine, 0.0 when it is not, so `nbgrader validate` flags it."""
    return _run(Item(CHOICE, "", float(points), options=options, key=key), answer)


def check_order(answer, *, options: str, points: float, key: str | None = None):
    """Check an ordering of all option letters, e.g. "CAB"; `key` as in check_choice."""
    return _run(Item(ORDER, "", float(points), options=options, key=key), answer)


def _run(item: Item, answer):
    if os.environ.get("NBGRADER_EXECUTION") == "autograde":
        print(AUTOGRADE_NOTICE)
        return 0.0
    from .submission import outcome_in_kernel  # the notebook reader; not needed elsewhere

    outcome = outcome_in_kernel(item) or evaluate_value(item, answer)
    print(outcome.feedback())
    if item.kind != FREE_TEXT and item.key is None and outcome.status == "scored":
        return None
    return outcome.points


def _is_number(value) -> bool:
    return isinstance(value, numbers.Real) and not isinstance(value, bool)


def _fmt(points: float) -> str:
    return f"{points:g}"


def _short(quote: str, limit: int = 70) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 3] + "..."
