"""Running the real pipeline in tests: write a small CSV, ingest it, read the JSON report."""
from __future__ import annotations

import csv
import json
from contextlib import contextmanager
from io import StringIO
from pathlib import Path

from django.core.management import call_command
from django.db import connections


def write_csv(path: Path, rows: list[dict] | list[list]) -> Path:
    """A CSV at ``path`` from dicts (keys of the first are the header) or lists (the first is the header)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with open(path, "w", newline="") as handle:
        writer = csv.writer(handle)
        if rows and isinstance(rows[0], dict):
            writer.writerow(list(rows[0]))
            writer.writerows([list(row.values()) for row in rows])
        else:
            writer.writerows(rows)
    return path


def ingest(path: Path, dataset: str, **options) -> dict:
    """``atlas_ingest PATH --dataset NAME --format json`` (with ``--force``), returning the report."""
    out = StringIO()
    call_command("atlas_ingest", str(path), dataset=dataset, output="json", force=True, stdout=out, **options)
    return json.loads(out.getvalue())


@contextmanager
def committed_data(django_db_blocker):
    """Data made once for a whole module, committed for real, and wiped afterwards.

    Ingesting takes a run's own transactions, so it cannot happen inside a test's
    rolled-back transaction; transactional tests pay a database flush each. Use
    this in a module-scoped fixture, ingest inside it, and read the data from
    ordinary ``django_db`` tests::

        @pytest.fixture(scope="module")
        def orders(django_db_setup, django_db_blocker, tmp_path_factory):
            with committed_data(django_db_blocker):
                yield ingest(write_csv(tmp_path_factory.mktemp("csv") / "o.csv", ROWS), "orders")
    """
    from pipeline.tests.factories import drop_warehouse_tables

    with django_db_blocker.unblock():
        drop_warehouse_tables()
        try:
            yield
        finally:
            drop_warehouse_tables()
            for alias in connections:
                call_command("flush", interactive=False, verbosity=0, database=alias)
