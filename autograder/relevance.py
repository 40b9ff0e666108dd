"""Is the answer about the question? Cheap, explainable checks over a small lexicon.

Precision matters more than recall here: an answer is called off topic only when it is
clearly about another application domain than the prompt, or tells a hypothetical when the
question asks what the candidate did. (Sharing few words with the prompt is normal for good
answers, so word overlap alone is not used.)
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

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
    import yaml

    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    data = yaml.load(LEXICON_FILE.read_text(encoding="utf-8"), Loader=loader)
    generic = frozenset(data["generic_words"].split()) | FUNCTION_WORDS
    technical = tuple(data["technical_words"].split())

    def groups(section: str) -> dict[str, tuple[str, ...]]:
        return {name: tuple(entries.split()) for name, entries in data[section].items()}

    return {"generic": generic, "technical": technical, "domains": groups("domains")}


def _matches(word: str, entry: str) -> bool:
    return word == entry if len(entry) <= 3 else word.startswith(entry)


@cache
def _groups_of(word: str, section: str) -> tuple[str, ...]:
    return tuple(
        name
        for name, entries in _lexicon()[section].items()
        if any(_matches(word, e) for e in entries)
    )


@cache
def _technical(word: str) -> bool:
    return any(_matches(word, e) for e in _lexicon()["technical"]) or bool(
        _groups_of(word, "domains")
    )


def content_words_of(tokens) -> list[str]:
    generic = _lexicon()["generic"]
    return [w for w in tokens if len(w) >= 3 and w not in generic and not w.isdigit()]


def content_words(folded: str) -> list[str]:
    return content_words_of(words(folded))


def is_technical(tokens) -> bool:
    """Does a sentence use at least one word of ML or application vocabulary?"""
    return any(_technical(w) for w in tokens)


def _group_counts(tokens, section: str) -> dict[str, int]:
    counts: dict[str, int] = {}
    for w in tokens:
        for g in _groups_of(w, section):
            counts[g] = counts.get(g, 0) + 1
    return counts


def off_topic(prompt: str, folded_answer: str, n_words: int) -> str | None:
    """A short reason when the answer is clearly not about the prompt, else None."""
    if n_words < 25:
        return None
    from .text import fold

    folded_prompt = fold(prompt)
    prompt_tokens = content_words(folded_prompt)
    answer_tokens = content_words(folded_answer)
    prompt_domains = _group_counts(prompt_tokens, "domains")
    answer_domains = _group_counts(answer_tokens, "domains")
    if prompt_domains and not set(prompt_domains) & set(answer_domains):
        other = [d for d, n in answer_domains.items() if n >= 2]
        if other:
            return (
                f"the question is about {_name(prompt_domains)}, the answer about {_name(other)}"
            )
    if (
        _BEHAVIORAL.search(folded_prompt)
        and not _PAST_NARRATIVE.search(folded_answer)
        and _HYPOTHETICAL.search(folded_answer)
    ):
        return "the question asks what you did; the answer only says what you would do"
    return None


def _name(groups) -> str:
    return " / ".join(g.replace("_", " ") for g in sorted(groups))
