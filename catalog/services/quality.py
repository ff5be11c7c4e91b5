"""A dataset's quality as the catalog shows it: the latest run's report and the history across runs.

The quality stage writes its scores into each run's report (``report["quality"]``,
DESIGN.md) and, where the quality app keeps them, a ``QualityReport`` per check
(re-checks included). The history uses those reports when there are any, and
the runs' reports otherwise, so the catalog works with or without the quality app.
"""
from __future__ import annotations

from django.apps import apps
from django.urls import NoReverseMatch

from catalog.models import Dataset
from pipeline.choices import RunStatus

HISTORY_RUNS = 50


def latest_quality(dataset: Dataset) -> dict | None:
    """The quality part of the dataset's last run's report, or None when it was not checked."""
    run = dataset.last_run
    if run is None or not isinstance(run.report, dict):
        return None
    return run.report.get("quality") or None


def _headline(dimensions: dict) -> dict:
    return {
        name: {"score": part.get("score"), "threshold": part.get("threshold"), "passed": part.get("passed")}
        for name, part in (dimensions or {}).items()
        if isinstance(part, dict)
    }


def _report_url(report) -> str | None:
    try:
        return report.get_absolute_url()
    except NoReverseMatch:
        return None


def _from_quality_reports(dataset: Dataset, limit: int) -> list[dict]:
    try:
        model = apps.get_model("quality", "QualityReport")
    except LookupError:
        return []
    return [
        {
            "run_id": report.run_id,
            "finished_at": report.created,
            "overall_score": report.overall_score,
            "dimensions": _headline(report.dimensions),
            "gate": report.gate,
            "url": _report_url(report),
        }
        for report in model.objects.filter(dataset=dataset).order_by("-created", "-pk")[:limit]
    ]


def _from_runs(dataset: Dataset, limit: int) -> list[dict]:
    history = []
    for run in dataset.runs.filter(status=RunStatus.SUCCEEDED).order_by("-created")[:limit]:
        quality = (run.report or {}).get("quality") or None
        if quality:
            history.append({
                "run_id": run.pk,
                "finished_at": run.finished_at,
                "overall_score": quality.get("overall_score"),
                "dimensions": _headline(quality.get("dimensions")),
                "gate": None,
                "url": None,
            })
    return history


def quality_history(dataset: Dataset, limit: int = HISTORY_RUNS) -> list[dict]:
    """Newest first: run id, when, overall score, each dimension's score, threshold and pass, gate, link."""
    return _from_quality_reports(dataset, limit) or _from_runs(dataset, limit)
