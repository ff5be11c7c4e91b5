"""Checking one run: the six dimensions, then SodaCL, then history, then the gate, then the report.

The one entry point the stage and ``atlas_quality`` share. Everything runs
on the target's connection inside the caller's transaction.
"""
from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from quality.engine import QualityConfigError, measure
from quality.models import QualityReport, QualityRuleSet
from quality.services.config import plan_measurement
from quality.services.gates import GateDecision, decide
from quality.services.history_checks import run_history_checks
from quality.services.reports import report_dict, store_report
from quality.services.sodacl import run_soda_checks
from quality.services.target import CheckTarget

Progress = Callable[[float, str], None]


class QualityRulesError(Exception):
    """The dataset's quality rules cannot be applied to this run; the message says what to fix."""


@dataclass
class QualityOutcome:
    """What checking a run produced."""

    report: QualityReport
    quality: dict[str, Any]
    decision: GateDecision
    notes: list[str] = field(default_factory=list)


def _no_progress(fraction: float, message: str) -> None:
    """Progress goes nowhere when nobody follows it."""


def check_target(target: CheckTarget, rules: QualityRuleSet | None = None,
                 progress: Progress | None = None) -> QualityOutcome:
    """Measure, run the checks, apply the gate and store the report; the caller acts on the decision."""
    progress = progress or _no_progress
    rules = rules or QualityRuleSet.for_dataset(target.dataset)
    plan = plan_measurement(target, rules)
    timings: dict[str, float] = {}

    started = time.perf_counter()
    progress(0.05, "measuring the six dimensions")
    try:
        result = measure(target.connection, table=target.table, run_id=target.run.pk,
                         columns=plan.columns, config=plan.config, rows=target.rows)
    except QualityConfigError as exc:
        raise QualityRulesError(
            f"The quality rules of {target.dataset.name} cannot be applied to this run: {exc}. "
            f"Fix them in the admin or with PUT /api/datasets/{target.dataset.pk}/quality-rules/, then retry."
        ) from exc
    timings["dimensions"] = round(time.perf_counter() - started, 4)

    started = time.perf_counter()
    progress(0.7, "running SodaCL checks" if rules.sodacl.strip() else "checking history")
    checks = run_soda_checks(target, rules.sodacl)
    timings["sodacl"] = round(time.perf_counter() - started, 4)

    started = time.perf_counter()
    history = run_history_checks(target, rules, result.measured_rows, plan.columns)
    checks += history.checks
    timings["history"] = round(time.perf_counter() - started, 4)

    decision = decide({d: r.as_dict() for d, r in result.dimensions.items()}, checks, rules)
    quality = report_dict(result, checks, decision)
    quality["timings"] = {**quality.get("timings", {}), **timings}
    progress(0.95, "storing the quality report")
    report = store_report(target, quality, checks, decision, history.metrics)
    quality["report_id"] = report.pk
    notes = plan.notes + history.notes + _rule_notes(quality)
    return QualityOutcome(report=report, quality=quality, decision=decision, notes=notes)


def _rule_notes(quality: dict[str, Any]) -> list[str]:
    errors = quality["dimensions"]["consistency"].get("details", {}).get("rule_errors") or {}
    return [f"Consistency rule {name!r} was not checked: {message}." for name, message in errors.items()]
