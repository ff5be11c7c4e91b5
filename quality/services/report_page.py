"""What the report page shows, assembled from a ``QualityReport``: no logic left for the template."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quality.definitions import DEFINITIONS
from quality.engine import DIMENSIONS
from quality.models import QualityReport
from quality.presentation import check_tone, gate_tone, score_tone, trend_svg
from quality.services.history import previous_report, regressions, trend

TREND_LENGTH = 30


@dataclass
class DimensionRow:
    """One dimension as the page shows it."""

    name: str
    score: float
    threshold: float
    passed: bool
    tone: str
    definition: str
    rules: dict[str, float]
    details: dict[str, Any]


@dataclass
class ColumnRow:
    """One column with its score in each dimension that assessed it (None where none did)."""

    name: str
    cells: list[tuple[float | None, str]] = field(default_factory=list)


def dimension_rows(report: QualityReport) -> list[DimensionRow]:
    rows = []
    for name in DIMENSIONS:
        result = (report.dimensions or {}).get(name)
        if not result:
            continue
        rows.append(DimensionRow(
            name=name, score=result["score"], threshold=result["threshold"], passed=result["passed"],
            tone=score_tone(result["score"], result["threshold"]), definition=DEFINITIONS[name],
            rules=result.get("rules") or {}, details=result.get("details") or {},
        ))
    return rows


def column_rows(report: QualityReport) -> list[ColumnRow]:
    """Columns in the order completeness lists them (every column), then any others."""
    dimensions = report.dimensions or {}
    names: list[str] = []
    for name in DIMENSIONS:
        for column in (dimensions.get(name) or {}).get("columns") or {}:
            if column not in names:
                names.append(column)
    rows = []
    for column in names:
        row = ColumnRow(column)
        for name in DIMENSIONS:
            result = dimensions.get(name) or {}
            score = (result.get("columns") or {}).get(column)
            row.cells.append((score, score_tone(score, result.get("threshold"))))
        rows.append(row)
    return rows


def report_page(report: QualityReport) -> dict[str, Any]:
    """Context for the report detail page."""
    previous = previous_report(report)
    checks = list(report.checks.all())
    return {
        "dimension_rows": dimension_rows(report),
        "column_rows": column_rows(report),
        "dimension_names": DIMENSIONS,
        "checks": [(check, check_tone(check.outcome)) for check in checks],
        "has_soda": any(c.kind == "soda" for c in checks),
        "previous": previous,
        "regressions": regressions(report, previous) if previous else [],
        "trend_svg": trend_svg(trend(report.dataset, TREND_LENGTH)),
        "overall_tone": score_tone(report.overall_score),
        "gate_tone": gate_tone(report.gate),
    }


def report_download(report: QualityReport) -> dict[str, Any]:
    """The JSON a steward downloads: the report, the gate, and what got worse since the run before."""
    data = report.as_dict()
    data["regressions"] = [r.as_dict() for r in regressions(report)]
    return data
