"""`explain`: a readable report for one answer: score, the quoted words behind each signal
and red flag, and the feedback."""

from __future__ import annotations

import sys

from .engine import score
from .rubric import RubricError


def add_arguments(parser) -> None:
    parser.add_argument("text", help="the answer to score (- reads it from stdin)")
    parser.add_argument("--rubric", default="judgment", help="rubric id or path to a rubric YAML")
    parser.add_argument("--prompt", default=None, help="the interview question, for relevance")


def run(args) -> int:
    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        result = score(text, args.rubric, args.prompt)
    except RubricError as exc:
        print(f"rubric error: {exc}", file=sys.stderr)
        return 2
    print(result.to_text())
    return 0
