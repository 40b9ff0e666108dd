"""Command line: `python -m autograder <command>`.

Each command is a small function registered in COMMANDS with its argument setup; add a
command by adding one entry.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

COMMANDS: dict[str, tuple[str, Callable, Callable]] = {}


def command(name: str, help_text: str, configure: Callable[[argparse.ArgumentParser], None]):
    """Register `func(args) -> exit status` as a subcommand."""

    def register(func):
        COMMANDS[name] = (help_text, configure, func)
        return func

    return register


def _score_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--input", default="-", help="JSONL file of {id, rubric, prompt, answer}; - for stdin")
    p.add_argument("--output", default="-", help="where to write one JSONL line per input; - for stdout")


@command("score", "score JSONL answers, one JSON line out per line in", _score_args)
def _score(args) -> int:
    from .batch import score_lines

    try:
        source = sys.stdin if args.input == "-" else open(args.input, encoding="utf-8", errors="replace")
    except OSError as exc:
        print(f"cannot read input {args.input}: {exc}", file=sys.stderr)
        return 2
    try:
        sink = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")
    except OSError as exc:
        print(f"cannot write output {args.output}: {exc}", file=sys.stderr)
        return 2
    with source, sink:
        for record in score_lines(source):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0


def _explain_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("text", help="the answer to score (use - to read it from stdin)")
    p.add_argument("--rubric", default="judgment", help="rubric id or path to a rubric YAML file")
    p.add_argument("--prompt", default=None, help="the interview question, for relevance checks")


@command("explain", "print a readable report for one answer", _explain_args)
def _explain(args) -> int:
    from . import RubricError, score

    text = sys.stdin.read() if args.text == "-" else args.text
    try:
        result = score(text, args.rubric, args.prompt)
    except RubricError as exc:
        print(f"rubric error: {exc}", file=sys.stderr)
        return 2
    print(result.to_text())
    return 0


def _exercises_args(p: argparse.ArgumentParser) -> None:
    p.add_argument("--json", action="store_true", help="print JSON instead of a table")


@command("exercises", "list the practice exercises: id, section, rubric, question", _exercises_args)
def _exercises(args) -> int:
    from .exercises import load_catalog

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
            question = question if len(question) <= 70 else question[:67] + "..."
            print(f"{row['id']:<{width}}  {row['section']:<14}  {row['rubric']:<9}  {question}")
    for message in catalog.errors:
        print(f"error: {message}", file=sys.stderr)
    return 1 if catalog.errors else 0


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m autograder", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    for name, (help_text, configure, _func) in COMMANDS.items():
        configure(sub.add_parser(name, help=help_text, description=help_text))
    args = parser.parse_args(argv)
    return COMMANDS[args.command][2](args)
