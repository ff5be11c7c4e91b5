"""The quality report: the dict a run carries (DESIGN.md's ``quality``) and the stored ``QualityReport``."""
from __future__ import annotations

from typing import Any

from quality.engine import DIMENSIONS, QualityResult
from quality.models import CheckResult, QualityReport
from quality.services.checks import CheckRecord
from quality.services.gates import GateDecision
from quality.services.target import CheckTarget


def report_dict(result: QualityResult, checks: list[CheckRecord], decision: GateDecision) -> dict[str, Any]:
    """``overall_score``, ``passed``, the six ``dimensions`` (score, threshold, passed, columns, rules,
    details), the ``checks`` (SodaCL and history) and the ``gate``."""
    quality = result.as_dict()
    quality["passed"] = bool(result.passed and not any(c.failed for c in checks))
    quality["checks"] = [c.as_dict() for c in checks]
    quality["gate"] = decision.as_dict()
    return quality


def pii_column_count(target: CheckTarget) -> int:
    present = {c.warehouse_name for c in target.columns}
    return sum(1 for column, findings in target.pii.items() if findings and column in present)


def store_report(
    target: CheckTarget,
    quality: dict[str, Any],
    checks: list[CheckRecord],
    decision: GateDecision,
    metrics: dict[str, float | None],
) -> QualityReport:
    """Save the report and its check results (inside the caller's transaction)."""
    dimensions = quality["dimensions"]
    report = QualityReport.objects.create(
        dataset=target.dataset,
        run=target.run,
        source=target.source,
        overall_score=quality["overall_score"],
        passed=quality["passed"],
        gate=decision.outcome,
        gate_reasons=decision.reasons,
        dimensions=dimensions,
        metrics=metrics,
        measured_rows=quality.get("measured_rows", 0),
        rejected_rows=quality.get("rejected_rows", 0),
        pii_columns=pii_column_count(target),
        timings=quality.get("timings", {}),
        **{f"{d}_score": dimensions[d]["score"] for d in DIMENSIONS},
    )
    CheckResult.objects.bulk_create([
        CheckResult(report=report, kind=c.kind, name=c.name[:500], outcome=c.outcome, value=c.value,
                    definition=c.definition, message=c.message, gate=c.gate, details=c.details)
        for c in checks
    ])
    return report
