"""A failed run's lineage: after the rollback the runner records START and FAIL (``emit_run_failed``)."""
from __future__ import annotations

import pytest
from django.core.management.base import CommandError

from lineage.choices import EventType
from lineage.models import LineageEvent, LineageNode
from lineage.services import emit_run_failed
from lineage.services.pages import run_lineage
from lineage.services.validation import validate_event
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]
NO_KEY = [{"city": "Oslo", "n": 1}, {"city": "Oslo", "n": 1}]  # nothing unique: merge cannot find a key


def failed_run(load) -> PipelineRun:
    with pytest.raises(CommandError):
        load("towns", NO_KEY, mode="merge")
    run = PipelineRun.objects.get(dataset__name="towns")
    assert run.status == RunStatus.FAILED
    return run


def test_a_failed_run_keeps_only_its_start_and_fail(load):
    failed_run(load)
    # The chain's own events rolled back with the run; the runner's hook recorded the failure.
    assert sorted(LineageEvent.objects.values_list("event_type", flat=True)) == sorted(
        [EventType.START, EventType.FAIL]
    )


def test_emit_run_failed_records_start_and_fail_once(load):
    run = failed_run(load)
    events = list(LineageEvent.objects.filter(pipeline_run=run).order_by("event_time", "pk"))
    assert [e.event_type for e in events] == [EventType.START, EventType.FAIL]
    for event in events:
        validate_event(event.payload)
        assert event.pipeline_run == run
    fail = events[1].payload
    assert fail["run"]["facets"]["errorMessage"]["message"].startswith("Merge needs a key")
    assert fail["run"]["facets"]["errorMessage"]["programmingLanguage"] == "PYTHON"
    assert fail["outputs"] == [] and fail["inputs"][0]["namespace"] == "file"
    assert emit_run_failed(run) == []  # idempotent
    assert LineageEvent.objects.count() == 2
    # The job shows in the graph between the file it read and nothing it wrote.
    view = run_lineage(str(run.pk))
    kinds = sorted(node.kind for node in view.graph.nodes.values())
    assert kinds == ["dataset", "job"]
    assert LineageNode.objects.filter(kind="job", name="atlas.pipeline.towns").exists()


def test_cancelled_runs_abort_and_succeeded_runs_are_left_alone(load):
    run = failed_run(load)
    LineageEvent.objects.filter(pipeline_run=run).delete()
    PipelineRun.objects.filter(pk=run.pk).update(status=RunStatus.CANCELLED, error="Cancelled by operator.")
    run.refresh_from_db()
    assert [e.event_type for e in emit_run_failed(run)] == [EventType.START, EventType.ABORT]
    report = load("cities", [{"id": 1, "city": "Oslo"}])
    done = PipelineRun.objects.get(pk=report["run_id"])
    assert emit_run_failed(done) == []


def test_the_hook_never_raises(load, monkeypatch):
    run = failed_run(load)
    from lineage.services import events

    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr(events, "end_event", broken)
    assert emit_run_failed(run) == []
