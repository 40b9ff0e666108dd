"""Throughput and latency on one core, import time and peak memory."""

from __future__ import annotations

import json
import os
import statistics
import subprocess
import sys
import time

from .quality import CORPUS

N_ANSWERS = 3000


def answers_of_about_150_words() -> list[tuple[str, str, str]]:
    """Distinct ~150-word answers built from the corpus, deterministically."""
    rows = [
        json.loads(x) for x in (CORPUS / "dev.jsonl").read_text(encoding="utf-8").splitlines() if x
    ]
    sentences = [
        s.strip() + "." for r in rows for s in r["answer"].split(".") if len(s.split()) > 4
    ]
    out = []
    i = 0
    while len(out) < N_ANSWERS:
        words, parts = 0, []
        while words < 150:
            sentence = sentences[(i * 7919) % len(sentences)]
            parts.append(sentence)
            words += len(sentence.split())
            i += 1
        row = rows[len(out) % len(rows)]
        out.append((" ".join(parts), row["rubric"], row["prompt"]))
    return out


def run() -> list[str]:
    from autograder import score

    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {min(os.sched_getaffinity(0))})
    batch = answers_of_about_150_words()
    for text, rubric, prompt in batch[:50]:  # warm-up: load rubrics, compile rules
        score(text, rubric, prompt)
    latencies = []
    start = time.perf_counter()
    for text, rubric, prompt in batch:
        t0 = time.perf_counter()
        score(text, rubric, prompt)
        latencies.append(time.perf_counter() - t0)
    elapsed = time.perf_counter() - start
    latencies.sort()
    mean_words = statistics.mean(len(t.split()) for t, _r, _p in batch)
    return [
        f"[speed] {len(batch)} answers of ~{mean_words:.0f} words, one core",
        f"  throughput                {len(batch) / elapsed:,.0f} answers/s (target >= 5,000)",
        f"  latency p50 / p99         {latencies[len(latencies) // 2] * 1e6:.0f} us / "
        f"{latencies[int(len(latencies) * 0.99)] * 1e6:.0f} us",
        f"  import autograder         {import_ms():.0f} ms (target < 150 ms, median of 5 fresh processes)",
        f"  peak memory               {peak_memory_mb():.0f} MB (scoring {N_ANSWERS} answers)",
    ]


def import_ms() -> float:
    code = "import time; t=time.perf_counter(); import autograder; print(time.perf_counter()-t)"
    runs = [
        float(subprocess.check_output([sys.executable, "-c", code], text=True)) for _ in range(5)
    ]
    return statistics.median(runs) * 1000


def peak_memory_mb() -> float:
    code = (
        "import resource; from bench.speed import answers_of_about_150_words; "
        "from autograder import score\n"
        "for t, r, p in answers_of_about_150_words(): score(t, r, p)\n"
        "print(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)"
    )
    return int(subprocess.check_output([sys.executable, "-c", code], text=True)) / 1024
