"""Schema versions: each run's schema compared with the one before."""
from __future__ import annotations

from catalog.choices import SchemaChange
from catalog.models import Dataset, SchemaVersion


def diff_schemas(previous: list[dict], current: list[dict]) -> list[dict]:
    """Added, removed and type-changed columns between two ``[{name, warehouse_name, type}]`` lists."""
    before = {c["name"]: c for c in previous}
    after = {c["name"]: c for c in current}
    changes = [{"change": SchemaChange.ADDED, "column": n, "to": after[n]["type"]} for n in after if n not in before]
    changes += [{"change": SchemaChange.REMOVED, "column": n, "from": before[n]["type"]} for n in before if n not in after]
    changes += [
        {"change": SchemaChange.TYPE_CHANGED, "column": n, "from": before[n]["type"], "to": after[n]["type"]}
        for n in after if n in before and before[n]["type"] != after[n]["type"]
    ]
    return changes


def is_breaking(changes: list[dict]) -> bool:
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
