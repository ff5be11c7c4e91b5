"""A stage is one small job in a run; a run is a chain of them sharing one ``RunContext``.

Like paperless-ngx's consumer plugins, each stage says whether it is
``able_to_run``, then ``setup``, ``run`` and ``cleanup``, reporting progress
through the context's ``ProgressManager``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from psycopg import sql

if TYPE_CHECKING:
    from catalog.models import Dataset
    from pipeline.models import PipelineRun
    from pipeline.progress import ProgressManager
    from pipeline.sources import Source


@dataclass
class ColumnPlan:
    """One column as this run handles it."""

    name: str  # original name, as received
    warehouse_name: str  # sanitised, stable across runs
    data_type: str = "text"  # chart type (catalog.choices.ColumnType)
    inferred_type: str = "text"
    needs_trim: bool = True  # whitespace-only values seen: the cast must btrim first
    ascii_only: bool = False  # every value received was ASCII: as many characters as bytes
    in_source: bool = True  # False: known to the dataset but absent from this run's file
    is_new: bool = False


@dataclass
class RunContext:
    """Everything stages share during one run."""

    run: PipelineRun
    dataset: Dataset
    cursor: Any  # a psycopg cursor inside the run's transaction
    progress: ProgressManager
    source: Source | None = None
    columns: list[ColumnPlan] = field(default_factory=list)
    key: list[str] = field(default_factory=list)  # warehouse names of the dataset key
    counts: dict[str, int] = field(default_factory=dict)
    profile: dict[str, dict] = field(default_factory=dict)  # warehouse name → statistics
    # Per warehouse column: [{"entity", "confidence", ...}] filled by the PII stage.
    pii: dict[str, list[dict]] = field(default_factory=dict)
    quality: dict | None = None
    # The masking hook: warehouse column → (SQL expression over chart alias "c", PostgreSQL
    # type) used when publishing to navigate. Columns absent here are copied as they are.
    navigate_expressions: dict[str, tuple[sql.Composable, str]] = field(default_factory=dict)
    navigate_dropped: set[str] = field(default_factory=set)
    masking: dict[str, str] = field(default_factory=dict)  # warehouse column → policy name, for lineage
    warnings: list[str] = field(default_factory=list)
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def table(self) -> str:
        return self.dataset.table_name

    @property
    def run_id(self) -> int:
        return self.run.pk

    def present_columns(self) -> list[ColumnPlan]:
        return [c for c in self.columns if c.in_source]

    def column(self, warehouse_name: str) -> ColumnPlan | None:
        return next((c for c in self.columns if c.warehouse_name == warehouse_name), None)


class Stage:
    """One job in the chain. Subclasses set ``name`` and ``weight`` (share of the progress bar)."""

    name: str = ""
    label: str = ""
    weight: float = 1.0
    # True for a stage whose work happens inside PostgreSQL, leaving this process idle: while it
    # runs, the later stages' ``warm_up`` preparation goes on in the background at no cost.
    runs_in_database: bool = False

    def able_to_run(self, context: RunContext) -> bool:
        return True

    def warm_up(self, context: RunContext) -> Callable[[], object] | None:
        """Slow Python-only preparation (imports, building engines) to run in the background, or None.

        Asked once, on the run's thread, when the chain reaches the first earlier stage
        that ``runs_in_database``; what it returns runs on :mod:`atlas.warmup`'s thread,
        and a stage that does not run in the database waits for it before starting.
        """
        return None

    def setup(self, context: RunContext) -> None:
        """Prepare; runs just before ``run``."""

    def run(self, context: RunContext) -> None:  # pragma: no cover - abstract
        raise NotImplementedError

    def cleanup(self, context: RunContext) -> None:
        """Release what ``setup`` took; runs whether the stage succeeded or not."""


def preload(*modules: str) -> Callable[[], None]:
    """A ``warm_up`` preparation that imports ``modules``, for stages whose imports are slow."""

    def load() -> None:
        for module in modules:
            importlib.import_module(module)

    return load
