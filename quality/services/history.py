"""Quality over time: trends per dataset and dimension, and what got worse since the last run."""
from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from quality.choices import CheckOutcome
from quality.engine import DIMENSIONS
from quality.models import QualityReport

# A change smaller than this is noise in the third decimal, not a regression.
EPSILON = 0.0005
KIND_ORDER = ("overall", "dimension", "check", "column", "rule")


@dataclass
class TrendPoint:
    """One report's headline numbers, for a chart."""

    report_id: int
    run_id: int
    created: str
    overall: float
    scores: dict[str, float | None]


@dataclass
class Regression:
    """Something that got worse: a dimension, a column or rule inside one, or a check."""

    kind: str  # "overall", "dimension", "column", "rule" or "check"
    name: str
    dimension: str | None
    before: Any
    after: Any
    change: float | None
    newly_failing: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)

    @property
    def label(self) -> str:
        if self.kind in ("column", "rule"):
            return f"{self.dimension}: {self.kind} {self.name}"
        return self.name


def trend(dataset, limit: int = 30) -> list[TrendPoint]:
    """The dataset's last ``limit`` reports, oldest first."""
    fields = ["pk", "run_id", "created", "overall_score"] + [f"{d}_score" for d in DIMENSIONS]
    rows = QualityReport.objects.filter(dataset=dataset).order_by("-created", "-pk").values(*fields)[:limit]
    return [
        TrendPoint(
            report_id=row["pk"], run_id=row["run_id"], created=row["created"].isoformat(),
            overall=row["overall_score"], scores={d: row[f"{d}_score"] for d in DIMENSIONS},
        )
        for row in reversed(list(rows))
    ]


def previous_report(report: QualityReport) -> QualityReport | None:
    """The dataset's report just before ``report``."""
    return (
        QualityReport.objects.filter(dataset_id=report.dataset_id, created__lte=report.created)
        .exclude(pk=report.pk)
        .exclude(created=report.created, pk__gt=report.pk)
        .order_by("-created", "-pk")
        .first()
    )


def _dropped(before: Any, after: Any) -> bool:
    return isinstance(before, int | float) and isinstance(after, int | float) and after < before - EPSILON


def _score_changes(kind: str, dimension: str, before: dict, after: dict) -> list[Regression]:
    return [
        Regression(kind, name, dimension, before[name], score, score - before[name])
        for name, score in after.items()
        if name in before and _dropped(before[name], score)
    ]


def regressions(report: QualityReport, previous: QualityReport | None = None) -> list[Regression]:
    """What got worse in ``report`` compared with the dataset's report before it.

    Overall score first, then dimensions, checks, columns and rules, each
    biggest drop first.

    Scores that dropped by more than rounding noise, dimensions that stopped
    passing, and checks that passed before and fail now.
    """
    previous = previous or previous_report(report)
    if previous is None:
        return []
    found: list[Regression] = []
    if _dropped(previous.overall_score, report.overall_score):
        found.append(Regression("overall", "overall score", None, previous.overall_score,
                                report.overall_score, report.overall_score - previous.overall_score))
    for dimension in DIMENSIONS:
        before = (previous.dimensions or {}).get(dimension) or {}
        after = (report.dimensions or {}).get(dimension) or {}
        if not before or not after:
            continue
        newly_failing = bool(before.get("passed")) and not after.get("passed")
        if _dropped(before.get("score"), after.get("score")) or newly_failing:
            found.append(Regression("dimension", dimension, dimension, before.get("score"),
                                    after.get("score"), after.get("score", 0) - before.get("score", 0),
                                    newly_failing))
        found += _score_changes("column", dimension, before.get("columns") or {}, after.get("columns") or {})
        found += _score_changes("rule", dimension, before.get("rules") or {}, after.get("rules") or {})
    passed_before = {(c.kind, c.name) for c in previous.checks.all() if c.outcome == CheckOutcome.PASS}
    for check in report.checks.all():
        if check.failed and (check.kind, check.name) in passed_before:
            found.append(Regression("check", check.name, None, CheckOutcome.PASS, check.outcome, None, True))
    return sorted(found, key=lambda r: (KIND_ORDER.index(r.kind), r.change if r.change is not None else -1.0))
