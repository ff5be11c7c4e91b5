"""The PII audit log: one line per review, policy change, decrypt and rescan."""
from __future__ import annotations

from compliance.models import PiiAuditEvent


def record(action: str, summary: str, *, actor=None, dataset=None, column=None, **detail) -> PiiAuditEvent:
    """Write one audit event; ``actor`` None means Atlas itself (a run, a rescan)."""
    if actor is not None and not getattr(actor, "is_authenticated", False):
        actor = None
    return PiiAuditEvent.objects.create(
        action=action, summary=summary[:500], actor=actor, dataset=dataset,
        column=column if column is not None else None, detail=detail,
    )
