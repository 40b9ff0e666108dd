"""Agreement of the scorer with the labeled corpus, per split."""

from __future__ import annotations

import json
from collections import defaultdict
from pathlib import Path

from autograder import load_rubric, score

CORPUS = Path(__file__).resolve().parent.parent / "corpus"
SPLITS = {"dev": "dev.jsonl", "test": "heldout.jsonl"}
ORDER = {"weak": 0, "mixed": 1, "strong": 2}
TARGETS = {"auc": 0.90, "ordering": 0.85, "adversarial_rejected": 0.95, "precision": 0.80}


def load(split: str) -> list[dict]:
    path = CORPUS / SPLITS[split]
    return [
        json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()
    ]


def auc(positives: list[float], negatives: list[float]) -> float:
    if not positives or not negatives:
        return float("nan")
    wins = sum((p > n) + 0.5 * (p == n) for p in positives for n in negatives)
    return wins / (len(positives) * len(negatives))


def spearman(xs: list[float], ys: list[float]) -> float:
    def ranks(values):
        order = sorted(range(len(values)), key=values.__getitem__)
        out = [0.0] * len(values)
        i = 0
        while i < len(order):
            j = i
            while j + 1 < len(order) and values[order[j + 1]] == values[order[i]]:
                j += 1
            for k in range(i, j + 1):
                out[order[k]] = (i + j) / 2
            i = j + 1
        return out

    rx, ry = ranks(xs), ranks(ys)
    mx, my = sum(rx) / len(rx), sum(ry) / len(ry)
    cov = sum((a - mx) * (b - my) for a, b in zip(rx, ry, strict=True))
    var = (sum((a - mx) ** 2 for a in rx) * sum((b - my) ** 2 for b in ry)) ** 0.5
    return cov / var if var else float("nan")


def evaluate(rows: list[dict]) -> dict:
    scored = []
    for row in rows:
        result = score(row["answer"], row["rubric"], row.get("prompt") or None)
        scored.append((row, result))
    sincere = [(r, s) for r, s in scored if r["label"] in ORDER]
    strong = [s.score for r, s in sincere if r["label"] == "strong"]
    weak = [s.score for r, s in sincere if r["label"] == "weak"]
    by_question = defaultdict(list)
    for r, s in scored:
        by_question[r["question_id"]].append((r, s))
    pairs = correct = 0.0
    rejected = adversarial = 0
    for items in by_question.values():
        labeled = [(ORDER[r["label"]], s.score) for r, s in items if r["label"] in ORDER]
        for i, (la, sa) in enumerate(labeled):
            for lb, sb in labeled[i + 1 :]:
                if la == lb:
                    continue
                pairs += 1
                hi, lo = (sa, sb) if la > lb else (sb, sa)
                correct += 1.0 if hi > lo else 0.5 if hi == lo else 0.0
        strong_scores = [s.score for r, s in items if r["label"] == "strong"]
        floor = min(strong_scores) if strong_scores else 1.0
        for r, s in items:
            if r["label"] == "adversarial":
                adversarial += 1
                rejected += s.score < floor and not s.passed
    per_id = defaultdict(lambda: {"tp": 0, "fp": 0, "fn": 0})
    for r, s in scored:
        rubric_ids = {c.id for c in load_rubric(r["rubric"]).criteria}
        predicted = set(s.signal_ids) | set(s.flag_ids)
        labeled = (set(r.get("signals", [])) | set(r.get("flags", []))) & rubric_ids
        for i in predicted | labeled:
            key = "tp" if i in predicted and i in labeled else "fp" if i in predicted else "fn"
            per_id[i][key] += 1
    return {
        "n": len(rows),
        "questions": len(by_question),
        "auc": auc(strong, weak),
        "ordering": correct / pairs if pairs else float("nan"),
        "adversarial_rejected": rejected / adversarial if adversarial else float("nan"),
        "adversarial_n": adversarial,
        "spearman": spearman(
            [s.score for _r, s in sincere], [ORDER[r["label"]] for r, _s in sincere]
        ),
        "passed_strong": sum(s.passed for r, s in sincere if r["label"] == "strong")
        / max(1, len(strong)),
        "passed_weak": sum(s.passed for r, s in sincere if r["label"] == "weak")
        / max(1, len(weak)),
        "per_id": dict(per_id),
    }


def report(split: str, m: dict) -> list[str]:
    def mark(name):
        return "ok " if m[name] >= TARGETS[name] else "LOW"

    lines = [
        f"[{split}] {m['n']} answers, {m['questions']} questions",
        f"  AUC strong vs weak        {m['auc']:.3f}  {mark('auc')} (target >= {TARGETS['auc']})",
        f"  ordering within question  {m['ordering']:.3f}  {mark('ordering')} (target >= {TARGETS['ordering']})",
        f"  adversarial rejected      {m['adversarial_rejected']:.3f}  {mark('adversarial_rejected')}"
        f" (target >= {TARGETS['adversarial_rejected']}, n={m['adversarial_n']})",
        f"  Spearman score vs label   {m['spearman']:.3f}",
        f"  passed: strong {m['passed_strong']:.2f}, weak {m['passed_weak']:.2f}",
        "  id                   precision  recall   tp  fp  fn",
    ]
    for i, c in sorted(m["per_id"].items()):
        fired = c["tp"] + c["fp"]
        precision = c["tp"] / fired if fired else float("nan")
        recall = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else float("nan")
        flag = "" if not fired or precision >= TARGETS["precision"] else "  LOW"
        lines.append(
            f"  {i:<20} {precision:>9.2f} {recall:>7.2f} {c['tp']:>4} {c['fp']:>3} {c['fn']:>3}{flag}"
        )
    return lines


def run() -> list[str]:
    lines = []
    for split in SPLITS:
        if (CORPUS / SPLITS[split]).exists():
            lines += report(split, evaluate(load(split)))
    return lines
