"""Running a run: the chain of stages inside one transaction, so a failure leaves nothing behind."""
from __future__ import annotations

import logging
import time
from collections.abc import Callable

import psycopg
from django.apps import apps
from django.conf import settings
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.module_loading import import_string
from psycopg import errors as pg_errors

from atlas import warehouse, warmup
from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.errors import PipelineError, RunCancelled
from pipeline.models import PipelineRun
from pipeline.progress import ProgressManager
from pipeline.report import build_report
from pipeline.sources import SourceError
from pipeline.stages.base import RunContext, Stage

logger = logging.getLogger(__name__)


def build_chain() -> list[Stage]:
    """The stages named in ``settings.ATLAS_PIPELINE_STAGES``, instantiated in order."""
    return [import_string(path)() for path in settings.ATLAS_PIPELINE_STAGES]


def _open(run: PipelineRun):
    from pipeline.services.sources import source_for_run

    return source_for_run(run)


def execute_run(run_id: int, *, echo: Callable[[str, float, str], None] | None = None) -> PipelineRun:
    """Run ``run_id`` through the chain; the run ends succeeded, failed or cancelled, never half-done."""
    run = PipelineRun.objects.select_related("dataset", "source_file").get(pk=run_id)
    claimed = PipelineRun.objects.filter(pk=run_id, status=RunStatus.QUEUED, cancel_requested=False).update(
        status=RunStatus.RUNNING, started_at=timezone.now(), percent=0, message="starting", error=""
    )
    if not claimed:
        run.refresh_from_db()
        if run.status == RunStatus.QUEUED and run.cancel_requested:
            _finish(run, RunStatus.CANCELLED, error="The run was cancelled before it started.")
        return run
    run.refresh_from_db()
    chain = build_chain()
    progress = ProgressManager(run.pk, {stage.name: stage.weight for stage in chain}, echo=echo)
    timings: dict[str, float] = {}
    context = None
    try:
        with transaction.atomic():
            cursor = warehouse.raw_cursor()
            cursor.execute("SET LOCAL TimeZone = 'UTC'")
            # A run writes its layers in bulk, into tables the commit must then flush to disk: asking
            # the OS to write back as the run goes spreads that over the run (the commit of a
            # one-million-row load went from about 0.45 s to 0.07 s).
            cursor.execute("SET LOCAL backend_flush_after = '2MB'")
            # One run per dataset at a time: the layers' DDL and merges must not interleave.
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [0x41544C53, run.dataset_id])
            dataset = Dataset.objects.select_for_update().get(pk=run.dataset_id)
            context = RunContext(run=run, dataset=dataset, cursor=cursor, progress=progress)
            try:
                context.source = _open(run)
            except SourceError as exc:
                raise PipelineError(str(exc)) from exc
            warming = False
            for position, stage in enumerate(chain):
                if not stage.able_to_run(context):
                    continue
                if stage.runs_in_database and not warming:
                    warming = True
                    for later in chain[position + 1:]:
                        if (preparation := later.warm_up(context)) is not None:
                            warmup.submit(preparation)
                elif not stage.runs_in_database:
                    # Python work must not import alongside a preparation (atlas.warmup). One that
                    # failed is done again, and its error reported, by the stage that needs it.
                    warmup.settle()
                progress.stage(stage.name, stage.label)
                started = time.perf_counter()
                stage.setup(context)
                try:
                    stage.run(context)
                finally:
                    stage.cleanup(context)
                timings[stage.name] = round(time.perf_counter() - started, 3)
                progress.update(1.0, force=True)
            _record_success(run, context, timings)
            committing = time.perf_counter()
        # Committing makes the new layer rows durable; on a large load it is a stage of its own.
        timings["commit"] = round(time.perf_counter() - committing, 3)
        run.report["timings"] = timings
        PipelineRun.objects.filter(pk=run.pk).update(timings=timings, report=run.report)
    except RunCancelled as exc:
        _finish(run, RunStatus.CANCELLED, error=str(exc), timings=timings)
    except PipelineError as exc:
        _finish(run, RunStatus.FAILED, error=str(exc), timings=timings)
    except (DatabaseError, psycopg.Error) as exc:  # stages use psycopg directly: its errors are not Django's
        logger.exception("run %s failed in the database", run.pk)
        stage = progress.current_stage or "start"
        _finish(run, RunStatus.FAILED, timings=timings, error=_database_error(stage, exc))
    except Exception as exc:
        logger.exception("run %s failed", run.pk)
        stage = progress.current_stage or "start"
        _finish(run, RunStatus.FAILED, timings=timings,
                error=f"The {stage} stage failed unexpectedly ({type(exc).__name__}: {str(exc)[:300]}). "
                      "Nothing from this run was kept; the received file is kept and the run can be retried.")
    finally:
        progress.close()
    run.refresh_from_db()
    return run


def _database_error(stage: str, exc: Exception) -> str:
    """What the warehouse refused, in words; a row too wide for a page gets its own advice."""
    cause = getattr(exc, "__cause__", None) or exc
    text = str(cause).splitlines()[0][:400] if str(cause) else type(cause).__name__
    if isinstance(cause, pg_errors.ProgramLimitExceeded) and "row is too big" in text:
        return (
            f"A row is too wide for PostgreSQL in the {stage} stage ({text} bytes): with this many columns "
            "only short values fit. Split the file into datasets with fewer columns and retry. "
            "Nothing from this run was kept."
        )
    return (
        f"The warehouse refused the {stage} stage: {text}. "
        "Nothing from this run was kept; fix the cause and retry."
    )


def _record_success(run: PipelineRun, context: RunContext, timings: dict[str, float]) -> None:
    counts = context.counts
    run.status = RunStatus.SUCCEEDED
    run.percent = 100
    run.stage = "done"
    run.message = f"{counts.get('navigate', 0):,} rows in navigate"
    run.rows_received = counts.get("received", 0)
    run.rows_explore = counts.get("explore", 0)
    run.rows_chart = counts.get("chart", 0)
    run.rows_rejected = counts.get("rejected", 0)
    run.rows_navigate = counts.get("navigate", 0)
    run.timings = timings
    run.warnings = context.warnings
    run.finished_at = timezone.now()
    run.report = build_report(run, context)
    run.save()


def _finish(run: PipelineRun, status: str, *, error: str = "", timings: dict | None = None) -> None:
    PipelineRun.objects.filter(pk=run.pk).update(
        status=status, error=error, finished_at=timezone.now(), timings=timings or {},
        message=error[:500], rows_explore=0, rows_chart=0, rows_rejected=0, rows_navigate=0,
    )
    run.refresh_from_db()
    # The run's transaction rolled back whatever lineage the chain wrote; record the failure itself.
    if apps.is_installed("lineage"):
        from lineage.services import emit_run_failed

        emit_run_failed(run)
