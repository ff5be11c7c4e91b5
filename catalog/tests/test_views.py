"""Catalog pages: the Catalog with search and HTMX partial, a dataset's page, steward editing, downloads."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.views import ViewTestCases
from catalog.models import Dataset

pytestmark = pytest.mark.django_db
HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture(autouse=True)
def _catalog(sample_catalog):
    return sample_catalog


def customers() -> Dataset:
    return Dataset.objects.get(name="customers")


class TestCatalogPage(ViewTestCases.ListView):
    url_name = "catalog:dataset_list"
    expected_text = "Catalog"


class TestDatasetPage(ViewTestCases.DetailView):
    expected_text = "Schema history"

    def make_object(self):
        return customers()


def test_search_narrows_the_cards_in_place(role_client):
    client = role_client(Role.VIEWER)
    response = client.get(reverse("catalog:dataset_list"), {"search": "custmers"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert 'id="dataset-cards"' in body and "customers" in body and "orders" not in body
    tagged = client.get(reverse("catalog:dataset_list"), {"tag": "PII"}).content.decode()
    assert "customers" in tagged and ">orders<" not in tagged


def test_dataset_page_shows_schema_sample_quality_pii_lineage_and_runs(role_client):
    dataset = customers()
    body = role_client(Role.VIEWER).get(dataset.get_absolute_url()).content.decode()
    assert "People who buy from us." in body
    assert "navigate.customers" in body and "EMAIL_ADDRESS" in body
    # The sample is navigate as BI sees it: the e-mail column is masked (md5 by the test masking stage).
    assert "ann@example.com" not in body and "Ann" in body
    assert "completeness" in body and "0.917" in body
    assert "<svg" in body and "explore.customers" in body and "loaded as text" in body
    assert body.count('class="badge succeeded"') == 2
    assert "Edit description" not in body  # viewers do not edit


def test_steward_edits_description_owners_and_tags_with_htmx(role_client):
    steward = role_client(Role.STEWARD)
    dataset = customers()
    url = reverse("catalog:dataset_edit", args=[dataset.pk])
    form = steward.get(url, **HTMX)
    assert form.status_code == 200 and 'name="description"' in form.content.decode()
    saved = steward.post(
        url, {"description": "Our buyers.", "owners": ["steward"], "tags": "crm, Gold "}, **HTMX
    )
    assert saved.status_code == 200
    assert "Our buyers." in saved.content.decode() and "<form" not in saved.content.decode()
    dataset.refresh_from_db()
    assert dataset.description == "Our buyers."
    assert sorted(dataset.tags.values_list("name", flat=True)) == ["Gold", "crm"]
    assert list(dataset.owners.values_list("username", flat=True)) == ["steward"]
    assert set(dataset.system_tags.values_list("name", flat=True)) == {"PII", "PII:EMAIL_ADDRESS"}


def test_an_invalid_edit_shows_the_form_again_with_the_reason(role_client):
    steward = role_client(Role.STEWARD)
    url = reverse("catalog:dataset_edit", args=[customers().pk])
    response = steward.post(url, {"description": "x", "tags": "a" * 120}, **HTMX)
    assert response.status_code == 200 and "longer than 100 characters" in response.content.decode()
    assert customers().description == "People who buy from us."


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR, Role.PRIVACY_OFFICER])
def test_only_stewards_edit(role, role_client):
    client = role_client(role)
    dataset = customers()
    assert client.get(reverse("catalog:dataset_edit", args=[dataset.pk])).status_code == 403
    assert (
        client.post(reverse("catalog:dataset_edit", args=[dataset.pk]), {"description": "x"}).status_code
        == 403
    )
    column = dataset.columns.get(name="email")
    assert client.post(reverse("catalog:column_edit", args=[dataset.pk, column.pk]), {}).status_code == 403
    assert client.post(reverse("catalog:dataset_acknowledge", args=[dataset.pk])).status_code == 403


def test_steward_edits_a_column_row(role_client):
    steward = role_client(Role.STEWARD)
    dataset = customers()
    column = dataset.columns.get(name="email")
    url = reverse("catalog:column_edit", args=[dataset.pk, column.pk])
    assert 'name="column-' in steward.get(url, **HTMX).content.decode()
    prefix = f"column-{column.pk}"
    row = steward.post(url, {f"{prefix}-description": "Where we write.", f"{prefix}-tags": "contact"}, **HTMX)
    assert row.status_code == 200 and "Where we write." in row.content.decode()
    column.refresh_from_db()
    assert column.description == "Where we write." and list(column.tags.values_list("name", flat=True)) == [
        "contact"
    ]
    assert "Where we write." in steward.get(url, {"cancel": "1"}, **HTMX).content.decode()


def test_a_plain_form_post_redirects_to_the_dataset(role_client):
    dataset = customers()
    response = role_client(Role.STEWARD).post(reverse("catalog:dataset_edit", args=[dataset.pk]),
                                              {"description": "Plain."})
    assert response.status_code == 302 and response["Location"] == dataset.get_absolute_url()


def test_acknowledging_a_breaking_change(role_client):
    dataset = customers()
    Dataset.objects.filter(pk=dataset.pk).update(breaking_change=True)
    steward = role_client(Role.STEWARD)
    assert "Breaking schema change." in steward.get(dataset.get_absolute_url()).content.decode()
    response = steward.post(reverse("catalog:dataset_acknowledge", args=[dataset.pk]), **HTMX)
    assert response.status_code == 200 and response["HX-Redirect"] == dataset.get_absolute_url()
    assert customers().breaking_change is False


def test_schema_download(role_client):
    dataset = customers()
    response = role_client(Role.VIEWER).get(reverse("catalog:dataset_schema", args=[dataset.pk]))
    assert response["Content-Type"] == "application/json"
    assert response["Content-Disposition"] == 'attachment; filename="customers.schema.json"'
    document = json.loads(response.content)
    assert document["dataset"] == "customers" and document["tables"]["chart"] == "chart.customers"
    email = next(c for c in document["columns"] if c["name"] == "email")
    assert email["pii"] == {"entity": "EMAIL_ADDRESS", "confidence": 0.97} and email["type"] == "text"


def test_dashboard_shows_the_catalog_cards(role_client):
    body = role_client(Role.VIEWER).get("/").content.decode()
    assert "Datasets" in body and "Breaking schema changes" in body


def test_a_dataset_without_runs_has_a_page(role_client):
    from pipeline.tests.factories import DatasetFactory

    dataset = DatasetFactory(name="empty one")
    body = role_client(Role.VIEWER).get(dataset.get_absolute_url()).content.decode()
    assert "No columns yet." in body and "No lineage recorded yet" in body and "Nothing is published" in body


def test_the_reindex_command(capsys):
    from django.core.management import call_command

    Dataset.objects.update(search_vector=None, search_text="")
    call_command("atlas_catalog_reindex")
    assert "Indexed 2 datasets; search runs with typo tolerance." in capsys.readouterr().out
    assert Dataset.objects.filter(search_text__contains="customers").exists()
