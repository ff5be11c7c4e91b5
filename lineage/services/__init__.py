"""Lineage services: emitting Atlas's run events, storing and merging events, forwarding them.

``emit_run_failed(run)`` is the hook the pipeline runner calls once a run has
ended failed or cancelled (its transaction, and any START the chain made, has
rolled back by then): it records START and FAIL (or ABORT) for the run.
"""
from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from django.db import transaction

from lineage.choices import EventOrigin, EventType
from lineage.models import LineageEvent

if TYPE_CHECKING:
    from openlineage.client.event_v2 import RunState

    from pipeline.models import PipelineRun
    from pipeline.stages.base import RunContext

logger = logging.getLogger(__name__)

__all__ = ["emit_run_completed", "emit_run_failed"]


def emit_run_completed(context: RunContext) -> list[LineageEvent]:
    """Store (and queue for forwarding) START and COMPLETE for a run whose chain has succeeded."""
    from lineage.services.events import run_events
    from lineage.services.store import store_event

    return [store_event(payload, origin=EventOrigin.EMITTED, pipeline_run=context.run)
            for payload in run_events(context)]


def emit_run_failed(run: PipelineRun) -> list[LineageEvent]:
    """Record START (unless one is stored) and FAIL or ABORT for a failed or cancelled run.

    Never raises: lineage must not change how a run ends. Calling it twice for the
    same run records nothing new.
    """
    from openlineage.client.event_v2 import RunState

    from pipeline.choices import RunStatus

    states = {RunStatus.FAILED: RunState.FAIL, RunStatus.CANCELLED: RunState.ABORT}
    state = states.get(run.status)
    if state is None:
        return []
    try:
        return _emit_failure(run, state)
    except Exception:  # noqa: BLE001 - the hook must never fail the run's ending
        logger.exception("could not record the lineage of failed run %s", run.pk)
        return []


def _emit_failure(run: PipelineRun, state: RunState) -> list[LineageEvent]:
    from lineage.services.events import end_event, start_event
    from lineage.services.naming import run_uuid
    from lineage.services.store import store_event

    with transaction.atomic():
        stored = LineageEvent.objects.filter(run_id=run_uuid(run))
        if stored.filter(event_type__in=(EventType.FAIL, EventType.ABORT, EventType.COMPLETE)).exists():
            return []
        payloads = []
        if run.started_at and not stored.filter(event_type=EventType.START).exists():
            payloads.append(start_event(run))
        payloads.append(end_event(run, state))
        return [store_event(p, origin=EventOrigin.EMITTED, pipeline_run=run) for p in payloads]
