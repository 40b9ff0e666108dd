"""Score a stream of JSONL answers; a malformed line yields an error line, the rest go on."""

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
            yield {"id": None, "line": number, "error": f"line {number}: not valid JSON ({exc.msg})"}
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
