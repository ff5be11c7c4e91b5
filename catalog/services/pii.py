"""The catalog's view of personal data: per-column classification and the dataset's PII summary."""
from __future__ import annotations

from collections import Counter
from collections.abc import Iterable

from catalog.models import Column, Dataset


def top_finding(findings: Iterable[dict]) -> dict | None:
    """The most confident finding of a column, or None."""
    best = None
    for finding in findings:
        if not finding.get("entity"):
            continue
        if best is None or float(finding.get("confidence") or 0) > float(best.get("confidence") or 0):
            best = finding
    return best


def classify_column(column: Column, findings: list[dict]) -> None:
    """Set the column's PII entity and confidence from this run's findings (cleared when none)."""
    best = top_finding(findings)
    column.pii_entity = best["entity"] if best else ""
    column.pii_confidence = round(float(best.get("confidence") or 0), 4) if best else None


def summarize(dataset: Dataset) -> dict:
    """PII of present columns: ``{"columns": {name: {entity, confidence}}, "entities": {..}, "count": n}``."""
    columns = {
        c.name: {"entity": c.pii_entity, "confidence": c.pii_confidence}
        for c in dataset.columns.filter(present=True).exclude(pii_entity="").order_by("position")
    }
    entities = Counter(value["entity"] for value in columns.values())
    return {"columns": columns, "entities": dict(sorted(entities.items())), "count": len(columns)}
