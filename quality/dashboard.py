"""The quality card on the Dashboard: the average of each dataset's latest quality score."""
from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Avg, Count
from django.urls import reverse

from atlas.dashboard import StatCard
from catalog.models import Dataset
from quality.presentation import score_tone


def quality_cards(request) -> Iterable[StatCard]:
    """``Average quality`` over datasets that have been scored, coloured by how good it is."""
    scored = Dataset.objects.filter(quality_score__isnull=False).aggregate(
        avg=Avg("quality_score"), n=Count("pk")
    )
    url = reverse("quality:report_list")
    if not scored["n"]:
        yield StatCard("Average quality", "—", url=url, hint="no dataset checked yet")
        return
    average = scored["avg"]
    yield StatCard("Average quality", f"{average:.1%}", url=url,
                   hint=f"latest score of {scored['n']:,} dataset{'s' if scored['n'] != 1 else ''}",
                   tone=score_tone(average))
