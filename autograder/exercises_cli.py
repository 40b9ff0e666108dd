"""`exercises`: list the practice exercises (id, section, rubric, question). Problems in the
exercise files are printed to stderr and make the exit status 1, after the valid ones are listed."""

from __future__ import annotations

import json
import sys

from .exercises import load_catalog

QUESTION_CHARS = 70


def add_arguments(parser) -> None:
    parser.add_argument("--json", action="store_true", help="print JSON instead of a table")


def run(args) -> int:
    catalog = load_catalog()
    rows = [
        {"id": ex.id, "section": ex.section, "rubric": ex.rubric, "question": ex.question}
        for ex in catalog.exercises.values()
    ]
    if args.json:
        print(json.dumps(rows, indent=2, ensure_ascii=False))
    else:
        width = max((len(row["id"]) for row in rows), default=2)
        print(f"{'id':<{width}}  {'section':<14}  {'rubric':<9}  question")
        for row in rows:
            question = " ".join(row["question"].split())
            if len(question) > QUESTION_CHARS:
                question = question[: QUESTION_CHARS - 3] + "..."
            print(f"{row['id']:<{width}}  {row['section']:<14}  {row['rubric']:<9}  {question}")
    for message in catalog.errors:
        print(f"error: {message}", file=sys.stderr)
    return 1 if catalog.errors else 0
