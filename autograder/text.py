"""Text preparation: a same-length normalized copy, sentences and words with offsets.

Keeping the normalized copy exactly as long as the original lets every regex match on it
be reported as a span of the learner's own text.
"""

from __future__ import annotations

import re
from typing import NamedTuple

# Characters that change meaning for our cues only by their shape: fold them to ASCII, one for one.
_FOLD = {
    "\u2018": "'",
    "\u2019": "'",
    "\u02bc": "'",
    "\u2032": "'",
    "\u0060": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2033": '"',
    "\u2010": "-",
    "\u2011": "-",
    "\u2012": "-",
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u00a0": " ",
    "\u2009": " ",
    "\u202f": " ",
    "\u200b": " ",
}
_FOLD.update({chr(c): " " for c in range(32) if chr(c) != "\n"})
_FOLD.update({chr(127): " "})
_FOLD_TABLE = str.maketrans(_FOLD)

_SENTENCE_END = re.compile(r"[.!?;:][\"')\]]*\s+|\n\s*")
_LIST_AFTER_COLON = re.compile(r"[-*•]|\d+[.)]\s")
_WORD = re.compile(r"[a-z0-9]+(?:['-][a-z0-9]+)*")
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")
_TAG = re.compile(
    r"<(script|style)\b[^>]{0,200}>.{0,5000}?</\1\s*>|</?[a-zA-Z][^<>]{0,200}>",
    re.IGNORECASE | re.DOTALL,
)

# Function words: real English prose is 35-55% these; keyword lists and gibberish are not.
FUNCTION_WORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "and",
        "or",
        "but",
        "if",
        "then",
        "so",
        "because",
        "since",
        "as",
        "of",
        "to",
        "in",
        "on",
        "at",
        "by",
        "for",
        "with",
        "from",
        "into",
        "onto",
        "over",
        "under",
        "about",
        "after",
        "before",
        "than",
        "that",
        "this",
        "these",
        "those",
        "it",
        "its",
        "it's",
        "is",
        "are",
        "was",
        "were",
        "be",
        "been",
        "being",
        "am",
        "do",
        "does",
        "did",
        "done",
        "have",
        "has",
        "had",
        "having",
        "i",
        "i'd",
        "i'm",
        "i've",
        "i'll",
        "me",
        "my",
        "mine",
        "we",
        "we'd",
        "we're",
        "we've",
        "we'll",
        "us",
        "our",
        "ours",
        "you",
        "you're",
        "your",
        "yours",
        "he",
        "she",
        "they",
        "them",
        "their",
        "there",
        "here",
        "what",
        "which",
        "who",
        "whom",
        "whose",
        "when",
        "where",
        "why",
        "how",
        "not",
        "no",
        "nor",
        "n't",
        "can",
        "could",
        "would",
        "should",
        "will",
        "shall",
        "may",
        "might",
        "must",
        "just",
        "also",
        "only",
        "very",
        "too",
        "more",
        "most",
        "less",
        "least",
        "much",
        "many",
        "some",
        "any",
        "all",
        "each",
        "every",
        "both",
        "either",
        "neither",
        "one",
        "two",
        "first",
        "then",
        "than",
        "up",
        "down",
        "out",
        "off",
        "again",
        "further",
        "once",
        "same",
        "other",
        "such",
        "own",
        "while",
        "until",
        "though",
        "although",
        "even",
        "still",
        "yet",
        "already",
        "ever",
        "never",
        "always",
        "often",
        "would've",
        "don't",
        "didn't",
        "doesn't",
        "isn't",
        "wasn't",
        "aren't",
        "weren't",
        "won't",
        "wouldn't",
        "can't",
        "couldn't",
        "shouldn't",
        "let",
        "let's",
        "that's",
        "there's",
        "what's",
        "it'll",
        "i'd've",
        "get",
        "got",
        "go",
        "going",
        "gone",
        "make",
        "made",
        "take",
        "took",
        "per",
        "via",
    ]
)


class Sentence(NamedTuple):
    start: int
    end: int
    words: tuple[str, ...]

    @property
    def function_ratio(self) -> float:
        if not self.words:
            return 0.0
        return sum(map(FUNCTION_WORDS.__contains__, self.words)) / len(self.words)


# A line break inside a sentence (a soft wrap: no sentence end before it, a lower-case word
# after it) is read as a space, so a phrase split across lines still matches.
_SOFT_WRAP = re.compile(r"(?<=[^\s.!?;:])[ \t]*\n(?=[ \t]*[a-z])")


def fold(text: str) -> str:
    """Lower-case and fold quotes, dashes, control characters and soft line wraps, keeping
    every offset."""
    folded = text.translate(_FOLD_TABLE)
    if "\n" in folded:
        folded = _SOFT_WRAP.sub(lambda m: " " * len(m.group()), folded)
    lowered = folded.lower()
    if len(lowered) == len(folded):
        return lowered
    # A few characters lower-case to two; keep those unchanged so offsets still line up.
    return "".join(c.lower() if len(c.lower()) == 1 else c for c in folded)


def has_control_characters(text: str) -> bool:
    return bool(_CONTROL.search(text))


def markup_spans(text: str) -> list[tuple[int, int]]:
    return [m.span() for m in _TAG.finditer(text)]


def words(folded: str) -> list[str]:
    return _WORD.findall(folded)


def sentences(folded: str) -> list[Sentence]:
    """Split on sentence ends, semicolons, line breaks and list items."""
    out: list[Sentence] = []
    start = 0
    for match in _SENTENCE_END.finditer(folded):
        gap = match.group()
        if gap[0] == ":" and not _LIST_AFTER_COLON.match(folded, match.end()):
            continue
        _append(out, folded, start, match.start() + len(gap.rstrip()))
        start = match.end()
    _append(out, folded, start, len(folded))
    return out


def _append(out: list[Sentence], folded: str, start: int, end: int) -> None:
    chunk = folded[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    lead = len(chunk) - len(chunk.lstrip())
    begin = start + lead
    out.append(Sentence(begin, begin + len(stripped), tuple(_WORD.findall(stripped))))
