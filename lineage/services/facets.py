"""OpenLineage facets for an Atlas run, built with openlineage-python's classes.

Column lineage follows a value through the layers: source field → explore
column (loaded as text) → chart column (cast to its type) → navigate column
(published as is, or masked by a named policy), with the deduplication on the
dataset key as a dataset-wide (indirect) dependency.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from openlineage.client.facet_v2 import (
    column_lineage_dataset as cl,
)
from openlineage.client.facet_v2 import (
    data_quality_assertions_dataset as dqa,
)
from openlineage.client.facet_v2 import (
    data_quality_metrics_dataset as dqm,
)
from openlineage.client.facet_v2 import (
    datasource_dataset,
    documentation_dataset,
    ownership_dataset,
    schema_dataset,
    tags_dataset,
)

from catalog.choices import ColumnType, LoadMode
from lineage.services.naming import PRODUCER
from pipeline.types import PG_TYPES

if TYPE_CHECKING:
    from catalog.models import Dataset
    from pipeline.stages.base import ColumnPlan, RunContext

Ref = tuple[str, str]  # (namespace, name) of a dataset
NUMERIC = {ColumnType.INTEGER, ColumnType.DECIMAL}


def schema(fields: list[tuple[str, str, str | None]]) -> schema_dataset.SchemaDatasetFacet:
    """A schema facet from ``(name, type, description)`` triples."""
    return schema_dataset.SchemaDatasetFacet(
        fields=[
            schema_dataset.SchemaDatasetFacetFields(name=name, type=type_, description=description or None,
                                                    ordinal_position=position)
            for position, (name, type_, description) in enumerate(fields, start=1)
        ],
        producer=PRODUCER,
    )


def datasource(namespace: str) -> datasource_dataset.DatasourceDatasetFacet:
    return datasource_dataset.DatasourceDatasetFacet(name=namespace, uri=namespace, producer=PRODUCER)


def _field(
    ref: Ref, field: str, type_: str, subtype: str, description: str, masking: bool = False
) -> cl.InputField:
    return cl.InputField(
        namespace=ref[0],
        name=ref[1],
        field=field,
        transformations=[
            cl.Transformation(type=type_, subtype=subtype, description=description, masking=masking)
        ],
    )


def explore_lineage(source: Ref, columns: list[ColumnPlan]) -> cl.ColumnLineageDatasetFacet:
    """Each explore column is its source field, loaded as text."""
    fields = {
        c.warehouse_name: cl.Fields(
            inputFields=[_field(source, c.name, "DIRECT", "IDENTITY", "loaded as text")],
            transformationDescription="loaded as text",
            transformationType="IDENTITY",
        )
        for c in columns
    }
    return cl.ColumnLineageDatasetFacet(fields=fields, producer=PRODUCER)


def _cast(column: ColumnPlan) -> str:
    return "kept as text" if column.data_type == ColumnType.TEXT else f"cast to {column.data_type}"


def chart_lineage(explore: Ref, columns: list[ColumnPlan]) -> cl.ColumnLineageDatasetFacet:
    """Each chart column is its explore column cast to the column's type."""
    fields = {}
    for c in columns:
        subtype = "IDENTITY" if c.data_type == ColumnType.TEXT else "TRANSFORMATION"
        fields[c.warehouse_name] = cl.Fields(
            inputFields=[_field(explore, c.warehouse_name, "DIRECT", subtype, _cast(c))],
            transformationDescription=_cast(c), transformationType="IDENTITY",
        )
    return cl.ColumnLineageDatasetFacet(fields=fields, producer=PRODUCER)


def rejected_lineage(explore: Ref, columns: list[ColumnPlan]) -> cl.ColumnLineageDatasetFacet:
    """Rows failing hard validation are set aside, column for column."""
    fields = {
        c.warehouse_name: cl.Fields(inputFields=[_field(explore, c.warehouse_name, "DIRECT", "IDENTITY",
                                                        "rejected: failed validation")])
        for c in columns
    }
    return cl.ColumnLineageDatasetFacet(fields=fields, producer=PRODUCER)


def navigate_lineage(chart: Ref, context: RunContext) -> cl.ColumnLineageDatasetFacet:
    """Navigate columns from chart: published as they are, or masked by the policy in ``context.masking``."""
    fields = {}
    for c in context.columns:
        if c.warehouse_name in context.navigate_dropped:
            continue
        policy = context.masking.get(c.warehouse_name)
        if policy:
            description = f"masked: {policy}"
            field = _field(chart, c.warehouse_name, "DIRECT", "TRANSFORMATION", description, masking=True)
            fields[c.warehouse_name] = cl.Fields(inputFields=[field], transformationDescription=description,
                                                 transformationType="MASKED")
        else:
            field = _field(chart, c.warehouse_name, "DIRECT", "IDENTITY", "published as is")
            fields[c.warehouse_name] = cl.Fields(
                inputFields=[field],
                transformationDescription="published as is",
                transformationType="IDENTITY",
            )
    dataset_level = []
    if context.run.load_mode != LoadMode.APPEND and context.key:
        dataset_level = [
            _field(chart, key, "INDIRECT", "GROUP_BY", "dedupe on key, latest wins")
            for key in context.key
        ]
    return cl.ColumnLineageDatasetFacet(fields=fields, dataset=dataset_level, producer=PRODUCER)


def _number(value) -> float | None:
    try:
        return float(value) if value is not None else None
    except (TypeError, ValueError):
        return None


def quality_metrics(context: RunContext) -> dqm.DataQualityMetricsDatasetFacet:
    """Row count and per-column nulls, counts and ranges from the profile stage."""
    metrics = {}
    rows = None
    for c in context.present_columns():
        stats = context.profile.get(c.warehouse_name)
        if not stats:
            continue
        rows = stats.get("rows", rows)
        numeric = c.data_type in NUMERIC
        metrics[c.warehouse_name] = dqm.ColumnMetrics(
            nullCount=stats.get("nulls"),
            count=stats.get("non_null"),
            min=_number(stats.get("min")) if numeric else None,
            max=_number(stats.get("max")) if numeric else None,
        )
    return dqm.DataQualityMetricsDatasetFacet(columnMetrics=metrics, rowCount=rows, producer=PRODUCER)


def quality_assertions(quality: dict, columns: dict[str, str]) -> dqa.DataQualityAssertionsDatasetFacet:
    """One assertion per quality dimension, one per column and dimension, and one per cross-field rule.

    ``columns`` maps original column names (as the quality report names them) to warehouse names.
    """
    assertions = []
    for dimension, part in (quality.get("dimensions") or {}).items():
        if not isinstance(part, dict):
            continue
        threshold = part.get("threshold")
        assertions.append(dqa.Assertion(
            assertion=dimension, success=bool(part.get("passed")), name=dimension,
            expected=None if threshold is None else str(threshold), actual=str(part.get("score")),
        ))
        for column, score in (part.get("columns") or {}).items():
            passed = threshold is None or (score is not None and score >= threshold)
            assertions.append(dqa.Assertion(assertion=dimension, success=bool(passed),
                                            column=columns.get(column, column), actual=str(score)))
        for rule, score in (part.get("rules") or {}).items():
            passed = threshold is None or (score is not None and score >= threshold)
            assertions.append(dqa.Assertion(assertion=f"{dimension}:{rule}", name=rule, success=bool(passed),
                                            actual=str(score)))
    return dqa.DataQualityAssertionsDatasetFacet(assertions=assertions, producer=PRODUCER)


def catalog_facets(dataset: Dataset, pii: dict[str, list[dict]]) -> dict:
    """What the catalog knows of the published dataset: description, owners and tags (PII per column)."""
    facets: dict = {}
    if dataset.description:
        facets["documentation"] = documentation_dataset.DocumentationDatasetFacet(
            description=dataset.description, producer=PRODUCER)
    owners = [
        ownership_dataset.Owner(name=f"user:{u.get_username()}", type="OWNER") for u in dataset.owners.all()
    ]
    if owners:
        facets["ownership"] = ownership_dataset.OwnershipDatasetFacet(owners=owners, producer=PRODUCER)
    tags = [
        tags_dataset.TagsDatasetFacetFields(key=t.name, value="true", source="USER")
        for t in dataset.tags.all()
    ]
    tags += [tags_dataset.TagsDatasetFacetFields(key=t.name, value="true", source="ATLAS")
             for t in dataset.system_tags.all()]
    tags += [
        tags_dataset.TagsDatasetFacetFields(key="pii", value=finding["entity"], source="ATLAS", field=column)
        for column, findings in pii.items() for finding in findings if finding.get("entity")
    ]
    if tags:
        facets["tags"] = tags_dataset.TagsDatasetFacet(tags=tags, producer=PRODUCER)
    return facets


def pg_type(data_type: str) -> str:
    return PG_TYPES.get(data_type, "text")
