"""The outcome of one measurement, shaped like the ``quality`` report in DESIGN.md."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

from .spec import DIMENSIONS


def ratio(bad: int, total: int) -> float:
    """``1 - bad/total``; an empty population has nothing wrong with it."""
    if total <= 0:
        return 1.0
    return 1.0 - bad / total


def mean(values: list[float]) -> float:
    """Plain mean; no values means nothing was assessed, which scores 1.0."""
    return sum(values) / len(values) if values else 1.0


def jsonable(value: Any) -> Any:
    """Make details JSON-serialisable (datetimes, Decimals, nested containers)."""
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, (datetime, date)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return float(value)
    return value


@dataclass
class DimensionResult:
    """Score of one dimension with its per-column and per-rule break-down.

    ``columns`` is keyed by original column name, ``rules`` by rule name;
    ``details`` carries the counts behind the scores for stewards and the UI.
    """

    name: str
    score: float
    threshold: float
    columns: dict[str, float] = field(default_factory=dict)
    rules: dict[str, float] = field(default_factory=dict)
    details: dict[str, Any] = field(default_factory=dict)

    @property
    def passed(self) -> bool:
        return self.score >= self.threshold

    def as_dict(self) -> dict[str, Any]:
        return {
            "score": self.score,
            "threshold": self.threshold,
            "passed": self.passed,
            "columns": dict(self.columns),
            "rules": dict(self.rules),
            "details": jsonable(self.details),
        }


@dataclass
class QualityResult:
    """Six dimension results for one run of one chart table."""

    table: str
    run_id: int
    measured_rows: int
    rejected_rows: int
    dimensions: dict[str, DimensionResult]
    measured_at: datetime
    timings: dict[str, float] = field(default_factory=dict)

    @property
    def overall_score(self) -> float:
        """Unweighted mean of the six dimension scores."""
        return mean([self.dimensions[d].score for d in DIMENSIONS])

    @property
    def passed(self) -> bool:
        return all(self.dimensions[d].passed for d in DIMENSIONS)

    def as_dict(self) -> dict[str, Any]:
        return {
            "overall_score": self.overall_score,
            "passed": self.passed,
            "measured_rows": self.measured_rows,
            "rejected_rows": self.rejected_rows,
            "measured_at": self.measured_at.isoformat(),
            "timings": dict(self.timings),
            "dimensions": {d: self.dimensions[d].as_dict() for d in DIMENSIONS},
        }
