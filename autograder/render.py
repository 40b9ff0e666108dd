"""HTML views of a `Result`: pure functions, so the widgets, Voila and tests share one renderer.

Every piece of learner text goes through `html.escape`: answers are pasted from anywhere and
the widgets insert this HTML as is.
"""

from __future__ import annotations

import html
import traceback
from itertools import pairwise

from .result import Finding, Result

STYLE = """<style>
.ag-result, .ag-compare, .ag-notice { font-family: var(--jp-ui-font-family, sans-serif);
  line-height: 1.45; max-width: 60em; }
.ag-score { display: flex; align-items: center; gap: .6em; margin: .2em 0 .6em; }
.ag-bar { width: 14em; height: .7em; background: rgba(127,127,127,.25); border-radius: .35em;
  overflow: hidden; }
.ag-fill { height: 100%; background: #d97706; }
.ag-passed .ag-fill { background: #16a34a; }
.ag-num { font-weight: 600; }
.ag-chip { display: inline-block; padding: 0 .45em; margin: .1em .2em .1em 0; border-radius: .6em;
  background: rgba(127,127,127,.15); font-size: 90%; }
.ag-list { margin: .2em 0 .6em; padding-left: 1.3em; }
.ag-quote { font-style: italic; }
.ag-text { border-left: 3px solid rgba(127,127,127,.4); padding: .4em .8em; margin: .4em 0;
  overflow-wrap: anywhere; }
mark.sig { background: rgba(34,197,94,.3); color: inherit; border-radius: 2px; }
mark.flag { background: rgba(239,68,68,.3); color: inherit; border-radius: 2px;
  text-decoration: underline wavy #dc2626; }
.ag-next { border-left: 3px solid #2563eb; background: rgba(37,99,235,.1); padding: .4em .8em;
  margin: .6em 0; }
.ag-notice { border-left: 3px solid #d97706; background: rgba(217,119,6,.12); padding: .4em .8em;
  margin: .3em 0; }
.ag-notice.ag-error { border-color: #dc2626; background: rgba(220,38,38,.12); }
.ag-notice.ag-info { border-color: #2563eb; background: rgba(37,99,235,.1); }
.ag-cols { display: flex; flex-wrap: wrap; gap: 1em; }
.ag-col { flex: 1 1 22em; min-width: 0; }
</style>"""

QUOTES_SHOWN = 3
QUOTE_CHARS = 80


def highlight_html(result: Result, *, style: bool = True) -> str:
    """The learner's text with every signal and red-flag span marked, line breaks kept.

    Overlapping spans are cut into pieces at every span edge; each piece gets one `<mark>` that
    carries the classes of all findings covering it, so tags never cross.
    """
    text = result.text
    covers = [
        (start, end, kind, f.rule_id)
        for kind, findings in (("sig", result.signals), ("flag", result.flags))
        for f in findings
        for start, end in _clamped(f.spans, len(text))
    ]
    edges = sorted({0, len(text), *(s for s, *_ in covers), *(e for _, e, *_ in covers)})
    pieces: list[tuple[str, frozenset]] = []
    for start, end in pairwise(edges):
        ids = frozenset((k, rid) for s, e, k, rid in covers if s <= start and end <= e)
        if pieces and pieces[-1][1] == ids:
            pieces[-1] = (pieces[-1][0] + text[start:end], ids)
        else:
            pieces.append((text[start:end], ids))
    body = "".join(_mark(chunk, ids) for chunk, ids in pieces)
    return (STYLE if style else "") + f'<div class="ag-text">{body}</div>'


def result_html(result: Result) -> str:
    """The full report: score, evidence, red flags, the highlighted answer and what to do next."""
    parts = [STYLE, f'<div class="ag-result">{_score_bar(result)}']
    if result.signals:
        parts.append(_findings("What works", result.signals, result.text))
    if result.missing:
        chips = "".join(f'<span class="ag-chip">{_label(m)}</span>' for m in result.missing)
        parts.append(f"<div><b>Still missing:</b> {chips}</div>")
    if result.flags:
        parts.append(_findings("Red flags", result.flags, result.text))
    if result.advisories:
        parts.append(_findings("Notes", result.advisories, result.text, quotes=False))
    if result.text:
        parts.append("<div><b>Your answer</b></div>" + highlight_html(result, style=False))
    if result.feedback:
        parts.append(f'<div class="ag-next"><b>Next step:</b> {_esc(result.feedback[0])}</div>')
    if len(result.feedback) > 1:
        items = "".join(f"<li>{_esc(tip)}</li>" for tip in result.feedback[1:])
        parts.append(f'<div><b>Then</b></div><ul class="ag-list">{items}</ul>')
    parts.append("</div>")
    return "".join(parts)


def compare_html(weak_result: Result, strong_result: Result, question: str) -> str:
    """A weak and a strong answer side by side, and what the strong one adds."""
    columns = []
    for title, result in (("Weak answer", weak_result), ("Strong answer", strong_result)):
        signals = "".join(f'<span class="ag-chip">{_label(i)}</span>' for i in result.signal_ids)
        flags = "".join(f'<span class="ag-chip">{_label(i)}</span>' for i in result.flag_ids)
        columns.append(
            f'<div class="ag-col"><h4>{title}</h4>{_score_bar(result)}'
            f"{highlight_html(result, style=False)}"
            f"<div><b>Signals:</b> {signals or 'none'}</div>"
            f"<div><b>Red flags:</b> {flags or 'none'}</div></div>"
        )
    gained = [i for i in strong_result.signal_ids if i not in weak_result.signal_ids]
    dropped = [i for i in weak_result.flag_ids if i not in strong_result.flag_ids]
    summary = []
    if gained:
        summary.append("The strong answer adds " + ", ".join(_label(i) for i in gained) + ".")
    if dropped:
        summary.append("It avoids " + ", ".join(_label(i) for i in dropped) + ".")
    return (
        f'{STYLE}<div class="ag-compare"><div><b>Question:</b> {_esc(question)}</div>'
        f'<div class="ag-cols">{"".join(columns)}</div>'
        f'<div class="ag-next">{" ".join(summary) or "Both answers show the same signals."}</div>'
        "</div>"
    )


def notice_html(message: str, kind: str = "warn", *, style: bool = True) -> str:
    """A short escaped message box; kind is "warn", "error" or "info"."""
    return f'{STYLE if style else ""}<div class="ag-notice ag-{_esc(kind)}">{_esc(message)}</div>'


def error_html(exc: BaseException, doing: str = "checking your answer") -> str:
    """An unexpected error, escaped, with its traceback folded away for whoever debugs it."""
    trace = "".join(traceback.format_exception(type(exc), exc, exc.__traceback__))
    return (
        f'{STYLE}<div class="ag-notice ag-error">Something went wrong while {_esc(doing)}: '
        f"<b>{_esc(type(exc).__name__)}</b>: {_esc(str(exc))}"
        f"<details><summary>Details</summary><pre>{_esc(trace)}</pre></details></div>"
    )


def _score_bar(result: Result) -> str:
    verdict = "passed" if result.passed else "not passed yet"
    state = "ag-passed" if result.passed else "ag-failed"
    width = round(max(0.0, min(1.0, result.score)) * 100)
    return (
        f'<div class="ag-score {state}"><div class="ag-bar"><div class="ag-fill" '
        f'style="width: {width}%"></div></div>'
        f'<span class="ag-num">Score {result.score:.2f}</span><span>{verdict}</span></div>'
    )


def _findings(title: str, findings: tuple[Finding, ...], text: str, quotes: bool = True) -> str:
    items = []
    for f in findings:
        quoted = ""
        if quotes:
            shown = [_shorten(q) for q in f.quotes(text)[:QUOTES_SHOWN]]
            quoted = " ".join(f'<span class="ag-quote">"{_esc(q)}"</span>' for q in shown if q)
        items.append(f"<li><b>{_label(f.rule_id)}</b>: {_esc(f.message)} {quoted}</li>")
    return f'<div><b>{title}</b></div><ul class="ag-list">{"".join(items)}</ul>'


def _mark(chunk: str, ids: frozenset) -> str:
    body = _esc(chunk).replace("\r\n", "\n").replace("\r", "\n").replace("\n", "<br>")
    if not ids:
        return body
    classes, titles = [], []
    for kind in ("flag", "sig"):
        rule_ids = sorted(rid for k, rid in ids if k == kind)
        if rule_ids:
            classes += [kind, *(f"{kind}-{rid}" for rid in rule_ids)]
            titles += rule_ids
    classes, title = " ".join(classes), ", ".join(titles)
    return f'<mark class="{_esc(classes)}" title="{_esc(title)}">{body}</mark>'


def _clamped(spans, length: int):
    for start, end in spans:
        start, end = max(0, start), min(length, end)
        if start < end:
            yield start, end


def _label(rule_id: str) -> str:
    return _esc(rule_id.replace("_", " "))


def _shorten(quote: str) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= QUOTE_CHARS else quote[: QUOTE_CHARS - 3] + "..."


def _esc(text: str) -> str:
    return html.escape(str(text), quote=True)
