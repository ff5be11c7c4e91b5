"""Rescanning a dataset's latest chart rows without re-ingesting (``manage.py atlas_pii_scan``).

Useful after adding a custom recognizer or changing the detector: the
inventory and the catalog are updated at once. Navigate is not republished,
so masking changes take effect with the next run (alerts say so meanwhile).
"""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction
from psycopg import sql

from atlas import warehouse
from catalog.models import Dataset
from compliance import conf
from compliance.choices import AuditAction
from compliance.models import PiiFinding
from compliance.services import audit, engine, inventory
from compliance.services.scanning import ColumnScan, ScanTarget, scan
from pipeline.choices import RunStatus


class RescanError(Exception):
    """The dataset cannot be rescanned; the message says why and what to do."""


@dataclass
class RescanResult:
    dataset: Dataset
    run_id: int
    rows: int
    scans: list[ColumnScan]
    findings: list[PiiFinding]


def find_dataset(name_or_id: str) -> Dataset:
    """The dataset called ``name_or_id`` (or with that id); RescanError naming the known ones otherwise."""
    dataset = Dataset.objects.filter(name=name_or_id).first()
    if dataset is None and name_or_id.isdigit():
        dataset = Dataset.objects.filter(pk=int(name_or_id)).first()
    if dataset is None:
        known = ", ".join(Dataset.objects.order_by("name").values_list("name", flat=True)[:20]) or "none yet"
        raise RescanError(f"No dataset {name_or_id!r}. Known datasets: {known}.")
    return dataset


def latest_run(dataset: Dataset):
    """The dataset's latest succeeded run, whose chart rows are scanned."""
    run = dataset.runs.filter(status=RunStatus.SUCCEEDED).order_by("-created").first()
    if run is None:
        raise RescanError(f"Dataset {dataset.name!r} has no successful run yet; ingest a file first.")
    return run


def _targets(cursor, dataset: Dataset, run_id: int) -> tuple[int, list[ScanTarget]]:
    columns = list(dataset.columns.filter(present=True).order_by("position"))
    existing = warehouse.table_columns(cursor, "chart", dataset.table_name)
    columns = [c for c in columns if c.warehouse_name in existing]
    counts = sql.SQL(", ").join(
        [sql.SQL("count(*)")] + [sql.SQL("count({})").format(sql.Identifier(c.warehouse_name))
                                 for c in columns])
    cursor.execute(sql.SQL("SELECT {} FROM {} WHERE _atlas_run_id = %s").format(
        counts, warehouse.table("chart", dataset.table_name)), [run_id])
    row = cursor.fetchone()
    targets = [ScanTarget(c.name, c.warehouse_name, c.data_type, n)
               for c, n in zip(columns, row[1:], strict=True)]
    return row[0], targets


def rescan(dataset: Dataset, *, user=None,
           progress: Callable[[float, str], None] | None = None) -> RescanResult:
    """Scan the latest run's chart rows again and update findings, catalog columns and the PII summary."""
    run = latest_run(dataset)
    say = progress or (lambda fraction, message: None)
    with transaction.atomic():
        cursor = warehouse.raw_cursor()
        if not warehouse.table_exists(cursor, "chart", dataset.table_name):
            raise RescanError(f"chart.{dataset.table_name} does not exist; ingest the dataset again.")
        rows, targets = _targets(cursor, dataset, run.pk)
        say(0.02, f"loading the detector for {len(targets)} columns, {rows:,} rows")
        scans = scan(cursor, engine.detector(), dataset.table_name, run.pk, targets, conf.sample_size(),
                     progress=lambda fraction, message: say(0.05 + 0.9 * fraction, message))
        columns = {c.warehouse_name: c for c in dataset.columns.all()}
        findings = inventory.record_scan(dataset, run, scans, columns)
        inventory.refresh_catalog(dataset)
        found = [f for f in findings if f.current]
        audit.record(AuditAction.RESCAN,
                     f"{dataset.name} rescanned: {len(found)} findings in run {run.pk}'s rows",
                     actor=user, dataset=dataset, run=run.pk, rows=rows, findings=len(found))
    say(1.0, "done")
    return RescanResult(dataset, run.pk, rows, scans, findings)
