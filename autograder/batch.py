"""`score`: score a stream of JSONL answers; a malformed line yields an error line for that
line and the rest are still scored."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator

from .engine import score
from .rubric import RubricError

REQUIRED = ("rubric", "answer")


def score_record(record: dict) -> dict:
    """Score one parsed input record into the output contract."""
    result = score(record["answer"], record["rubric"], record.get("prompt") or None)
    out = {"id": record.get("id")}
    out.update(result.to_dict())
    return out


def score_lines(lines: Iterable[str]) -> Iterator[dict]:
    for number, line in enumerate(lines, 1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as exc:
            error = f"line {number}: not valid JSON ({exc.msg})"
            yield {"id": None, "line": number, "error": error}
            continue
        if not isinstance(record, dict):
            yield {"id": None, "line": number, "error": f"line {number}: expected a JSON object"}
            continue
        missing = [k for k in REQUIRED if k not in record]
        if missing:
            yield {
                "id": record.get("id"),
                "line": number,
                "error": f"line {number}: missing field(s) {', '.join(missing)}",
            }
            continue
        try:
            yield score_record(record)
        except (RubricError, TypeError) as exc:
            yield {"id": record.get("id"), "line": number, "error": f"line {number}: {exc}"}


def add_arguments(parser) -> None:
    parser.add_argument("--input", default="-", help="JSONL of {id, rubric, prompt, answer}")
    parser.add_argument("--output", default="-", help="one JSONL result per input line; - = stdout")


def run(args) -> int:
    """Exit non-zero only when the input cannot be read or the output cannot be written."""
    import sys

    try:
        source = (
            sys.stdin if args.input == "-" else open(args.input, encoding="utf-8", errors="replace")  # noqa: SIM115
        )
    except OSError as exc:
        print(f"cannot read input {args.input}: {exc}", file=sys.stderr)
        return 2
    try:
        sink = sys.stdout if args.output == "-" else open(args.output, "w", encoding="utf-8")  # noqa: SIM115
    except OSError as exc:
        print(f"cannot write output {args.output}: {exc}", file=sys.stderr)
        return 2
    with source, sink:
        for record in score_lines(source):
            sink.write(json.dumps(record, ensure_ascii=False) + "\n")
    return 0
