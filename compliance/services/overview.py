"""Figures for the PII page and the Dashboard: totals, distribution by entity, alerts."""
from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from compliance import conf
from compliance.choices import FindingStatus, MaskingAction
from compliance.models import PiiFinding


def active_findings() -> QuerySet[PiiFinding]:
    """Findings that stand: found by the latest scan and not rejected."""
    return PiiFinding.objects.filter(current=True).exclude(status=FindingStatus.REJECTED)


def totals(findings: QuerySet[PiiFinding]) -> dict:
    """Counts and average confidence over ``findings``."""
    figures = findings.aggregate(
        findings=Count("id"), columns=Count("column", distinct=True),
        datasets=Count("dataset", distinct=True),
        average_confidence=Avg("confidence"),
        suggested=Count("id", filter=Q(status=FindingStatus.SUGGESTED)),
        confirmed=Count("id", filter=Q(status=FindingStatus.CONFIRMED)),
        rejected=Count("id", filter=Q(status=FindingStatus.REJECTED)),
        masked=Count("id", filter=~Q(masking__in=("", MaskingAction.KEEP))),
    )
    figures["average_confidence"] = round(figures["average_confidence"] or 0.0, 3)
    return figures


def distribution(findings: QuerySet[PiiFinding]) -> list[dict]:
    """``[{entity, count, percent}]``, most frequent first; ``percent`` of the largest, for bar widths."""
    rows = list(findings.values("entity").annotate(count=Count("id")).order_by("-count", "entity"))
    top = rows[0]["count"] if rows else 1
    for row in rows:
        row["percent"] = round(100 * row["count"] / top, 1)
    return rows


@dataclass(frozen=True)
class Alert:
    """Something about personal data that needs someone's attention now."""

    finding: PiiFinding
    message: str
    tone: str = "bad"


def alerts(limit: int = 50) -> list[Alert]:
    """Sensitive entities published to navigate unmasked (ATLAS_PII_ALERT_ENTITIES)."""
    unmasked = (
        active_findings()
        .filter(entity__in=conf.alert_entities(), masking__in=("", MaskingAction.KEEP), column__present=True,
                dataset__navigate_rows__gt=0)
        .select_related("dataset", "column")
        .order_by("-confidence")[:limit]
    )
    return [
        Alert(f, f"{f.entity} in {f.dataset.name}.{f.column.name} is published unmasked in navigate "
                 f"({f.share:.0%} of rows, confidence {f.confidence:.2f}).")
        for f in unmasked
    ]
