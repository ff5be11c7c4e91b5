"""The catalog's Dashboard cards and panel: datasets, breaking schema changes, the latest drift."""

from __future__ import annotations

from collections.abc import Iterable

from django.urls import reverse

from atlas.dashboard import Panel, StatCard
from catalog.models import Dataset, SchemaVersion

RECENT_CHANGES = 8


def catalog_cards(request) -> Iterable[StatCard]:
    """How many datasets the catalog holds, and how many carry an unacknowledged breaking change."""
    url = reverse("catalog:dataset_list")
    total = Dataset.objects.count()
    breaking = Dataset.objects.filter(breaking_change=True).count()
    yield StatCard("Datasets", f"{total:,}", url=url, hint="in the catalog")
    yield StatCard(
        "Breaking schema changes",
        f"{breaking:,}",
        url=f"{url}?breaking=true",
        hint="a column removed or retyped" if breaking else "none pending",
        tone="bad" if breaking else "good",
    )


def schema_changes_panel(request) -> Iterable[Panel]:
    """The latest schema changes across datasets, breaking ones marked."""
    versions = list(
        SchemaVersion.objects.filter(version__gt=1)
        .select_related("dataset")
        .order_by("-created")[:RECENT_CHANGES]
    )
    if versions:
        yield Panel(
            "Schema changes", "catalog/partials/dashboard_schema_changes.html", {"versions": versions}
        )
