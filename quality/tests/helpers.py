"""Running the real pipeline from quality tests, and reading what it left."""

from __future__ import annotations

import io
import itertools
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

from django.core.management import call_command
from django.core.management.base import CommandError

from catalog.models import Dataset
from pipeline.services.submit import get_or_create_dataset
from pipeline.tests.factories import write_csv
from quality.models import QualityRuleSet

_files = itertools.count()

HEADER = ["order_id", "email", "qty", "unit_price", "total", "start_date", "end_date", "updated_at", "status"]


def order_rows(n: int = 5, *, missing_email: int = 1, bad_dates: int = 1, age_days: int = 1) -> list:
    """``n`` orders; the first ``missing_email`` have no email, the first ``bad_dates`` end before they start.

    Every row was updated ``age_days`` ago (fresh by default).
    """
    updated = (datetime.now(UTC) - timedelta(days=age_days)).date().isoformat()
    rows = [HEADER]
    for i in range(1, n + 1):
        email = "" if i <= missing_email else f"user{i}@example.com"
        start, end = ("2025-01-05", "2025-01-01") if i <= bad_dates else ("2025-01-01", "2025-01-05")
        rows.append([i, email, 2, "10.00", "20.00", start, end, f"{updated}T10:00:00Z", "paid"])
    return rows


def ingest_json(tmp_path: Path, dataset: str, rows: list, **options) -> tuple[dict, str | None]:
    """``atlas_ingest --format json`` on ``rows``; returns (the printed report, the error or None)."""
    path = write_csv(tmp_path / f"{dataset}-{next(_files)}.csv", rows)
    out = io.StringIO()
    error = None
    try:
        call_command("atlas_ingest", str(path), dataset=dataset, output="json", stdout=out, **options)
    except CommandError as exc:
        error = str(exc)
    return json.loads(out.getvalue()), error


def rules_for(dataset: str, **fields) -> QualityRuleSet:
    """Create the dataset (if new) and save its quality rules with ``fields`` (validated like the admin)."""
    ds = get_or_create_dataset(dataset)
    rules = QualityRuleSet.for_dataset(ds)
    for name, value in fields.items():
        setattr(rules, name, value)
    rules.full_clean()
    rules.save()
    return rules


def dataset(name: str) -> Dataset:
    return Dataset.objects.get(name=name)
