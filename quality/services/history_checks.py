"""Atlas's answer to Soda Cloud's anomaly checks: a metric outside mean ± kσ of recent runs.

The values of earlier runs come from their ``QualityReport.metrics``; the
verdict is the engine's :func:`quality.engine.history.check_history`.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from quality.choices import CheckKind, CheckOutcome, HistoryMetric, ReportSource
from quality.engine.history import Metric, check_history, current_metrics
from quality.models import QualityReport, QualityRuleSet
from quality.services.checks import CheckRecord
from quality.services.rules import resolve
from quality.services.target import CheckTarget

OUTCOMES = {"pass": CheckOutcome.PASS, "fail": CheckOutcome.FAIL, "skipped": CheckOutcome.SKIPPED}


@dataclass
class HistoryResult:
    """This run's metric values (stored for the runs after it) and one check per metric."""

    metrics: dict[str, float | None] = field(default_factory=dict)
    checks: list[CheckRecord] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def followed_metrics(target: CheckTarget, rules: QualityRuleSet) -> tuple[dict[Metric, str], list[str]]:
    """The rule set's metrics this run can measure → their label with original column names."""
    metrics: dict[Metric, str] = {}
    notes: list[str] = []
    for item in rules.history_metrics or []:
        kind = item.get("metric")
        if kind == HistoryMetric.ROW_COUNT:
            metrics[Metric("row_count")] = "row_count"
            continue
        column = resolve(target.columns, str(item.get("column") or ""))
        if column is None:
            notes.append(f"History check {kind}({item.get('column')}) skipped: no such column in this run.")
            continue
        metrics[Metric(kind, column.warehouse_name)] = f"{kind}({column.name})"
    return metrics, notes


def earlier_values(target: CheckTarget, limit: int) -> list[dict]:
    """Metric values of the dataset's last ``limit`` pipeline runs before this one, oldest first."""
    reports = (
        QualityReport.objects.filter(dataset=target.dataset, source=ReportSource.PIPELINE)
        .exclude(run=target.run)
        .order_by("-created", "-pk")
        .values_list("metrics", flat=True)[:limit]
    )
    return list(reversed(list(reports)))


def run_history_checks(
    target: CheckTarget, rules: QualityRuleSet, measured_rows: int, columns: list
) -> HistoryResult:
    """Measure the followed metrics on this run and judge each against the earlier runs."""
    followed, notes = followed_metrics(target, rules)
    result = HistoryResult(notes=notes)
    if not followed:
        return result
    per_column = [m for m in followed if m.column is not None]
    values: dict[str, float | None] = {}
    if per_column:
        values = current_metrics(target.connection, table=target.table, run_id=target.run.pk,
                                 metrics=per_column, columns=columns)
    if Metric("row_count") in followed:
        values["row_count"] = float(measured_rows)
    result.metrics = values
    history = earlier_values(target, rules.history_runs)
    for metric, label in followed.items():
        past = [(earlier or {}).get(metric.name) for earlier in history]
        verdict = check_history(metric.name, values.get(metric.name), past,
                                window=rules.history_runs, sigmas=rules.history_sigma)
        result.checks.append(CheckRecord(
            kind=CheckKind.HISTORY,
            name=label,
            outcome=OUTCOMES.get(verdict.outcome, CheckOutcome.ERROR),
            value=verdict.value,
            definition=f"{label} within mean ± {rules.history_sigma:g}σ "
                       f"of the last {rules.history_runs} runs",
            message=verdict.message,
            details=verdict.as_dict(),
        ))
    return result
