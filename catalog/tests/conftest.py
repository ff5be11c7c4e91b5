"""Test fixtures: ingesting small CSVs through the real pipeline into a clean warehouse."""
from __future__ import annotations

import pytest

from catalog.tests.helpers import ingest, write_csv

CUSTOMERS = [
    {"id": 1, "name": "Ann", "email": "ann@example.com", "age": 31},
    {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 45},
    {"id": 3, "name": "Cy", "email": "cy@example.com", "age": 27},
]
ORDERS = [
    {"order_id": 10, "customer_id": 1, "amount": "9.50"},
    {"order_id": 11, "customer_id": 2, "amount": "20"},
]


@pytest.fixture(scope="module")
def sample_catalog(django_db_setup, django_db_blocker, tmp_path_factory):
    """Once per module, committed: "customers" (two runs, PII found and masked, quality) and "orders"."""
    from django.test import override_settings

    from catalog.models import Dataset
    from catalog.services import editing
    from catalog.tests.helpers import committed_data
    from catalog.tests.stages import CHAIN_WITH_FAKES

    folder = tmp_path_factory.mktemp("catalog")
    with committed_data(django_db_blocker), override_settings(ATLAS_PIPELINE_STAGES=CHAIN_WITH_FAKES):
        ingest(write_csv(folder / "customers.csv", CUSTOMERS[:2]), "customers", key=["id"], mode="merge")
        ingest(write_csv(folder / "customers2.csv", CUSTOMERS), "customers", key=["id"], mode="merge")
        ingest(write_csv(folder / "orders.csv", ORDERS), "orders")
        customers = Dataset.objects.get(name="customers")
        editing.update_dataset(customers, description="People who buy from us.", tags=["crm"])
        yield {d.name: d for d in Dataset.objects.all()}
