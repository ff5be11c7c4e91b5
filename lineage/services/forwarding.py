"""Forwarding Atlas's events to an external OpenLineage backend (``OPENLINEAGE_URL``, e.g. Marquez).

openlineage-python's ``HttpTransport`` does the sending. Its own retries are
switched off: a failed attempt is recorded on the event and retried by the
Celery task (``lineage.tasks.forward_event``) or ``atlas_lineage_forward``, so
the attempts survive a worker restart and are visible in the admin.
"""
from __future__ import annotations

import logging
from dataclasses import dataclass

from django.conf import settings
from django.db.models import F
from django.utils import timezone
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport, TokenProvider

from lineage.choices import ForwardStatus
from lineage.models import LineageEvent

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 10.0
# Client errors other than these mean the backend will never take the event as it is.
RETRYABLE_CLIENT_ERRORS = {408, 409, 425, 429}


@dataclass
class Outcome:
    """What one forwarding attempt did: sent, or failed (and whether trying again could help)."""

    sent: bool
    retryable: bool = False
    error: str = ""


def transport() -> HttpTransport:
    """An HTTP transport to ``OPENLINEAGE_URL``, with ``OPENLINEAGE_API_KEY`` as bearer token when set."""
    key = getattr(settings, "OPENLINEAGE_API_KEY", "")
    auth = ApiKeyTokenProvider({"apiKey": key}) if key else TokenProvider({})
    config = HttpConfig(
        url=settings.OPENLINEAGE_URL,
        timeout=TIMEOUT_SECONDS,
        auth=auth,
        retry={
            "total": 0,
            "connect": 0,
            "read": 0,
            "status": 0,
            "status_forcelist": [],
            "allowed_methods": ["POST"],
        },
    )
    return HttpTransport(config)


def _status_of(exc: Exception) -> int | None:
    response = getattr(exc, "response", None)
    return getattr(response, "status_code", None)


def forward(event_id: int) -> Outcome:
    """One attempt to send a pending or failed event; the result is recorded on the event."""
    event = LineageEvent.objects.filter(pk=event_id).first()
    if event is None or event.forward_status == ForwardStatus.SENT:
        return Outcome(sent=True)
    if not settings.OPENLINEAGE_URL:
        return Outcome(sent=False, retryable=False, error="OPENLINEAGE_URL is not set.")
    LineageEvent.objects.filter(pk=event_id).update(forward_attempts=F("forward_attempts") + 1)
    try:
        sender = transport()
        try:
            sender.emit(event.payload)
        finally:
            sender.close()
    except Exception as exc:  # noqa: BLE001 - any failure is recorded and retried, never raised
        status = _status_of(exc)
        retryable = status is None or status >= 500 or status in RETRYABLE_CLIENT_ERRORS
        message = f"{type(exc).__name__}: {str(exc)[:500]}"
        logger.warning("forwarding lineage event %s failed (%s)", event_id, message)
        LineageEvent.objects.filter(pk=event_id).update(
            forward_status=ForwardStatus.FAILED, forward_error=message
        )
        return Outcome(sent=False, retryable=retryable, error=message)
    LineageEvent.objects.filter(pk=event_id).update(
        forward_status=ForwardStatus.SENT, forward_error="", forwarded_at=timezone.now()
    )
    return Outcome(sent=True)


def due_for_forwarding():
    """Events waiting to be forwarded or whose forwarding failed, oldest first."""
    return LineageEvent.objects.filter(
        forward_status__in=(ForwardStatus.PENDING, ForwardStatus.FAILED)
    ).order_by("event_time", "pk")


def forward_due(limit: int | None = None) -> tuple[int, int]:
    """Try every due event once, in order; returns (sent, failed)."""
    sent = failed = 0
    events = due_for_forwarding().values_list("pk", flat=True)
    for event_id in events[:limit] if limit else events:
        if forward(event_id).sent:
            sent += 1
        else:
            failed += 1
    return sent, failed
