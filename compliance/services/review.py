"""Stewards' decisions on findings: confirm, reject, or send back to suggested.

A decision records who made it and when, snapshots the column's content
(``reviewed_fingerprint``) so later scans can tell a material change, writes
an audit event, and updates the catalog column's PII classification. Masking
follows from the next publish to navigate: confirmed findings mask, rejected
ones do not.
"""
from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from compliance.choices import AuditAction, FindingStatus, ReviewDecision
from compliance.models import PiiFinding
from compliance.services import audit
from compliance.services.inventory import refresh_catalog

STATUS_FOR = {
    ReviewDecision.CONFIRM: FindingStatus.CONFIRMED,
    ReviewDecision.REJECT: FindingStatus.REJECTED,
    ReviewDecision.RESET: FindingStatus.SUGGESTED,
}


class ReviewError(ValueError):
    """A review request that cannot be carried out; the message says why."""


@transaction.atomic
def review(findings: Iterable[PiiFinding], decision: str, user, note: str = "") -> list[PiiFinding]:
    """Apply ``decision`` (a ``ReviewDecision``) to ``findings`` as ``user``; returns them updated."""
    if decision not in STATUS_FOR:
        raise ReviewError(f"Unknown decision {decision!r}; use one of: {', '.join(ReviewDecision.values)}.")
    status = STATUS_FOR[decision]
    now = timezone.now()
    changed: list[PiiFinding] = []
    ids = [f.pk for f in findings]
    locked = PiiFinding.objects.select_for_update().filter(pk__in=ids).select_related("column", "dataset")
    for finding in locked:
        previous = finding.status
        finding.status = status
        finding.review_note = note[:500]
        if status == FindingStatus.SUGGESTED:
            finding.reviewer, finding.reviewed_at, finding.reviewed_fingerprint = None, None, {}
        else:
            finding.reviewer, finding.reviewed_at = user, now
            finding.reviewed_fingerprint = dict(finding.fingerprint)
        finding.save(update_fields=["status", "review_note", "reviewer", "reviewed_at",
                                    "reviewed_fingerprint", "updated"])
        audit.record(AuditAction.REVIEW, f"{finding.entity} in {finding.column}: {previous} → {status}",
                     actor=user, dataset=finding.dataset, column=finding.column, finding=finding.pk,
                     before=previous, after=status, note=note[:500])
        changed.append(finding)
    for dataset in {f.dataset for f in changed}:
        refresh_catalog(dataset, [f.column for f in changed if f.dataset_id == dataset.pk])
    return changed


def review_ids(ids: Iterable[int], decision: str, user, note: str = "") -> list[PiiFinding]:
    """``review`` by finding ids; ReviewError when an id does not exist."""
    wanted = {int(i) for i in ids}
    if not wanted:
        raise ReviewError("Select at least one finding.")
    findings = list(PiiFinding.objects.filter(pk__in=wanted))
    missing = wanted - {f.pk for f in findings}
    if missing:
        raise ReviewError(f"No finding with id {', '.join(map(str, sorted(missing)))}.")
    return review(findings, decision, user, note)
