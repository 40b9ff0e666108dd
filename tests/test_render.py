"""The HTML views: marks where the evidence is, never lets learner text through unescaped."""

import html
import subprocess
import sys
from html.parser import HTMLParser

from autograder import score
from autograder.render import compare_html, error_html, highlight_html, notice_html, result_html
from autograder.result import Finding, Result

GOOD = (
    "Fraud is under 0.1% of transactions, so accuracy would hide every miss. I'd start with "
    "precision at a fixed recall.\nThis costs us some blocked customers, which is acceptable. "
    "The risk is label delay, so I'd monitor score drift weekly and roll back if precision drops."
)
QUESTION = "Which metric would you optimize for card fraud?"
VOID = {"br"}


class _Tags(HTMLParser):
    """Checks that tags nest properly and collects the text between them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.stack, self.errors, self.text, self.tags = [], [], [], []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        if tag == "br":
            self.text.append("\n")
        elif tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if not self.stack or self.stack.pop() != tag:
            self.errors.append(tag)

    def handle_data(self, data):
        if not self.stack or self.stack[-1] != "style":
            self.text.append(data)


def _parse(markup: str) -> _Tags:
    parser = _Tags()
    parser.feed(markup)
    parser.close()
    assert not parser.errors and not parser.stack, (parser.errors, parser.stack)
    return parser


def _result(text: str, signals=(), flags=()) -> Result:
    return Result(
        score=0.5,
        passed=False,
        rubric_id="judgment",
        rubric_version="t",
        text=text,
        signals=tuple(Finding(i, "m", spans) for i, spans in signals),
        flags=tuple(Finding(i, "m", spans) for i, spans in flags),
        feedback=("first tip", "second tip"),
    )


def test_signal_spans_are_marked_with_their_id():
    result = score(GOOD, "judgment", QUESTION)
    out = highlight_html(result)
    _parse(out)
    assert result.signals
    for finding in result.signals:
        assert f'class="sig sig-{finding.rule_id}" title="{finding.rule_id}"' in out


def test_text_survives_highlighting_with_line_breaks():
    result = score(GOOD, "judgment", QUESTION)
    parser = _parse(highlight_html(result, style=False))
    assert "".join(parser.text) == GOOD
    assert "<br>" in highlight_html(result)


def test_overlapping_and_nested_spans_never_cross_tags():
    text = "abcdefghijklmnopqrstuvwxyz"
    result = _result(
        text,
        signals=[("decision", ((0, 10),)), ("tradeoff", ((5, 15),)), ("risk", ((2, 4), (20, 40)))],
        flags=[("hedging", ((8, 22),))],
    )
    parser = _parse(highlight_html(result, style=False))
    assert "".join(parser.text) == text
    classes = [a["class"] for tag, a in parser.tags if tag == "mark"]
    assert "flag flag-hedging sig sig-decision sig-tradeoff" in classes
    assert "sig sig-decision sig-risk" in classes and "sig sig-risk" in classes
    assert all("flag-hedging" not in c for c in classes[:3])


def test_out_of_range_and_empty_spans_are_ignored():
    result = _result("short text", signals=[("decision", ((-5, 5), (7, 7), (8, 99)))])
    parser = _parse(highlight_html(result, style=False))
    assert "".join(parser.text) == "short text"
    assert sum(tag == "mark" for tag, _ in parser.tags) == 2


def test_learner_text_is_always_escaped():
    nasty = '<script>alert("x")</script> <img src=x onerror=alert(1)> & "quotes" I\'d start with X.'
    result = score(nasty, "judgment", QUESTION)
    for out in (highlight_html(result), result_html(result), compare_html(result, result, nasty)):
        assert "<script" not in out and "<img" not in out
        assert "&lt;script&gt;" in out
    assert "".join(_parse(highlight_html(result, style=False)).text) == nasty


def test_result_html_has_score_evidence_and_next_step():
    result = score(GOOD, "judgment", QUESTION)
    out = result_html(result)
    _parse(out)
    assert f"Score {result.score:.2f}" in out
    assert "passed" in out
    assert out.count("<style>") == 1
    assert html.escape(result.feedback[0]) in out.split("Next step:")[1]
    for finding in result.signals:
        for quote in finding.quotes(result.text)[:3]:
            assert html.escape(" ".join(quote.split())) in out
    for missing in result.missing:
        assert missing.replace("_", " ") in out


def test_result_html_shows_flags_and_every_tip():
    result = score("It depends, there are many options, we could try a few models.", "judgment")
    out = result_html(result)
    assert "not passed" in out
    for tip in result.feedback:
        assert html.escape(tip) in out
    if result.flags:
        assert "Red flags" in out


def test_empty_result_renders():
    out = result_html(score("", "judgment"))
    _parse(out)
    assert "Score 0.00" in out


def test_compare_html_shows_both_answers_and_what_changed():
    weak = score("I would use accuracy because it is standard.", "judgment", QUESTION)
    strong = score(GOOD, "judgment", QUESTION)
    out = compare_html(weak, strong, QUESTION + " <b>")
    _parse(out)
    assert f"Score {weak.score:.2f}" in out and f"Score {strong.score:.2f}" in out
    assert "&lt;b&gt;" in out
    assert "The strong answer adds" in out
    assert out.count("<style>") == 1


def test_notice_and_error_html_escape():
    assert "&lt;b&gt;" in notice_html("<b>", "info")
    try:
        raise ValueError("bad <tag>")
    except ValueError as exc:
        out = error_html(exc)
    assert "ValueError" in out and "bad &lt;tag&gt;" in out and "<tag>" not in out


def test_importing_the_package_stays_light():
    code = (
        "import sys, autograder, autograder.render, autograder.exercises, autograder.progress;"
        "heavy = [m for m in ('ipywidgets', 'pandas', 'matplotlib') if m in sys.modules];"
        "print(','.join(heavy))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == ""
