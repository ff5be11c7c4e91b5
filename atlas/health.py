"""Health probes: live (the process answers), ready (its dependencies answer), startup (migrated)."""
from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor
from django.http import JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET

logger = logging.getLogger(__name__)
BROKER_TIMEOUT_SECONDS = 2.0


def check_database() -> None:
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1")


def check_broker() -> None:
    from kombu import Connection

    url = settings.CELERY_BROKER_URL
    options = getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}) or {}
    if url.startswith("filesystem://"):
        # The filesystem transport is "up" when its folder can be written.
        folder = settings.BROKER_DIR / "queue"
        folder.mkdir(parents=True, exist_ok=True)
        probe = folder / f".probe-{uuid.uuid4().hex}"
        probe.write_bytes(b"")
        probe.unlink()
        return
    with Connection(url, connect_timeout=BROKER_TIMEOUT_SECONDS, transport_options=options) as conn:
        conn.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT_SECONDS)


def check_storage() -> None:
    name = default_storage.save(f"health/probe-{uuid.uuid4().hex}", ContentFile(b"ok"))
    default_storage.delete(name)


READY_CHECKS = {"database": check_database, "broker": check_broker, "storage": check_storage}


def _run(checks) -> tuple[dict, list[str]]:
    results, failing = {}, []
    for name, check in checks.items():
        started = time.monotonic()
        try:
            check()
        except Exception as exc:  # a probe reports any failure, whatever its kind
            logger.warning("readiness check %s failed: %s", name, exc)
            results[name] = {"ok": False, "error": f"{type(exc).__name__}: {exc}"[:300]}
            failing.append(name)
        else:
            results[name] = {"ok": True, "seconds": round(time.monotonic() - started, 4)}
    return results, failing


@login_not_required
@never_cache
@require_GET
def live(request):
    return JsonResponse({"status": "ok"})


@login_not_required
@never_cache
@require_GET
def ready(request):
    results, failing = _run(READY_CHECKS)
    if failing:
        return JsonResponse(
            {"status": "unavailable", "failing": failing, "checks": results}, status=503
        )
    return JsonResponse({"status": "ok", "checks": results})


@login_not_required
@never_cache
@require_GET
def startup(request):
    try:
        connection = connections[DEFAULT_DB_ALIAS]
        executor = MigrationExecutor(connection)
        pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
    except Exception as exc:  # the database itself may not be up yet
        return JsonResponse({"status": "starting", "error": f"{type(exc).__name__}: {exc}"[:300]}, status=503)
    if pending:
        return JsonResponse(
            {"status": "starting", "pending_migrations": [f"{m.app_label}.{m.name}" for m, _ in pending]},
            status=503,
        )
    return JsonResponse({"status": "ok"})
