"""The catalog stage: a run registers the dataset's columns, statistics and schema version."""
from __future__ import annotations

from catalog.models import Column
from catalog.services.schema import record_schema
from pipeline.stages.base import RunContext, Stage


class CatalogStage(Stage):
    """Updates ``Dataset`` and ``Column`` from the run and records a ``SchemaVersion`` when it changed."""

    name = "catalog"
    label = "Registering in the catalog"
    weight = 0.3

    def run(self, context: RunContext) -> None:
        dataset = context.dataset
        by_name = {c.name: c for c in dataset.columns.all()}
        key = set(context.key)
        for position, plan in enumerate(context.columns, start=1):
            column: Column = by_name[plan.name]
            column.data_type = plan.data_type
            column.position = position
            column.present = plan.in_source
            column.is_key = plan.warehouse_name in key
            if plan.warehouse_name in context.profile:
                column.stats = context.profile[plan.warehouse_name]
            column.save(update_fields=["data_type", "position", "present", "is_key", "stats", "updated"])
        schema = [
            {"name": c.name, "warehouse_name": c.warehouse_name, "type": c.data_type}
            for c in context.columns if c.in_source
        ]
        version = record_schema(dataset, schema, run=context.run)
        if version is not None and version.version > 1:
            dataset.breaking_change = version.breaking
            if version.changes:
                summary = ", ".join(f"{c['change'].replace('_', ' ')}: {c['column']}" for c in version.changes[:5])
                context.warnings.append(f"Schema changed (version {version.version}): {summary}.")
        # Explore and chart keep every run, so their totals only grow.
        dataset.explore_rows += context.counts.get("explore", 0)
        dataset.chart_rows += context.counts.get("chart", 0)
        dataset.rejected_rows += context.counts.get("rejected", 0)
        dataset.navigate_rows = context.counts.get("navigate", dataset.navigate_rows)
        if context.key and not dataset.key_columns:
            dataset.key_columns = [context.column(k).name for k in context.key]
            dataset.key_inferred = bool(context.extra.get("key_inferred"))
        dataset.last_run = context.run
        if context.quality:
            dataset.quality_score = context.quality.get("overall_score")
        dataset.save()
