"""The command-line contract other tools rely on: `score` (JSONL in/out) and `explain`."""

import json
import subprocess
import sys
from pathlib import Path

ARTICLE_EXAMPLES = Path(__file__).parent / "data" / "article_examples.jsonl"


def run(*args, stdin=None):
    return subprocess.run(
        [sys.executable, "-m", "autograder", *args],
        input=stdin,
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_score_writes_one_line_per_input_line_and_survives_bad_lines(tmp_path):
    lines = [
        json.dumps(
            {
                "id": "a",
                "rubric": "judgment",
                "prompt": "",
                "answer": "I'd start with a baseline and monitor drift weekly.",
            }
        ),
        "{not json",
        json.dumps({"id": "c", "rubric": "nope", "prompt": "", "answer": "x"}),
        json.dumps({"id": "d", "rubric": "judgment"}),
        json.dumps(["a", "list"]),
        json.dumps(
            {"id": "f", "rubric": "recovery", "prompt": "Isn't that risky?", "answer": None}
        ),
    ]
    out = tmp_path / "out.jsonl"
    proc = run("score", "--output", str(out), stdin="\n".join(lines) + "\n")
    assert proc.returncode == 0, proc.stderr
    records = [json.loads(x) for x in out.read_text().splitlines()]
    assert len(records) == len(lines)
    first = records[0]
    assert first["id"] == "a"
    assert {"id", "score", "passed", "signals", "flags", "feedback"} <= set(first)
    assert isinstance(first["score"], float) and isinstance(first["signals"], list)
    assert "line 2" in records[1]["error"]
    assert records[2]["id"] == "c" and "unknown rubric" in records[2]["error"]
    assert records[3]["id"] == "d" and "answer" in records[3]["error"]
    assert "line 5" in records[4]["error"]
    assert records[5]["score"] == 0.0 and "not_text" in records[5]["advisories"]


def test_score_fails_only_when_input_cannot_be_read(tmp_path):
    proc = run("score", "--input", str(tmp_path / "missing.jsonl"))
    assert proc.returncode != 0 and "cannot read" in proc.stderr


def test_explain_shows_quotes_and_feedback():
    proc = run(
        "explain",
        "Given tight latency, I'd ship the smaller model, accepting lower recall, and I'd monitor "
        "drift weekly with a rollback threshold.",
        "--rubric",
        "judgment",
    )
    assert proc.returncode == 0, proc.stderr
    assert "Score" in proc.stdout and "decision:" in proc.stdout and '"' in proc.stdout
    assert "Feedback:" in proc.stdout


def test_articles_weak_examples_score_clearly_below_their_strong_ones():
    rows = [json.loads(x) for x in ARTICLE_EXAMPLES.read_text(encoding="utf-8").splitlines()]
    by_pair = {}
    for row in rows:
        proc = run("explain", row["answer"], "--rubric", row["rubric"], "--prompt", row["prompt"])
        assert proc.returncode == 0, proc.stderr
        score = float(proc.stdout.split()[1])
        by_pair.setdefault(row["pair"], {})[row["label"]] = (score, proc.stdout)
    for pair, got in by_pair.items():
        weak, strong = got["weak"][0], got["strong"][0]
        assert strong - weak >= 0.25, (
            f"pair {pair}: weak {weak} vs strong {strong}\n{got['strong'][1]}"
        )
        assert "Feedback:" in got["weak"][1]
