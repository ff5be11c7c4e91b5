"""What a quality check looks at: one run's chart rows, its columns, key and PII findings.

A ``CheckTarget`` is built from a running pipeline's ``RunContext`` (the
stage) or from the catalog (``atlas_quality`` checking a finished run again),
so the rest of the services never care which.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from quality.choices import ReportSource
from quality.services.rules import KnownColumn

if TYPE_CHECKING:
    from catalog.models import Dataset
    from pipeline.models import PipelineRun
    from pipeline.stages.base import RunContext


@dataclass
class CheckTarget:
    """One run of one dataset, as the quality services need it."""

    dataset: Dataset
    run: PipelineRun
    cursor: Any  # a psycopg cursor; its connection runs every query, inside the caller's transaction
    columns: list[KnownColumn]  # the columns this run holds, in order
    key: list[str] = field(default_factory=list)  # warehouse names
    pii: dict[str, list[dict]] = field(default_factory=dict)  # warehouse name → findings
    source: str = ReportSource.PIPELINE
    rows: int | None = None  # the run's chart rows, when the caller has just counted them

    @property
    def table(self) -> str:
        return self.dataset.table_name

    @property
    def connection(self):
        return self.cursor.connection

    @classmethod
    def from_context(cls, context: RunContext) -> CheckTarget:
        columns = [KnownColumn(c.name, c.warehouse_name, c.data_type) for c in context.present_columns()]
        return cls(dataset=context.dataset, run=context.run, cursor=context.cursor, columns=columns,
                   key=list(context.key), pii=dict(context.pii or {}), rows=context.counts.get("chart"))

    @classmethod
    def from_catalog(cls, dataset: Dataset, run: PipelineRun, cursor) -> CheckTarget:
        """The run's columns as the catalog recorded them (present ones only), with their PII findings."""
        catalog = list(dataset.columns.filter(present=True).order_by("position"))
        by_name = {c.name: c for c in catalog}
        columns = [KnownColumn(c.name, c.warehouse_name, c.data_type) for c in catalog]
        key = [by_name[k].warehouse_name for k in dataset.key_columns or [] if k in by_name]
        pii = {
            c.warehouse_name: [{"entity": c.pii_entity, "confidence": c.pii_confidence or 0.0}]
            for c in catalog if c.pii_entity
        }
        return cls(dataset=dataset, run=run, cursor=cursor, columns=columns, key=key, pii=pii,
                   source=ReportSource.RECHECK)
