"""Catalog search on the real PostgreSQL: full-text ranking, typo tolerance with pg_trgm, and without it."""
from __future__ import annotations

import pytest

from catalog.filtersets import DatasetFilterSet
from catalog.models import Dataset, Tag
from catalog.services import editing, search
from catalog.services.tags import get_or_create_tags
from catalog.tests.helpers import committed_data, ingest, write_csv

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module", autouse=True)
def catalog(django_db_setup, django_db_blocker, tmp_path_factory):
    """Three datasets: customers (by name), orders (mentions customers, tagged finance), inventory."""
    folder = tmp_path_factory.mktemp("search")
    with committed_data(django_db_blocker):
        ingest(
            write_csv(folder / "c.csv", [{"id": 1, "full_name": "Ann", "email": "ann@example.com"}]),
            "customers",
        )
        ingest(write_csv(folder / "o.csv", [{"order_id": 10, "customer_id": 1, "amount": "9.50"}]), "orders")
        ingest(write_csv(folder / "i.csv", [{"sku": "A-1", "quantity": 4}]), "inventory")
        orders = Dataset.objects.get(name="orders")
        editing.update_dataset(orders, description="Sales orders placed by our customers.", tags=["finance"])
        yield


def names(text: str) -> list[str]:
    return list(search.search_datasets(Dataset.objects.all(), text).values_list("name", flat=True))


def test_pg_trgm_is_detected():
    assert search.trigram_available() is True


def test_the_name_outranks_a_mention_in_the_description():
    found = names("customers")
    assert found[:2] == ["customers", "orders"]
    assert "inventory" not in found


def test_column_names_and_tags_are_searched():
    assert names("sku") == ["inventory"]
    assert names("quantity") == ["inventory"]
    assert names("finance") == ["orders"]
    assert names("customer id")[0] == "orders"  # customer_id is split into words


def test_typos_are_tolerated_with_trigrams():
    assert names("custmers")[0] == "customers"
    assert names("invetory") == ["inventory"]
    assert names("zzqxv") == []


def test_full_text_matches_come_before_near_misses():
    found = names("order")
    assert found[0] == "orders"


def test_without_pg_trgm_search_is_full_text_only(monkeypatch):
    monkeypatch.setattr(search, "trigram_available", lambda using="default": False)
    assert names("custmers") == []
    assert names("customers")[:2] == ["customers", "orders"]


def test_web_search_syntax():
    assert names('"sales orders"') == ["orders"]
    assert "orders" not in names("customers -sales")
    assert set(names("sku or finance")) == {"inventory", "orders"}


def test_the_filterset_searches_and_filters_by_tag_together():
    filtered = DatasetFilterSet({"search": "customers", "tag": "finance"}, queryset=Dataset.objects.all()).qs
    assert [d.name for d in filtered] == ["orders"]


def test_steward_edits_are_searchable_at_once():
    inventory = Dataset.objects.get(name="inventory")
    editing.update_dataset(inventory, description="Stock levels in the Aarhus warehouse")
    assert names("aarhus") == ["inventory"]
    editing.update_column(inventory.columns.get(name="sku"), description="Stock keeping unit barcode")
    assert names("barcode") == ["inventory"]


def test_admin_style_edits_and_tag_renames_reach_the_index():
    orders = Dataset.objects.get(name="orders")
    orders.description = "Purchases with invoices"
    orders.save()  # a full save, as the admin does
    assert names("invoices") == ["orders"]
    column = orders.columns.get(name="amount")
    column.tags.add(*get_or_create_tags(["revenue"]))
    assert names("revenue") == ["orders"]
    tag = Tag.objects.get(name="revenue")
    tag.name = "turnover"
    tag.save()
    assert names("turnover") == ["orders"] and names("revenue") == []
    tag.delete()
    assert names("turnover") == []
