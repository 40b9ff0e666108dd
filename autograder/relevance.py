"""Is the answer about the question? Cheap, explainable checks over a small lexicon.

Precision matters more than recall here: an answer is called off topic only when it never
addresses what the question asks (a metric, a threshold, ...), is about another application
domain than the prompt, never takes up an interviewer's pushback, is long yet reuses almost none
of a detailed prompt's words, opens by naming a subject the question never mentions ("For the
etch chambers, I'd ..."), or tells a hypothetical when the question asks what the candidate did.
Sharing few words with the prompt is normal for good answers, so word overlap decides alone only
where it is nearly zero, and a behavioral question's story may come from any past job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache, lru_cache
from pathlib import Path
from typing import NamedTuple

from .text import FUNCTION_WORDS, words

LEXICON_FILE = Path(__file__).parent / "lexicon.yaml"
_BEHAVIORAL = re.compile(
    r"\b(?:tell me about|describe|walk me through|give me an example of|talk about)\b"
    r"[^?]{0,60}\b(?:time|project|system|model|situation|case|instance|incident|decision|work)\b"
    r"|\bhave you ever\b|\bwhen did you\b|\bwhat did you\b|\ba time (?:when )?you\b"
)
_PAST_NARRATIVE = re.compile(
    r"\b(?:i|we|my team|our team)\s+(?:\w+ed|built|chose|led|made|took|found|saw|ran|wrote|set|"
    r"got|had|was|were|spent|drove|knew|thought|brought|sent|kept|caught|began|did|went|put|"
    r"told|shipped|cut|understood|rebuilt|fought|won|lost|held|began|undertook|oversaw)\b"
)
_HYPOTHETICAL = re.compile(r"\b(?:i'd|i would|we'd|we would|i will|i'll|i'm going to)\b")


@cache
def _lexicon() -> dict:
    """Entries indexed by their text: entries of 4+ letters match any word they begin."""
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(LEXICON_FILE.read_text(encoding="utf-8"), Loader=loader)
    generic = frozenset(data["generic_words"].split()) | FUNCTION_WORDS
    entries: dict[str, set[str]] = {}  # entry text -> labels ("technical" or a domain name)
    for entry in data["technical_words"].split():
        entries.setdefault(entry, set()).add(_TECHNICAL)
    for domain, words_ in data["domains"].items():
        for entry in words_.split():
            entries.setdefault(entry, set()).add(domain)
    asks = tuple(
        Ask(name, spec["names"], _any_word(spec["question"]), _any_word(spec["answer"]))
        for name, spec in data["asks"].items()
    )
    return {
        "generic": generic,
        "not_subjects": frozenset(data["not_subjects"].split()),
        "entries": {k: frozenset(v) for k, v in entries.items()},
        "asks": asks,
    }


@dataclass(frozen=True)
class Ask:
    """Something a question asks for, and the words an answer to it cannot avoid."""

    id: str
    names: str
    question: re.Pattern
    answer: re.Pattern


def _any_word(patterns: list[str]) -> re.Pattern:
    return re.compile("(?<!\\w)(?:" + "|".join(patterns) + ")(?!\\w)")


_TECHNICAL = "<technical>"


@lru_cache(maxsize=65536)
def _labels(word: str) -> frozenset[str]:
    """Labels of every lexicon entry that matches the word (whole, or as a 4+ letter prefix)."""
    entries = _lexicon()["entries"]
    found: set[str] = set(entries.get(word, ()))
    for length in range(4, min(len(word), 24)):
        found.update(entries.get(word[:length], ()))
    return frozenset(found)


@lru_cache(maxsize=65536)
def _groups_of(word: str) -> frozenset[str]:
    return _labels(word) - {_TECHNICAL}


def _technical(word: str) -> bool:
    return bool(_labels(word))


def content_words_of(tokens) -> list[str]:
    generic = _lexicon()["generic"]
    return [w for w in tokens if len(w) >= 3 and w not in generic and not w.isdigit()]


def content_words(folded: str) -> list[str]:
    return content_words_of(words(folded))


def is_technical(tokens) -> bool:
    """Does a sentence use at least one word of ML or application vocabulary?"""
    return any(_technical(w) for w in tokens)


def _group_counts(tokens) -> dict[str, int]:
    """How many words of each application domain the tokens use."""
    counts: dict[str, int] = {}
    for w in tokens:
        for g in _groups_of(w):
            counts[g] = counts.get(g, 0) + 1
    return counts


class PromptProfile(NamedTuple):
    words: frozenset[str]  # content words
    stems: frozenset[str]  # their first five letters
    domains: dict[str, int]  # application domains and how many words name each
    behavioral: bool  # asks what the candidate did
    asks: tuple[Ask, ...]  # what it asks for
    pushback: frozenset[str]  # stems only the interviewer's pushback uses, if it has one
    subject_stems: frozenset[str]  # four-letter stems of its words and of their hyphenated parts


_STEM = 5
_MAX_SHARED_OFF_DOMAIN = 0.2  # answers sharing more of the prompt's stems are on its topic
_DETAILED_PROMPT = 20  # content-word stems
_LONG_ANSWER = 80  # words
_MIN_PUSHBACK = 7  # stems only the pushback uses
_LONG_REPLY = 60  # words
# "Interviewer: '...'", "The interviewer pushes back: ..."
_PUSHBACK = re.compile(r"\binterviewer\b[^:.?!]{0,40}:|\bpushes back\b[^:.?!]{0,20}:")
# "For the etch chambers, I'd ...", "As for vessel arrival times I wouldn't ...": the subject an
# answer announces in its first words.
_OPENING_SUBJECT = re.compile(
    r"\s*(?:for|as for|when it comes to) (?:the |a |an |our |my |this |that |your |any )?"
    r"((?:[a-z0-9][\w'/-]* ){0,5}?[a-z0-9][\w'/-]*)(?:,| (?=i\b|i'd\b|i'll\b|i'm\b|we'd\b|my\b))"
)
_COPULAS = frozenset(("is", "are", "was", "were", "there's", "it's"))
_SUBJECT_STEM = 4  # "scoring" and "scores" name the same subject
_MAX_SHARED_FOREIGN_SUBJECT = 0.15  # of the prompt's stems: an answer using more is on topic
_PARTS = re.compile(r"[-/']")


@lru_cache(maxsize=1024)
def prompt_profile(prompt: str) -> PromptProfile:
    """What the relevance checks need from a prompt; cached because a class answers the
    same few prompts."""
    from .text import fold

    folded = fold(prompt)
    tokens = content_words(folded)
    markers = list(_PUSHBACK.finditer(folded))
    pushback: frozenset[str] = frozenset()
    if markers:
        earlier, said = folded[: markers[-1].start()], folded[markers[-1].end() :]
        pushback = _stems(content_words(said)) - _stems(content_words(earlier))
    return PromptProfile(
        frozenset(tokens),
        _stems(tokens),
        _group_counts(tokens),
        bool(_BEHAVIORAL.search(folded)),
        # A pushback's "why not X?" challenges the answer; `pushback` checks it is taken up.
        () if markers else tuple(a for a in _lexicon()["asks"] if a.question.search(folded)),
        pushback,
        frozenset(p[:_SUBJECT_STEM] for w in tokens for p in (w, *_PARTS.split(w)) if len(p) >= 3),
    )


def _stems(tokens) -> frozenset[str]:
    return frozenset(w[:_STEM] for w in tokens)


def off_topic(prompt: str, folded_answer: str, answer_words: list[str]) -> str | None:
    """A short reason when the answer is clearly not about the prompt, else None."""
    if len(answer_words) < 25:
        return None
    profile = prompt_profile(prompt)
    asks = profile.asks
    if asks and not any(a.answer.search(folded_answer) for a in asks):
        return f"the question asks {' and '.join(a.names for a in asks)}; the answer does not address it"
    answer_tokens = content_words_of(answer_words)
    answer_domains = _group_counts(answer_tokens)
    answer_stems = _stems(answer_tokens)
    shared = len(profile.stems & answer_stems)
    # Another domain's vocabulary, and little of the prompt's own: the lexicon cannot list
    # every word of a domain, so an answer that reuses the prompt's words stays on topic.
    # (A story asked for in a behavioral question may come from any past job.)
    if (
        profile.domains
        and not profile.behavioral
        and not set(profile.domains) & set(answer_domains)
    ):
        other = [d for d, n in answer_domains.items() if n >= 3]
        if other and shared <= _MAX_SHARED_OFF_DOMAIN * len(profile.stems):
            return (
                f"the question is about {_name(profile.domains)}, the answer about {_name(other)}"
            )
    # A reply to pushback that never touches what the interviewer raised answers something else.
    if (
        len(profile.pushback) >= _MIN_PUSHBACK
        and len(answer_words) >= _LONG_REPLY
        and not profile.pushback & answer_stems
    ):
        return "the answer never takes up the point the interviewer raised"
    # A long answer to a detailed question that reuses at most one of its words answers
    # something else, even in the same domain (a behavioral question's story may not).
    if (
        not profile.behavioral
        and len(profile.stems) >= _DETAILED_PROMPT
        and len(answer_words) >= _LONG_ANSWER
        and shared <= 1
    ):
        return "the answer uses almost none of the question's own words"
    subject = _foreign_subject(profile, folded_answer)
    if subject and shared <= _MAX_SHARED_FOREIGN_SUBJECT * len(profile.stems):
        return f"the answer opens with '{subject}', which the question never mentions"
    if (
        profile.behavioral
        and not _PAST_NARRATIVE.search(folded_answer)
        and _HYPOTHETICAL.search(folded_answer)
    ):
        return "the question asks what you did; the answer only says what you would do"
    return None


def _foreign_subject(profile: PromptProfile, folded_answer: str) -> str | None:
    """The subject the answer opens with, when most of its application words, including the
    last (its head noun), are absent from the prompt. ML vocabulary and sizes do not count:
    "For the threshold, ..." or "For a 40-person team, ..." may well answer the question."""
    opening = _OPENING_SUBJECT.match(folded_answer)
    if not opening:
        return None
    phrase = opening.group(1).split()
    if _COPULAS.intersection(phrase) or _lexicon()["not_subjects"].intersection(phrase):
        return None
    named = [
        w
        for w in content_words_of(phrase)
        if (_groups_of(w) or not _technical(w)) and not any(c.isdigit() for c in w)
    ]
    if not named:
        return None
    known = profile.subject_stems
    absent = [not any(p[:_SUBJECT_STEM] in known for p in (w, *_PARTS.split(w))) for w in named]
    missing = sum(absent)
    if missing * 2 > len(named) or (missing * 2 == len(named) and absent[-1]):
        return opening.group(1)
    return None


def _name(groups) -> str:
    return " / ".join(g.replace("_", " ") for g in sorted(groups))
