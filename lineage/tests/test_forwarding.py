"""Forwarding to an external OpenLineage backend: a real local HTTP server that fails, then accepts."""
from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import override_settings

from atlas.testing.processes import free_port
from lineage.choices import ForwardStatus
from lineage.models import LineageEvent

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]
ROWS = [{"id": 1, "city": "Oslo"}, {"id": 2, "city": "Bergen"}]


class Backend:
    """An OpenLineage backend on a thread: answers the first ``failures`` posts with ``status``, then 201."""

    def __init__(self, failures: int = 0, status: int = 500) -> None:
        self.failures, self.status = failures, status
        self.received: list[dict] = []
        self.headers: list[dict] = []
        self.attempts = 0
        backend = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                backend.attempts += 1
                if backend.attempts <= backend.failures:
                    self.send_response(backend.status)
                    self.end_headers()
                    return
                backend.received.append({"path": self.path, "event": json.loads(body)})
                backend.headers.append(dict(self.headers))
                self.send_response(201)
                self.end_headers()

            def log_message(self, *args) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Backend:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.server.shutdown()
        self.server.server_close()


def test_a_failed_forward_is_retried_and_the_event_arrives(load):
    with (
        Backend(failures=1) as backend,
        override_settings(OPENLINEAGE_URL=backend.url, OPENLINEAGE_API_KEY="s3cret"),
    ):
        report = load("cities", ROWS)
    assert report["status"] == "succeeded"
    events = list(LineageEvent.objects.order_by("event_time", "pk"))
    assert [e.event_type for e in events] == ["START", "COMPLETE"]
    assert all(e.forward_status == ForwardStatus.SENT and e.forwarded_at for e in events)
    assert [e.forward_attempts for e in events] == [2, 1]  # START met the 500, then went through
    assert backend.attempts == 3
    assert [r["event"] for r in backend.received] == [e.payload for e in events]
    assert {r["path"] for r in backend.received} == {"/api/v1/lineage"}
    assert backend.headers[0]["Authorization"] == "Bearer s3cret"


def test_an_unreachable_backend_never_fails_the_run_and_the_command_catches_up(load):
    with override_settings(OPENLINEAGE_URL=f"http://127.0.0.1:{free_port()}"):
        report = load("cities", ROWS)
        assert report["status"] == "succeeded"
        events = list(LineageEvent.objects.all())
        assert events and all(e.forward_status == ForwardStatus.FAILED for e in events)
        assert all(e.forward_attempts == 9 and "ConnectionError" in e.forward_error for e in events)
        with pytest.raises(CommandError, match="could not be forwarded"):
            call_command("atlas_lineage_forward")
    with Backend() as backend, override_settings(OPENLINEAGE_URL=backend.url):
        call_command("atlas_lineage_forward")
    assert len(backend.received) == 2
    assert set(LineageEvent.objects.values_list("forward_status", flat=True)) == {ForwardStatus.SENT}


def test_a_refused_event_is_not_retried(load):
    with Backend(failures=100, status=400) as backend, override_settings(OPENLINEAGE_URL=backend.url):
        load("cities", ROWS)
    assert backend.attempts == 2  # one per event, no retries for a 400
    event = LineageEvent.objects.first()
    assert event.forward_status == ForwardStatus.FAILED and "400" in event.forward_error


def test_without_a_backend_events_are_only_stored(load):
    report = load("cities", ROWS)
    assert report["status"] == "succeeded"
    assert set(LineageEvent.objects.values_list("forward_status", flat=True)) == {ForwardStatus.NOT_NEEDED}
