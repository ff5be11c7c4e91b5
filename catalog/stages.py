"""The catalog stage: a run registers the dataset's columns, statistics, PII and schema version.

What people wrote — descriptions, owners and the tags in ``tags`` — is never
written here: a run only updates what it measures, and the system tags it
derives from PII findings live apart, in ``system_tags``.
"""
from __future__ import annotations

from django.conf import settings
from django.utils.module_loading import import_string

from catalog.models import Column
from catalog.services import pii as pii_service
from catalog.services.schema import record_schema
from catalog.services.tags import apply_system_tags, pii_tag_names, refresh_dataset_system_tags
from pipeline.stages.base import RunContext, Stage

COLUMN_FIELDS = [
    "data_type",
    "position",
    "present",
    "is_key",
    "stats",
    "pii_entity",
    "pii_confidence",
    "updated",
]


def pii_checked(context: RunContext) -> bool:
    """Whether this run looked for PII: findings, or a PII stage (named "pii…") in the chain that found none.

    Without one, the catalog keeps the classification it had rather than clearing it.
    """
    if context.pii:
        return True
    return any("pii" in getattr(import_string(path), "name", "") for path in settings.ATLAS_PIPELINE_STAGES)


def source_label(context: RunContext) -> str:
    """Where this run's data came from, as the catalog shows it."""
    run = context.run
    description = run.source_description or (run.source_file.original_name if run.source_file_id else "")
    kind = run.get_source_kind_display()
    return f"{kind}: {description}"[:300] if description else kind


VALUE_STATS = ("min", "max", "mean")


class CatalogStage(Stage):
    """Updates ``Dataset`` and ``Column`` from the run and records a ``SchemaVersion`` when it changed."""

    name = "catalog"
    label = "Registering in the catalog"
    weight = 0.3

    def run(self, context: RunContext) -> None:
        dataset = context.dataset
        by_name = {c.name: c for c in dataset.columns.all()}
        key = set(context.key)
        classify = pii_checked(context)
        for position, plan in enumerate(context.columns, start=1):
            column: Column = by_name[plan.name]
            column.data_type = plan.data_type
            column.position = position
            column.present = plan.in_source
            column.is_key = plan.warehouse_name in key
            if plan.warehouse_name in context.profile:
                column.stats = context.profile[plan.warehouse_name]
                if context.pii.get(plan.warehouse_name):
                    # The earliest birth date or the largest salary is itself personal data.
                    column.stats = {k: v for k, v in column.stats.items() if k not in VALUE_STATS}
            if classify and plan.in_source:
                findings = context.pii.get(plan.warehouse_name, [])
                pii_service.classify_column(column, findings)
                apply_system_tags(column, pii_tag_names(findings))
            column.save(update_fields=COLUMN_FIELDS)
        self._record_schema(context)
        # Explore and chart keep every run, so their totals only grow.
        dataset.explore_rows += context.counts.get("explore", 0)
        dataset.chart_rows += context.counts.get("chart", 0)
        dataset.rejected_rows += context.counts.get("rejected", 0)
        dataset.navigate_rows = context.counts.get("navigate", dataset.navigate_rows)
        if context.key and not dataset.key_columns:
            dataset.key_columns = [context.column(k).name for k in context.key]
            dataset.key_inferred = bool(context.extra.get("key_inferred"))
        dataset.last_run = context.run
        dataset.source = source_label(context)
        if context.quality:
            dataset.quality_score = context.quality.get("overall_score")
        if classify:
            dataset.pii_summary = pii_service.summarize(dataset)
            refresh_dataset_system_tags(dataset)
        dataset.save()  # and the search index follows (catalog.signals)

    def _record_schema(self, context: RunContext) -> None:
        dataset = context.dataset
        schema = [
            {"name": c.name, "warehouse_name": c.warehouse_name, "type": c.data_type}
            for c in context.columns if c.in_source
        ]
        version = record_schema(dataset, schema, run=context.run)
        if version is not None and version.version > 1:
            dataset.breaking_change = version.breaking
            if version.changes:
                summary = ", ".join(
                    f"{c['change'].replace('_', ' ')}: {c['column']}" for c in version.changes[:5]
                )
                context.warnings.append(f"Schema changed (version {version.version}): {summary}.")
