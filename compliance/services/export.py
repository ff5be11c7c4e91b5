"""The PII inventory as CSV, for auditors and spreadsheets."""
from __future__ import annotations

import csv
from collections.abc import Iterator

from django.db.models import QuerySet

from compliance.models import PiiFinding

HEADER = ("dataset", "column", "warehouse_column", "entity", "confidence", "share", "sample_size",
          "sample_matches", "rows_matching", "rows_non_null", "free_text", "status", "current", "masking",
          "reviewer", "reviewed_at", "explanation", "first_run", "last_run")


class _Line:
    """A file-like object whose ``write`` returns what it was given, for streaming ``csv.writer`` rows."""

    def write(self, value: str) -> str:
        return value


def _cell(value) -> str:
    text = "" if value is None else str(value)
    # A cell starting with = + - @ would run as a formula in a spreadsheet.
    return "'" + text if text[:1] in ("=", "+", "-", "@") else text


def rows(findings: QuerySet[PiiFinding]) -> Iterator[str]:
    """CSV lines: the header, then one line per finding."""
    writer = csv.writer(_Line())
    yield writer.writerow(HEADER)
    for f in findings.select_related("dataset", "column", "reviewer").iterator(chunk_size=2000):
        yield writer.writerow([_cell(v) for v in (
            f.dataset.name, f.column.name, f.column.warehouse_name, f.entity, f"{f.confidence:.4f}",
            f"{f.share:.4f}", f.sample_size, f.sample_matches, f.rows_matching, f.rows_non_null, f.free_text,
            f.status, f.current, f.masking, f.reviewer.username if f.reviewer else "",
            f.reviewed_at.isoformat() if f.reviewed_at else "", f.explanation, f.first_run_id, f.last_run_id,
        )])
