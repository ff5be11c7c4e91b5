"""Test support for the pipeline: files written for real, runs executed for real, layers read back.

path = write_csv(tmp_path / "sales.csv", [["id", "amount"], [1, "2.50"]])
run = ingest(path, "sales", mode="merge", key=["id"])
assert run.status == "succeeded"
assert layer_rows("navigate", run.dataset) == [{"id": 1, "amount": Decimal("2.50")}]
"""

from __future__ import annotations

import csv
import gzip
import io
from collections.abc import Iterable, Sequence
from pathlib import Path

import factory
from django.db import connection
from psycopg import sql

from atlas import warehouse
from catalog.models import Dataset
from pipeline.models import PipelineRun, SourceFile
from pipeline.services.runner import execute_run
from pipeline.services.submit import create_run, store_path

SYSTEM_COLUMNS = ("_atlas_run_id", "_atlas_row", "_atlas_loaded_at")


# --- files -----------------------------------------------------------------------------------------


def csv_text(rows: Iterable[Sequence[object]], *, delimiter: str = ",", newline: str = "\n") -> str:
    """Rows as CSV text, quoted only where needed."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter, lineterminator=newline)
    for row in rows:
        writer.writerow(["" if v is None else v for v in row])
    return buffer.getvalue()


def write_csv(
    path: Path,
    rows: Iterable[Sequence[object]],
    *,
    delimiter: str = ",",
    encoding: str = "utf-8",
    compress: bool = False,
    newline: str = "\n",
) -> Path:
    """Write ``rows`` (the first is the header) as a CSV file in ``encoding``, gzipped if asked."""
    data = csv_text(rows, delimiter=delimiter, newline=newline).encode(encoding)
    return write_bytes(path, data, compress=compress)


def write_bytes(path: Path, data: bytes, *, compress: bool = False) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(gzip.compress(data) if compress else data)
    return path


def write_jsonl(path: Path, records: Iterable[object]) -> Path:
    import json

    lines = "".join((r if isinstance(r, str) else json.dumps(r)) + "\n" for r in records)
    return write_bytes(path, lines.encode())


def write_parquet(path: Path, table) -> Path:
    import pyarrow.parquet as pq

    pq.write_table(table, path)
    return Path(path)


def write_xlsx(path: Path, rows: Iterable[Sequence[object]], *, sheet: str = "Sheet1") -> Path:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    for row in rows:
        ws.append(list(row))
    book.save(path)
    return Path(path)


# --- models ----------------------------------------------------------------------------------------


class DatasetFactory(factory.django.DjangoModelFactory):
    """A catalog dataset with no runs yet; its table name follows its name."""

    class Meta:
        model = Dataset
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"dataset_{n}")
    table_name = factory.LazyAttribute(lambda d: warehouse.safe_table_name(d.name))


# --- runs ------------------------------------------------------------------------------------------


def submit(
    path: Path,
    dataset: str = "sales",
    *,
    mode: str | None = None,
    key: list[str] | None = None,
    force: bool = False,
    options: dict | None = None,
) -> PipelineRun:
    """A queued run of the file at ``path``, as ``atlas_ingest`` makes one."""
    source: SourceFile = store_path(path)
    return create_run(dataset_name=dataset, source=source, mode=mode, key=key, force=force, options=options)


def ingest(
    path: Path,
    dataset: str = "sales",
    *,
    mode: str | None = None,
    key: list[str] | None = None,
    force: bool = False,
    options: dict | None = None,
) -> PipelineRun:
    """Submit and execute a run synchronously; returns the finished run."""
    run = submit(path, dataset, mode=mode, key=key, force=force, options=options)
    return execute_run(run.pk)


# --- the warehouse ---------------------------------------------------------------------------------


def _table_for(layer: str, dataset: Dataset | str) -> tuple[str, str]:
    if isinstance(dataset, str):
        dataset = Dataset.objects.get(name=dataset)
    if layer == "rejected":
        return "chart", dataset.rejected_table_name
    return layer, dataset.table_name


def layer_rows(
    layer: str,
    dataset: Dataset | str,
    *,
    run: PipelineRun | None = None,
    system: bool = False,
    order_by: Sequence[str] = ("_atlas_run_id", "_atlas_row"),
) -> list[dict]:
    """Rows of ``explore``/``chart``/``rejected``/``navigate`` for the dataset, as dicts of warehouse names.

    ``system=False`` leaves out ``_atlas_*`` columns; ``run`` keeps only that run's rows.
    """
    schema, name = _table_for(layer, dataset)
    with connection.cursor() as cursor:
        if not warehouse.table_exists(cursor, schema, name):
            return []
        query = sql.SQL("SELECT * FROM {}").format(warehouse.table(schema, name))
        params = []
        if run is not None:
            query += sql.SQL(" WHERE _atlas_run_id = %s")
            params.append(run.pk)
        if order_by:
            query += sql.SQL(" ORDER BY ") + warehouse.column_list(order_by)
        cursor.execute(query.as_string(cursor.connection), params)
        names = [d[0] for d in cursor.description]
        rows = [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
    if not system:
        rows = [{k: v for k, v in row.items() if k not in SYSTEM_COLUMNS} for row in rows]
    return rows


def layer_count(layer: str, dataset: Dataset | str, run: PipelineRun | None = None) -> int:
    schema, name = _table_for(layer, dataset)
    with connection.cursor() as cursor:
        return warehouse.row_count(cursor, schema, name, run.pk if run else None)


def layer_columns(layer: str, dataset: Dataset | str) -> dict[str, str]:
    """Column → PostgreSQL type of a layer table ({} when it does not exist)."""
    schema, name = _table_for(layer, dataset)
    with connection.cursor() as cursor:
        return warehouse.table_columns(cursor, schema, name)


def warehouse_tables() -> set[str]:
    """Every table in the three layers, as ``schema.name``."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname || '.' || tablename FROM pg_tables WHERE schemaname = ANY(%s)",
            [list(warehouse.SCHEMAS)],
        )
        return {row[0] for row in cursor.fetchall()}


def drop_warehouse_tables() -> None:
    """Drop every table in explore, chart and navigate (Django's flush does not reach them)."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT schemaname, tablename FROM pg_tables WHERE schemaname = ANY(%s)",
            [list(warehouse.SCHEMAS)],
        )
        for schema, name in cursor.fetchall():
            cursor.execute(
                sql.SQL("DROP TABLE IF EXISTS {} CASCADE")
                .format(warehouse.table(schema, name))
                .as_string(cursor.connection)
            )
