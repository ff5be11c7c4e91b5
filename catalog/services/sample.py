"""A sample of a dataset's navigate rows: navigate is already masked, so this is what BI would see."""
from __future__ import annotations

from dataclasses import dataclass, field

from psycopg import sql

from atlas import warehouse
from catalog.models import Dataset

SAMPLE_ROWS = 20
SYSTEM_PREFIX = "_atlas_"


@dataclass
class Sample:
    """Column headers (original names) and up to ``SAMPLE_ROWS`` rows of text."""

    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)
    table: str = ""


def _text(value) -> str:
    return "" if value is None else str(value)


def navigate_sample(dataset: Dataset, limit: int = SAMPLE_ROWS) -> Sample:
    """The latest ``limit`` rows of ``navigate.<table>``, newest first; empty when nothing is published."""
    cursor = warehouse.raw_cursor()
    try:
        if not warehouse.table_exists(cursor, "navigate", dataset.table_name):
            return Sample(table=f"navigate.{dataset.table_name}")
        present = warehouse.table_columns(cursor, "navigate", dataset.table_name)
        original = {c.warehouse_name: c.name for c in dataset.columns.all()}
        columns = [name for name in present if not name.startswith(SYSTEM_PREFIX)]
        if not columns:
            return Sample(table=f"navigate.{dataset.table_name}")
        order = (
            sql.SQL(" ORDER BY _atlas_loaded_at DESC, _atlas_row DESC")
            if "_atlas_row" in present
            else sql.SQL("")
        )
        cursor.execute(
            sql.SQL("SELECT {} FROM {}").format(
                warehouse.column_list(columns), warehouse.table("navigate", dataset.table_name)
            ) + order + sql.SQL(" LIMIT {}").format(sql.Literal(int(limit)))
        )
        rows = [[_text(v) for v in row] for row in cursor.fetchall()]
    finally:
        cursor.close()
    return Sample(
        headers=[original.get(c, c) for c in columns], rows=rows, table=f"navigate.{dataset.table_name}"
    )
