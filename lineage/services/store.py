"""Storing events: each is kept as received, merged into the graph, and queued for forwarding when due."""
from __future__ import annotations

import logging
import uuid
from datetime import datetime

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from lineage.choices import EventKind, EventOrigin, ForwardStatus
from lineage.models import LineageEvent
from lineage.services.merge import merge_event
from lineage.services.validation import validate_event

logger = logging.getLogger(__name__)


def forwarding_enabled() -> bool:
    return bool(getattr(settings, "OPENLINEAGE_URL", ""))


def _event_time(value: str) -> datetime:
    moment = datetime.fromisoformat(value.replace("Z", "+00:00").replace("z", "+00:00"))
    return (
        moment if timezone.is_aware(moment) else timezone.make_aware(moment, timezone.get_fixed_timezone(0))
    )


def store_event(payload: dict, *, origin: str = EventOrigin.EMITTED, pipeline_run=None) -> LineageEvent:
    """Validate, keep and merge one event; Atlas's own events are forwarded after the transaction commits.

    Raises ``InvalidEvent`` for an event that does not follow the spec.
    """
    kind = validate_event(payload)
    job = payload.get("job") or {}
    run_id = (payload.get("run") or {}).get("runId")
    forward = origin == EventOrigin.EMITTED and forwarding_enabled()
    with transaction.atomic():
        event = LineageEvent.objects.create(
            kind=kind,
            event_type=payload.get("eventType", "") if kind == EventKind.RUN else "",
            event_time=_event_time(payload["eventTime"]),
            run_id=uuid.UUID(run_id) if run_id else None,
            job_namespace=job.get("namespace", "")[:500],
            job_name=job.get("name", "")[:1000],
            producer=payload["producer"][:2000],
            schema_url=payload["schemaURL"][:2000],
            payload=payload,
            origin=origin,
            pipeline_run=pipeline_run,
            forward_status=ForwardStatus.PENDING if forward else ForwardStatus.NOT_NEEDED,
        )
        merge_event(event)
        if forward:
            transaction.on_commit(lambda: schedule_forward(event.pk))
    return event


def schedule_forward(event_id: int) -> None:
    """Hand the event to a Celery worker; if the broker is down, it waits for ``atlas_lineage_forward``."""
    from lineage.tasks import forward_event

    try:
        forward_event.delay(event_id)
    except Exception:  # noqa: BLE001 - forwarding must never fail the caller
        logger.exception("could not queue lineage event %s for forwarding; it stays pending", event_id)
