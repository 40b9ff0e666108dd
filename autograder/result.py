"""The scorer's verdict: every point traces to a rubric criterion and a span of the answer."""

from __future__ import annotations

from dataclasses import dataclass, field

Span = tuple[int, int]


@dataclass(frozen=True, slots=True)
class Finding:
    """One signal, red flag or advisory, with the character spans of the text that show it."""

    rule_id: str
    message: str
    spans: tuple[Span, ...] = ()

    def quotes(self, text: str) -> list[str]:
        return [text[start:end] for start, end in self.spans]


@dataclass(frozen=True, slots=True)
class CriterionScore:
    id: str
    kind: str  # "signal" earns up to max_points; "flag" subtracts
    points: float
    max_points: float


@dataclass(frozen=True, slots=True)
class Result:
    score: float
    passed: bool
    rubric_id: str
    rubric_version: str
    text: str = ""
    signals: tuple[Finding, ...] = ()
    flags: tuple[Finding, ...] = ()
    advisories: tuple[Finding, ...] = ()
    missing: tuple[str, ...] = ()
    feedback: tuple[str, ...] = ()
    criteria: tuple[CriterionScore, ...] = field(default=())

    @property
    def signal_ids(self) -> list[str]:
        return [f.rule_id for f in self.signals]

    @property
    def flag_ids(self) -> list[str]:
        return [f.rule_id for f in self.flags]

    @property
    def advisory_ids(self) -> list[str]:
        return [f.rule_id for f in self.advisories]

    @property
    def next_step(self) -> str:
        return self.feedback[0] if self.feedback else ""

    def to_dict(self) -> dict:
        def finding(f: Finding) -> dict:
            return {
                "id": f.rule_id,
                "message": f.message,
                "spans": [list(s) for s in f.spans],
                "quotes": f.quotes(self.text),
            }

        return {
            "score": self.score,
            "passed": self.passed,
            "signals": self.signal_ids,
            "flags": self.flag_ids,
            "advisories": self.advisory_ids,
            "missing": list(self.missing),
            "feedback": list(self.feedback),
            "rubric": self.rubric_id,
            "rubric_version": self.rubric_version,
            "criteria": [
                {"id": c.id, "kind": c.kind, "points": c.points, "max_points": c.max_points}
                for c in self.criteria
            ],
            "evidence": {
                "signals": [finding(f) for f in self.signals],
                "flags": [finding(f) for f in self.flags],
                "advisories": [finding(f) for f in self.advisories],
            },
        }

    def to_html(self) -> str:
        """The feedback panel as HTML, with the learner's text escaped (see autograder.render)."""
        from .render import result_html

        return result_html(self)

    def to_text(self) -> str:
        verdict = "passed" if self.passed else "not passed"
        lines = [
            f"Score {self.score:.2f} ({verdict}) - rubric {self.rubric_id} v{self.rubric_version}"
        ]
        sections = (
            ("Signals", self.signals),
            ("Red flags", self.flags),
            ("Notes", self.advisories),
        )
        for title, findings in sections:
            lines.append(f"{title}:" if findings else f"{title}: none")
            for f in findings:
                quoted = "; ".join(f'"{_shorten(q)}"' for q in f.quotes(self.text)[:3])
                lines.append(f"  - {f.rule_id}: {quoted}" if quoted else f"  - {f.rule_id}")
        if self.missing:
            lines.append("Missing: " + ", ".join(self.missing))
        lines.append("Feedback:")
        lines.extend(f"  {i}. {tip}" for i, tip in enumerate(self.feedback, 1))
        return "\n".join(lines)


def _shorten(quote: str, limit: int = 80) -> str:
    quote = " ".join(quote.split())
    return quote if len(quote) <= limit else quote[: limit - 3] + "..."
