"""Test fixtures: ingesting small CSVs through the real pipeline into a clean warehouse."""
from __future__ import annotations

import pytest

from catalog.tests.helpers import ingest, write_csv

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
