"""Explainable rubric scoring of ML interview answers (judgment, ownership, recovery).

`score(answer, rubric, prompt)` is pure, deterministic and offline; see docs/api.md.
"""

from .engine import score
from .result import CriterionScore, Finding, Result
from .rubric import Rubric, RubricError, available_rubrics, load_rubric

RUBRIC_IDS = ("judgment", "ownership", "recovery")

__all__ = [
    "RUBRIC_IDS",
    "CriterionScore",
    "Finding",
    "Result",
    "Rubric",
    "RubricError",
    "available_rubrics",
    "load_rubric",
    "score",
]
