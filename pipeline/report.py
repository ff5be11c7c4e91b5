"""The run report: the JSON that ``atlas_ingest --format json`` prints and the API returns (DESIGN.md)."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from pipeline.models import PipelineRun
    from pipeline.stages.base import RunContext


ORDER = (
    "run_id",
    "dataset",
    "status",
    "error",
    "load_mode",
    "key",
    "rows",
    "timings",
    "columns",
    "quality",
    "warnings",
)


ROW_ORDER = ("received", "explore", "chart", "rejected", "navigate")


def _in_order(mapping: dict, order) -> dict:
    head = {k: mapping[k] for k in order if k in mapping}
    return head | {k: v for k, v in mapping.items() if k not in head}


def ordered(report: dict, stage_order: list[str] | None = None) -> dict:
    """The report with its keys, rows and timings in the documented order (jsonb storage does not keep it)."""
    result = _in_order(report, ORDER)
    if isinstance(result.get("rows"), dict):
        result["rows"] = _in_order(result["rows"], ROW_ORDER)
    if isinstance(result.get("timings"), dict):
        if stage_order is None:
            from pipeline.services.runner import build_chain

            stage_order = [stage.name for stage in build_chain()]
        result["timings"] = _in_order(result["timings"], stage_order)
    return result


def build_report(run: PipelineRun, context: RunContext | None = None) -> dict:
    """The report for ``run``; with ``context`` (a run that just ended) it has columns, PII and quality."""
    report = {
        "run_id": run.pk,
        "dataset": run.dataset.name,
        "status": run.status,
        "rows": {
            "received": run.rows_received,
            "explore": run.rows_explore,
            "chart": run.rows_chart,
            "rejected": run.rows_rejected,
            "navigate": run.rows_navigate,
        },
        "timings": run.timings or {},
        "columns": [],
        "quality": None,
        "warnings": list(run.warnings or []),
    }
    if run.error:
        report["error"] = run.error
    if context is not None:
        report["key"] = [context.column(k).name for k in context.key if context.column(k)]
        report["load_mode"] = run.load_mode
        report["columns"] = [
            {
                "name": c.name,
                "warehouse_name": c.warehouse_name,
                "type": c.data_type,
                "in_file": c.in_source,
                "pii": [
                    {"entity": f["entity"], "confidence": round(float(f["confidence"]), 4)}
                    for f in context.pii.get(c.warehouse_name, [])
                ],
            }
            for c in context.columns
        ]
        report["quality"] = context.quality
    elif run.report:
        for part in ("columns", "quality", "key", "load_mode"):
            if part in run.report:
                report[part] = run.report[part]
    return report
