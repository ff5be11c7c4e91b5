"""A dataset's quality as the catalog shows it: the latest run's report and the history across runs.

The quality stage writes its scores into each run's report (``report["quality"]``,
DESIGN.md); this reads them from there, so it works whether or not the quality
app keeps reports of its own.
"""
from __future__ import annotations

from catalog.models import Dataset
from pipeline.choices import RunStatus

HISTORY_RUNS = 50


def latest_quality(dataset: Dataset) -> dict | None:
    """The quality part of the dataset's last run's report, or None when it was not checked."""
    run = dataset.last_run
    if run is None or not isinstance(run.report, dict):
        return None
    return run.report.get("quality") or None


def quality_history(dataset: Dataset, limit: int = HISTORY_RUNS) -> list[dict]:
    """Per succeeded run, newest first: run id, when, overall score and each dimension's score and pass."""
    runs = dataset.runs.filter(status=RunStatus.SUCCEEDED).order_by("-created")[:limit]
    history = []
    for run in runs:
        quality = (run.report or {}).get("quality") or None
        if not quality:
            continue
        dimensions = {
            name: {"score": part.get("score"), "threshold": part.get("threshold"), "passed": part.get("passed")}
            for name, part in (quality.get("dimensions") or {}).items()
            if isinstance(part, dict)
        }
        history.append({
            "run_id": run.pk,
            "finished_at": run.finished_at,
            "overall_score": quality.get("overall_score"),
            "dimensions": dimensions,
        })
    return history
