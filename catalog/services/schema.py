"""Schema versions: each run's schema compared with the one before."""
from __future__ import annotations

from catalog.choices import SchemaChange
from catalog.models import Dataset, SchemaVersion


def diff_schemas(previous: list[dict], current: list[dict]) -> list[dict]:
    """Added, removed and type-changed columns between two ``[{name, warehouse_name, type}]`` lists."""
    before = {c["name"]: c for c in previous}
    after = {c["name"]: c for c in current}
    changes = [
        {"change": SchemaChange.ADDED, "column": n, "to": after[n]["type"]} for n in after if n not in before
    ]
    changes += [
        {"change": SchemaChange.REMOVED, "column": n, "from": before[n]["type"]}
        for n in before
        if n not in after
    ]
    changes += [
        {"change": SchemaChange.TYPE_CHANGED, "column": n, "from": before[n]["type"], "to": after[n]["type"]}
        for n in after if n in before and before[n]["type"] != after[n]["type"]
    ]
    return changes


def is_breaking(changes: list[dict]) -> bool:
    """A removed or retyped column breaks whoever reads the dataset; an added one does not."""
    return any(c["change"] in (SchemaChange.REMOVED, SchemaChange.TYPE_CHANGED) for c in changes)


def record_schema(dataset: Dataset, columns: list[dict], run=None) -> SchemaVersion | None:
    """Store a new version when the schema differs from the latest; returns it, or None when unchanged."""
    latest = dataset.schema_versions.order_by("-version").first()
    if latest is None:
        return SchemaVersion.objects.create(dataset=dataset, version=1, run=run, columns=columns, changes=[])
    changes = diff_schemas(latest.columns, columns)
    if not changes:
        return None
    return SchemaVersion.objects.create(
        dataset=dataset, version=latest.version + 1, run=run, columns=columns, changes=changes,
        breaking=is_breaking(changes),
    )


def column_document(column) -> dict:
    """One column as the schema document and the API show it."""
    return {
        "name": column.name,
        "warehouse_name": column.warehouse_name,
        "position": column.position,
        "type": column.data_type,
        "description": column.description,
        "is_key": column.is_key,
        "present": column.present,
        "tags": sorted(t.name for t in column.tags.all()),
        "system_tags": sorted(t.name for t in column.system_tags.all()),
        "pii": ({"entity": column.pii_entity, "confidence": column.pii_confidence} if column.pii_entity
                else None),
        "stats": column.stats,
    }


def schema_document(dataset: Dataset) -> dict:
    """The dataset's schema: current columns, layer tables and the version history with each change."""
    versions = dataset.schema_versions.order_by("-version")
    latest = versions.first()
    return {
        "dataset": dataset.name,
        "version": latest.version if latest else None,
        "tables": dataset.layer_tables,
        "key": dataset.key_columns,
        "columns": [column_document(c) for c in dataset.columns.prefetch_related("tags", "system_tags")],
        "history": [
            {
                "version": v.version,
                "run_id": v.run_id,
                "created": v.created.isoformat(),
                "breaking": v.breaking,
                "changes": v.changes,
                "columns": v.columns,
            }
            for v in versions
        ],
    }
