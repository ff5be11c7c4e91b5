"""Reading a run back for people: its stages, its layer tables, its rejected rows."""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.utils.module_loading import import_string
from psycopg import sql

from atlas import warehouse
from atlas.choices import Layer
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun

REJECTED_PREVIEW_COLUMNS = ("_atlas_row", "original_column", "value", "reason", "record")
DEFAULT_REJECTED_LIMIT = 50
MAX_REJECTED_LIMIT = 1000


@dataclass(frozen=True)
class StageView:
    """One stage of the chain as a run went through it."""

    name: str
    label: str
    state: str  # "done", "running", "failed", "cancelled", "skipped", "not reached" or "pending"
    seconds: float | None


@dataclass(frozen=True)
class LayerTable:
    """A dataset's table in one warehouse layer, with how many rows this run put there."""

    layer: str
    label: str
    table: str
    exists: bool
    run_rows: int | None
    total_rows: int | None

    @property
    def qualified_name(self) -> str:
        return f"{self.layer}.{self.table}"


def chain_stages() -> list[tuple[str, str]]:
    """``(name, label)`` of each stage in ``settings.ATLAS_PIPELINE_STAGES``, without instantiating them."""
    stages = []
    for path in settings.ATLAS_PIPELINE_STAGES:
        cls = import_string(path)
        stages.append((cls.name, cls.label or cls.name))
    return stages


def ordered_timings(run: PipelineRun) -> list[tuple[str, float]]:
    """``(stage, seconds)`` in chain order (the JSON column does not keep the order stages ran in)."""
    timings = dict(run.timings or {})
    ordered = [(name, timings.pop(name)) for name, _ in chain_stages() if name in timings]
    return ordered + sorted(timings.items())


def stage_views(run: PipelineRun) -> list[StageView]:
    """The chain's stages with their state and seconds for ``run``."""
    timings = run.timings or {}
    views = []
    reached = False
    for name, label in chain_stages():
        seconds = timings.get(name)
        if seconds is not None:
            state = "done"
        elif name == run.stage and not reached:
            state = {
                RunStatus.RUNNING: "running",
                RunStatus.FAILED: "failed",
                RunStatus.CANCELLED: "cancelled",
            }.get(run.status, "pending")
            reached = True
        elif run.status == RunStatus.SUCCEEDED:
            state = "skipped"
        elif run.finished:
            state = "not reached"
        else:
            state = "pending"
        views.append(StageView(name=name, label=label, state=state, seconds=seconds))
    return views


def layer_tables(run: PipelineRun) -> list[LayerTable]:
    """The dataset's explore, chart, navigate and rejected tables with row counts (this run, and all)."""
    dataset = run.dataset
    succeeded = run.status == RunStatus.SUCCEEDED
    rows = [
        (Layer.EXPLORE, Layer.EXPLORE.label, dataset.table_name, run.rows_explore, dataset.explore_rows),
        (Layer.CHART, Layer.CHART.label, dataset.table_name, run.rows_chart, dataset.chart_rows),
        (Layer.NAVIGATE, Layer.NAVIGATE.label, dataset.table_name, run.rows_navigate, dataset.navigate_rows),
        (Layer.CHART, "Rejected rows", dataset.rejected_table_name, run.rows_rejected, dataset.rejected_rows),
    ]
    with warehouse.raw_cursor() as cursor:
        return [
            LayerTable(
                layer=str(layer),
                label=str(label),
                table=table,
                exists=warehouse.table_exists(cursor, layer, table),
                run_rows=run_rows if succeeded else None,
                total_rows=total,
            )
            for layer, label, table, run_rows, total in rows
        ]


def clamp_limit(limit: int | str | None) -> int:
    """A preview size between 1 and ``MAX_REJECTED_LIMIT``; ``ValueError`` for something not a number."""
    if limit in (None, ""):
        return DEFAULT_REJECTED_LIMIT
    return max(1, min(int(limit), MAX_REJECTED_LIMIT))


def rejected_rows(run: PipelineRun, limit: int = DEFAULT_REJECTED_LIMIT) -> list[dict]:
    """Up to ``limit`` of the run's rows in ``chart.<table>__rejected``, in file order, with the reason."""
    table = run.dataset.rejected_table_name
    with warehouse.raw_cursor() as cursor:
        if not warehouse.table_exists(cursor, Layer.CHART, table):
            return []
        cursor.execute(
            sql.SQL(
                "SELECT {columns} FROM {table} WHERE _atlas_run_id = %s "
                "ORDER BY _atlas_row NULLS LAST LIMIT %s"
            ).format(
                columns=warehouse.column_list(REJECTED_PREVIEW_COLUMNS),
                table=warehouse.table(Layer.CHART, table),
            ),
            [run.pk, limit],
        )
        return [dict(zip(REJECTED_PREVIEW_COLUMNS, row, strict=True)) for row in cursor.fetchall()]
