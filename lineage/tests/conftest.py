"""Test fixtures: ingesting small CSVs through the real pipeline into a clean warehouse."""
from __future__ import annotations

import itertools

import pytest

from catalog.tests.helpers import ingest, write_csv
from pipeline.tests.factories import drop_warehouse_tables

_counter = itertools.count()


@pytest.fixture
def clean_warehouse(transactional_db):
    """An empty explore, chart and navigate before and after the test (Django's flush does not reach them)."""
    drop_warehouse_tables()
    yield
    drop_warehouse_tables()


@pytest.fixture
def load(tmp_path, clean_warehouse):
    """``load("customers", rows, key=["id"])`` writes ``rows`` to a CSV and ingests it; returns the report."""

    def run(dataset: str, rows: list, **options) -> dict:
        path = write_csv(tmp_path / f"{dataset.replace(' ', '_')}-{next(_counter)}.csv", rows)
        return ingest(path, dataset, **options)

    return run


CUSTOMERS = [
    {"id": 1, "name": "Ann", "email": "ann@example.com", "age": 31},
    {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 45},
    {"id": 2, "name": "Bob", "email": "bob@example.org", "age": 46},
]


@pytest.fixture(scope="module")
def customers_runs(django_db_setup, django_db_blocker, tmp_path_factory):
    """Once per module, committed: two merge runs of "customers" with PII masked and quality checked."""
    from django.test import override_settings

    from catalog.tests.helpers import committed_data
    from catalog.tests.stages import CHAIN_WITH_FAKES

    folder = tmp_path_factory.mktemp("lineage")
    with committed_data(django_db_blocker), override_settings(ATLAS_PIPELINE_STAGES=CHAIN_WITH_FAKES):
        first = ingest(
            write_csv(folder / "customers.csv", CUSTOMERS[:2]), "customers", key=["id"], mode="merge"
        )
        second = ingest(
            write_csv(folder / "customers-2.csv", CUSTOMERS), "customers", key=["id"], mode="merge"
        )
        yield [first, second]
