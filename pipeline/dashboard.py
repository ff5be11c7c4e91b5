"""The pipeline's Dashboard cards (runs, failed runs) and its "Recent runs" panel."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta
from urllib.parse import urlencode

from django.db.models import Count, Q
from django.urls import reverse
from django.utils import timezone

from atlas.dashboard import Panel, StatCard
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun

RECENT_RUNS = 10


def _runs_url(**filters: str) -> str:
    url = reverse("pipeline:run_list")
    return f"{url}?{urlencode(filters)}" if filters else url


def cards(request) -> Iterable[StatCard]:
    """Runs in the last 24 hours (of all), and failed runs in the last 24 hours."""
    since = timezone.now() - timedelta(hours=24)
    totals = PipelineRun.objects.aggregate(
        total=Count("id"),
        recent=Count("id", filter=Q(created__gte=since)),
        failed=Count("id", filter=Q(created__gte=since, status=RunStatus.FAILED)),
        active=Count("id", filter=Q(status__in=(RunStatus.QUEUED, RunStatus.RUNNING))),
    )
    since_text = since.replace(microsecond=0).isoformat()
    yield StatCard(
        label="Runs (last 24 h)",
        value=f"{totals['recent']:,}",
        url=_runs_url(),
        hint=f"{totals['total']:,} in all"
        + (f" · {totals['active']:,} going now" if totals["active"] else ""),
    )
    yield StatCard(
        label="Failed runs (last 24 h)",
        value=f"{totals['failed']:,}",
        url=_runs_url(status=RunStatus.FAILED, created_after=since_text),
        hint="each says why, and can be retried" if totals["failed"] else "none",
        tone="bad" if totals["failed"] else "good",
    )


def panels(request) -> Iterable[Panel]:
    """The ten latest runs."""
    runs = list(
        PipelineRun.objects.select_related("dataset", "started_by").order_by("-created")[:RECENT_RUNS]
    )
    yield Panel(
        title="Recent runs",
        template="pipeline/partials/dashboard_recent_runs.html",
        context={"runs": runs, "more_url": _runs_url()},
    )
