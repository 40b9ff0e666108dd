"""The generic scoring engine: `score(answer, rubric, prompt) -> Result`, a pure function.

Steps: coerce and cap the input; split it into sentences; set aside sentences that cannot
count as evidence (copied from the prompt, crammed with buzzwords); run every rule of the
rubric; apply the advisories that stop gaming (off-topic, repetition, padding, ...); then
turn present signals and red flags into points and feedback.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass

from . import relevance
from .dispatch import find_all
from .result import CriterionScore, Finding, Result
from .rubric import Rubric, Rule, load_rubric
from .text import (
    FUNCTION_WORDS,
    Sentence,
    fold,
    has_control_characters,
    markup_spans,
    sentences,
    words,
)

MAX_CHARS = 20_000
MIN_WORDS = 12
BEFORE_WINDOW = 48

# Input and gaming advisories: (score cap, whether the answer can still pass, feedback).
ADVISORIES: dict[str, tuple[float, bool, str]] = {
    "not_text": (0.0, False, "There is no text to score: the answer must be a string of text."),
    "empty": (
        0.0,
        False,
        "The answer is empty: write two or three sentences that commit to a decision.",
    ),
    "not_english": (
        0.0,
        False,
        "This scorer reads English answers only: write your answer in English.",
    ),
    "not_prose": (
        0.0,
        False,
        "This is not prose: write full sentences that make a decision and explain it.",
    ),
    "prompt_copy": (
        0.1,
        False,
        "This mostly repeats the question: answer it in your own words and commit to a decision.",
    ),
    "off_topic": (
        0.1,
        False,
        "This does not answer the question that was asked: address its situation directly.",
    ),
    "stuffed": (
        0.3,
        False,
        "Key words are listed without real content: say what you decided, what it costs and why.",
    ),
    "repetitive": (
        0.3,
        False,
        "The same sentences repeat: each sentence should add something new.",
    ),
    "padded": (
        0.35,
        False,
        "Most of this is filler: cut it to the sentences that carry the decision.",
    ),
    "too_short": (
        0.3,
        False,
        "Too short to show judgment: add the context, your decision and the cost you accept.",
    ),
    "truncated": (
        1.0,
        True,
        "Only the first 20,000 characters were scored: keep answers under a minute of speech.",
    ),
    "rambling": (1.0, True, "It runs long: a strong reply to pushback fits in about 30 seconds."),
    "markup": (1.0, True, "HTML tags were scored as plain text."),
    "control_characters": (1.0, True, "Control characters were ignored."),
    "bytes_decoded": (1.0, True, "The answer arrived as bytes and was decoded as UTF-8."),
}
RAMBLING_PENALTY = 0.15

# Words that name rubric concepts; a short sentence made mostly of them is a keyword list.
_CONCEPT_WORDS = frozenset(
    [
        "tradeoff",
        "tradeoffs",
        "trade-off",
        "trade-offs",
        "decision",
        "decisions",
        "decided",
        "decide",
        "monitoring",
        "monitor",
        "monitored",
        "drift",
        "framing",
        "frame",
        "framed",
        "impact",
        "ownership",
        "owner",
        "own",
        "owned",
        "risk",
        "risks",
        "rollback",
        "prioritize",
        "prioritized",
        "prioritization",
        "stakeholder",
        "stakeholders",
        "metric",
        "metrics",
        "accountability",
        "accountable",
        "lifecycle",
        "leakage",
        "skew",
        "calibration",
        "latency",
        "precision",
        "recall",
        "reflection",
        "lesson",
        "lessons",
        "baseline",
        "mitigation",
        "alignment",
        "acknowledge",
        "reevaluate",
        "re-evaluate",
        "recommit",
        "miscalibration",
        "dashboards",
        "alerts",
        "thresholds",
        "aligned",
        "quantified",
        "retention",
        "roi",
        "kpi",
        "sla",
        "deployment",
        "deployed",
        "governance",
        "scalability",
        "robustness",
        "observability",
        "iteration",
    ]
)
# "Risk: drift, leakage." or "I decided, I owned it, I prioritized." name concepts, not content.
_LABEL_COLON = re.compile(
    r"(?:framing|decision|tradeoffs?|trade-offs?|risks?|monitoring|impact|reflection|ownership|"
    r"prioriti[sz]ation|acknowledge|re-?evaluate|recommit|mitigation|context|dependency)\s*:"
)
_I_VERB_LIST = re.compile(r"\bi \w+(?: \w+)?\s*(?:[,.;]|and\b|$)")
# "I proposed, decided, chose and aligned": decision verbs listed, not a decision told.
_DECISION_VERB_LIST = re.compile(
    r"\b(?:proposed|decided|chose|drove|aligned|owned|prioriti[sz]ed|led|shipped|monitored)"
    r"(?:,? (?:and )?(?:proposed|decided|chose|drove|aligned|owned|prioriti[sz]ed|led|shipped|monitored)){2}"
)
_FILLER = re.compile(
    r"great question|good question|lorem ipsum|as an ai|thanks for asking|interesting question"
    r"|i love this question|let me think|to be honest"
)


# Verbal filler and small talk; real answers use a few at most (corpus: 3 in 150 words).
_VERBAL_FILLER = re.compile(
    r"\b(?:um+|uh+|erm|you know|i mean|basically|essentially|literally|kind of|sort of|like,"
    r"|at a high level|all things considered|more or less|broadly speaking|generally speaking"
    r"|at the end of the day|to be honest(?: with you)?|honestly|so,|anyway|in terms of"
    r"|when you (?:really )?think about it|if that makes sense|great question|good question"
    r"|thanks? (?:you )?for (?:asking|the question|raising)|i appreciate (?:you|that|the)"
    r"|i love (?:this|that) question|such an? (?:interesting|great|fun) (?:question|problem))"
)


@dataclass
class _Doc:
    text: str
    folded: str
    sentences: list[Sentence]
    starts: list[int]
    excluded: set[int]  # sentence indexes that cannot count as evidence of a signal
    copied: set[int]  # sentences lifted from the prompt: not evidence of a red flag either

    def sentence_at(self, pos: int) -> int:
        return max(0, bisect.bisect_right(self.starts, pos) - 1)


def score(answer, rubric="judgment", prompt=None) -> Result:
    """Score one free-text answer against a rubric; never raises on bad answer input."""
    rub = load_rubric(rubric)
    notes: list[Finding] = []
    text = _coerce(answer, notes)
    if text is None:
        return _verdict(rub, "", notes)
    if len(text) > MAX_CHARS:
        notes.append(
            Finding("truncated", ADVISORIES["truncated"][2], ((MAX_CHARS - 1, MAX_CHARS),))
        )
        text = text[:MAX_CHARS]
    folded = fold(text)
    tags = markup_spans(text)
    if tags:
        notes.append(Finding("markup", ADVISORIES["markup"][2], tuple(tags[:5])))
        folded = _blank(folded, tags)  # words inside tags and scripts are not evidence
    sents = sentences(folded)
    all_words = [w for sent in sents for w in sent.words]
    language = _language_problem(text, all_words)
    if language:
        notes.append(Finding(language, ADVISORIES[language][2]))
        return _verdict(rub, text, notes)
    if not all_words:
        notes.append(Finding("empty", ADVISORIES["empty"][2]))
        return _verdict(rub, text, notes)
    if has_control_characters(text):
        notes.append(Finding("control_characters", ADVISORIES["control_characters"][2]))

    doc = _Doc(text, folded, sents, [s.start for s in sents], set(), set())
    prompt_text = prompt if isinstance(prompt, str) and prompt.strip() else None
    if prompt_text:
        _exclude_copied(doc, prompt_text, all_words, notes)
    raw = _raw_matches(rub, folded)
    found = _run_rules(rub, doc, raw)
    before = set(doc.excluded)
    _exclude_stuffed(doc, found, all_words, notes)
    newly = doc.excluded - before
    if newly and any(
        doc.sentence_at(s) in newly for _r, spans, _c in found.values() for s, _e in spans
    ):
        found = _run_rules(rub, doc, raw)
    _gaming_advisories(doc, found, all_words, rub, notes)
    if prompt_text and not any(n.rule_id == "prompt_copy" for n in notes):
        off = relevance.off_topic(prompt_text, folded, all_words)
        if off:
            notes.append(Finding("off_topic", f"{ADVISORIES['off_topic'][2]} ({off})"))
    if len(all_words) < MIN_WORDS:
        notes.append(Finding("too_short", ADVISORIES["too_short"][2]))
    if rub.max_words and len(all_words) > rub.max_words:
        notes.append(Finding("rambling", ADVISORIES["rambling"][2]))
    return _verdict(rub, text, notes, found)


def _blank(folded: str, spans) -> str:
    """Replace the spans with spaces, keeping every offset."""
    chars = list(folded)
    for start, end in spans:
        chars[start:end] = " " * (end - start)
    return "".join(chars)


def _coerce(answer, notes: list[Finding]) -> str | None:
    if isinstance(answer, bytes):
        try:
            answer = answer.decode("utf-8")
        except UnicodeDecodeError:
            notes.append(Finding("not_text", "The answer is bytes that are not UTF-8 text."))
            return None
        notes.append(Finding("bytes_decoded", ADVISORIES["bytes_decoded"][2]))
    if answer is None or not isinstance(answer, str):
        kind = "nothing (None)" if answer is None else type(answer).__name__
        notes.append(Finding("not_text", f"{ADVISORIES['not_text'][2]} Got {kind}."))
        return None
    # A str subclass could lie through its methods: score a plain copy of its characters.
    return str.__str__(answer)


def _language_problem(text: str, all_words: list[str]) -> str | None:
    letters = [] if text.isascii() else [c for c in text[:4000] if c.isalpha()]
    if letters and sum(not c.isascii() for c in letters) / len(letters) > 0.3:
        return "not_english"
    if len(all_words) >= 8:
        ratio = sum(map(FUNCTION_WORDS.__contains__, all_words)) / len(all_words)
        if ratio < 0.12:
            return "not_prose"
    return None


def _exclude_copied(doc: _Doc, prompt: str, all_words: list[str], notes: list[Finding]) -> None:
    """Sentences lifted from the prompt show nothing about the candidate."""
    prompt_words = relevance.prompt_profile(prompt).words
    if not prompt_words:
        return
    copied_words = 0
    spans = []
    for i, sent in enumerate(doc.sentences):
        content = relevance.content_words_of(sent.words)
        if len(content) >= 3 and sum(w in prompt_words for w in content) / len(content) >= 0.8:
            doc.excluded.add(i)
            doc.copied.add(i)
            copied_words += len(sent.words)
            spans.append((sent.start, sent.end))
    if spans and copied_words >= 0.5 * len(all_words):
        notes.append(Finding("prompt_copy", ADVISORIES["prompt_copy"][2], tuple(spans)))


def _exclude_stuffed(doc: _Doc, found: dict, all_words: list[str], notes: list[Finding]) -> None:
    """A sentence that is mostly rubric vocabulary, or evidences many signals in a few words,
    is a keyword list, not evidence."""
    per_sentence: dict[int, set[str]] = {}
    for rule_id, (rule, spans, _count) in found.items():
        if rule.kind != "signal":
            continue
        for start, _end in spans:
            per_sentence.setdefault(doc.sentence_at(start), set()).add(rule_id)
    # "I proposed. I decided. I owned.": decision verbs told as one-word sentences
    bare = [
        i for i, sent in enumerate(doc.sentences) if len(sent.words) == 2 and sent.words[0] == "i"
    ]
    bare_verbs = set(bare) if len(bare) >= 3 else set()
    stuffed_words = 0
    spans = []
    for i, sent in enumerate(doc.sentences):
        n = len(sent.words)
        if i in doc.excluded or n < 2:
            continue
        concepts = sum(map(_CONCEPT_WORDS.__contains__, sent.words))
        chunk = doc.folded[sent.start : sent.end]
        # a list that names rubric concepts; a terse list of facts ("Applications +6%,
        # first-gen flat.") is how some strong answers are written
        listy = n >= 4 and sent.function_ratio < 0.15 and concepts > 0
        dense = n >= 6 and concepts / n >= 0.4
        signals = len(per_sentence.get(i, ()))
        # four signals in a dozen words, or six in one sentence of any length
        crammed = (signals >= 4 and n < 3 * signals) or signals >= 6
        labelled = (
            i in bare_verbs
            or _labelled_list(chunk)
            or len(_I_VERB_LIST.findall(chunk)) >= 3
            or bool(_DECISION_VERB_LIST.search(chunk))
        )
        if listy or dense or crammed or labelled:
            doc.excluded.add(i)
            stuffed_words += n
            spans.append((sent.start, sent.end))
    if spans and (len(spans) >= 2 or stuffed_words >= 0.4 * len(all_words)):
        notes.append(Finding("stuffed", ADVISORIES["stuffed"][2], tuple(spans)))


def _labelled_list(chunk: str) -> bool:
    """A rubric heading over a few keywords ("Risk: drift, leakage.", "Impact: cut losses by
    14%."); "Risk: late inbound flights make no-shows correlated, so ..." is a sincere line."""
    label = _LABEL_COLON.match(chunk)
    if not label:
        return False
    rest = words(chunk[label.end() :])
    return len(rest) < 8 or sum(map(FUNCTION_WORDS.__contains__, rest)) < 0.2 * len(rest)


def _gaming_advisories(doc, found, all_words, rub: Rubric, notes: list[Finding]) -> None:
    # Repetition: sentences that (nearly) repeat an earlier one, or a tiny vocabulary.
    seen: list[tuple[frozenset[str], int]] = []
    repeated_spans = []
    repeated_words = 0
    for sent in doc.sentences:
        bag = frozenset(sent.words)
        size = len(bag)
        repeated = False
        if len(sent.words) >= 4:
            for other, other_size in seen:
                # Jaccard >= 0.8 needs the smaller bag to be at least 0.8 of the larger one.
                if 0.8 * max(size, other_size) > min(size, other_size):
                    continue
                if len(bag & other) >= 0.8 * len(bag | other):
                    repeated = True
                    break
        if repeated:
            repeated_spans.append((sent.start, sent.end))
            repeated_words += len(sent.words)
        else:
            seen.append((bag, size))
    n = len(all_words)
    tiny_vocabulary = n >= 40 and len(set(all_words)) / n < 0.3
    if (len(repeated_spans) >= 2 and repeated_words >= 0.3 * n) or tiny_vocabulary:
        notes.append(Finding("repetitive", ADVISORIES["repetitive"][2], tuple(repeated_spans[:10])))
        return
    # Padding: verbal filler throughout ("um, so, you know, basically, at a high level") ...
    fillers = _VERBAL_FILLER.findall(doc.folded)
    if len(fillers) >= 5 or (len(fillers) >= 4 and len(fillers) >= 0.03 * n):
        spans = [m.span() for m in _VERBAL_FILLER.finditer(doc.folded)]
        notes.append(Finding("padded", ADVISORIES["padded"][2], tuple(spans[:10])))
        return
    # ... or a long answer most of whose words sit in sentences that carry no evidence.
    if n < 120:
        return
    evidence = {doc.sentence_at(s) for _r, spans, _c in found.values() for s, _e in spans}
    fillers = {doc.sentence_at(m.start()) for m in _FILLER.finditer(doc.folded)}
    filler_words = 0
    filler_spans = []
    for i, sent in enumerate(doc.sentences):
        if i in fillers or (i not in evidence and not relevance.is_technical(sent.words)):
            filler_words += len(sent.words)
            filler_spans.append((sent.start, sent.end))
    if filler_words >= 0.55 * n:
        notes.append(Finding("padded", ADVISORIES["padded"][2], tuple(filler_spans[:10])))


def _raw_matches(rub: Rubric, folded: str) -> dict[str, tuple[list, list]]:
    """{rule id: ([(span, weight) of cues], [span of versus patterns])}, before any filter."""
    patterns, owners, index = rub.matcher
    raw: dict[str, tuple[list, list]] = {c.id: ([], []) for c in rub.criteria}
    for i, start, end in find_all(index, patterns, folded):
        rule_id, weight, is_versus = owners[i]
        if is_versus:
            raw[rule_id][1].append((start, end))
        else:
            raw[rule_id][0].append(((start, end), weight))
    return raw


def _run_rules(rub: Rubric, doc: _Doc, raw) -> dict[str, tuple[Rule, list[tuple[int, int]], float]]:
    """Return {rule id: (rule, spans, count)} for every criterion rule that fires.

    Rules that depend on others (requires_absent / requires_present / requires_any) run after
    the rules they depend on."""
    matches: dict[str, tuple[Rule, list[tuple[int, int]], float]] = {}
    pending = {}
    for crit in rub.criteria:
        rule = crit.rule
        hits = raw[rule.id][0]
        if not hits:
            continue
        spans, count = _filter(rule, hits, doc)
        if count < rule.min_count or not spans:
            continue
        if rule.type == "dominance":
            versus = [s for s in raw[rule.id][1] if doc.sentence_at(s[0]) not in doc.excluded]
            if len(_merge(versus)) > rule.max_versus:
                continue
        pending[rule.id] = (rule, spans, count)
    _add_openings(rub, doc, pending)
    decided: set[str] = set()
    rubric_ids, dependencies = rub.dependencies
    absent = rubric_ids - set(pending)
    while len(decided) < len(pending):
        progress = False
        for rule_id, (rule, spans, count) in pending.items():
            if rule_id in decided or not dependencies[rule_id] <= decided | absent:
                continue
            decided.add(rule_id)
            progress = True
            if any(dep in matches for dep in rule.requires_absent):
                continue
            if not all(dep in matches for dep in rule.requires_present):
                continue
            gates = [dep for dep in rule.requires_any if dep in rubric_ids]
            if gates and not any(dep in matches for dep in gates):
                continue
            matches[rule_id] = (rule, spans, count)
        if not progress:  # a dependency cycle: leave the rest out rather than guess
            break
    return matches


def _add_openings(rub: Rubric, doc: _Doc, pending: dict) -> None:
    """An `opening` rule also fires on an answer's first sentence when it sets context before
    the first decision: six or more words, an `opening` cue, no `opening_unless` (hedges,
    generalities), and a decision in a later sentence."""
    decision = pending.get("decision")
    if not decision or not doc.sentences or 0 in doc.excluded:
        return
    first_decision = min(doc.sentence_at(start) for start, _end in decision[1])
    if first_decision == 0:
        return
    sent = doc.sentences[0]
    chunk = doc.folded[sent.start : sent.end]
    for crit in rub.criteria:
        rule = crit.rule
        if not rule.opening or len(sent.words) < 6:
            continue
        if not any(p.search(chunk) for p in rule.opening):
            continue
        if any(p.search(chunk) for p in rule.opening_unless):
            continue
        _rule, spans, count = pending.get(rule.id, (rule, [], 0.0))
        pending[rule.id] = (rule, _merge([*spans, (sent.start, sent.end)]), count + 1.0)


def _filter(rule: Rule, hits, doc: _Doc):
    """Drop matches in excluded sentences, in sentences an `unless` pattern matches, and
    matches preceded by a `reject_before` pattern (negation, hedges). A keyword-list sentence
    is no evidence of a signal, but still shows a red flag (a list of options, a platitude)."""
    barred = doc.excluded if rule.kind == "signal" else doc.copied
    spans: list[tuple[int, int]] = []
    count = 0.0
    unless_cache: dict[int, bool] = {}
    folded = doc.folded
    last = len(doc.sentences) - rule.in_last_sentences
    for (start, end), weight in hits:
        idx = doc.sentence_at(start)
        if idx in barred or (rule.in_last_sentences and idx < last):
            continue
        sent = doc.sentences[idx]
        if len(sent.words) < rule.min_sentence_words:
            continue
        if rule.unless:
            if idx not in unless_cache:
                chunk = folded[sent.start : sent.end]
                unless_cache[idx] = any(u.search(chunk) for u in rule.unless)
            if unless_cache[idx]:
                continue
        if rule.reject_before is not None:
            window = folded[max(sent.start, start - BEFORE_WINDOW) : start]
            if rule.reject_before.search(window):
                continue
        spans.append((start, end))
        count += weight
    return _merge(spans), count


def _merge(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    if len(spans) < 2:
        return spans
    spans.sort()
    merged = [spans[0]]
    for start, end in spans[1:]:
        last_start, last_end = merged[-1]
        if start <= last_end:
            merged[-1] = (last_start, max(last_end, end))
        else:
            merged.append((start, end))
    return merged


def _verdict(rub: Rubric, text: str, notes: list[Finding], found: dict | None = None) -> Result:
    found = found or {}
    signals, flags, criteria = [], [], []
    earned = penalty = 0.0
    for crit in rub.criteria:
        rule = crit.rule
        hit = found.get(rule.id)
        if rule.kind == "signal":
            points = crit.weight if hit else 0.0
            earned += points
            criteria.append(CriterionScore(rule.id, "signal", points, crit.weight))
            if hit:
                signals.append(Finding(rule.id, rule.message, tuple(hit[1])))
        else:
            points = -crit.weight if hit else 0.0
            penalty += crit.weight if hit else 0.0
            criteria.append(CriterionScore(rule.id, "flag", points, 0.0))
            if hit:
                flags.append(Finding(rule.id, rule.message, tuple(hit[1])))
    note_ids = {n.rule_id for n in notes}
    if "rambling" in note_ids:
        penalty += RAMBLING_PENALTY
    raw = (earned - penalty) / rub.full_marks
    cap = min((ADVISORIES[i][0] for i in note_ids), default=1.0)
    present = {f.rule_id for f in signals}
    missing_required = [r for r in rub.required if r not in present]
    if missing_required:
        cap = min(cap, rub.required_cap)
    value = round(min(max(raw, 0.0), 1.0, cap), 3)
    blocked = any(not ADVISORIES[i][1] for i in note_ids)
    passed = value >= rub.pass_threshold and not missing_required and not blocked and bool(text)
    missing = [
        c
        for c in sorted(rub.signals, key=lambda c: -c.weight)
        if c.id not in present and c.weight > 0
    ]
    feedback = _feedback(rub, notes, flags, missing, missing_required, passed)
    return Result(
        score=value,
        passed=passed,
        rubric_id=rub.id,
        rubric_version=rub.version,
        text=text,
        signals=tuple(signals),
        flags=tuple(flags),
        advisories=tuple(notes),
        missing=tuple(c.id for c in missing),
        feedback=tuple(feedback),
        criteria=tuple(criteria),
    )


def _feedback(rub, notes, flags, missing, missing_required, passed) -> list[str]:
    tips: list[str] = []
    blocking = [n for n in notes if not ADVISORIES[n.rule_id][1]]
    tips.extend(n.message for n in blocking)
    by_id = {c.id: c for c in rub.criteria}
    for rid in missing_required:
        tips.append(by_id[rid].feedback)
    for f in sorted(flags, key=lambda f: -by_id[f.rule_id].weight):
        tips.append(by_id[f.rule_id].feedback)
    tips.extend(c.feedback for c in missing)
    tips.extend(n.message for n in notes if ADVISORIES[n.rule_id][1])
    unique = list(dict.fromkeys(tips))[:4]
    if passed and not flags and not missing:
        unique = [rub.praise, *unique][:4]
    return unique or [rub.praise]
