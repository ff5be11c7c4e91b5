"""The catalog API: datasets (search, tags filter, detail, schema, quality, tags), columns, tags; roles."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.api import ROLES_AND_NOBODY, APIViewTestCases, allowed
from catalog.choices import TagKind
from catalog.models import Column, Dataset, Tag
from catalog.tests.factories import TagFactory

pytestmark = pytest.mark.django_db
DATASETS = "/api/datasets/"


@pytest.fixture(autouse=True)
def _catalog(sample_catalog):
    return sample_catalog


def dataset(name: str = "customers") -> Dataset:
    return Dataset.objects.get(name=name)


class TestDatasetReadAPI(APIViewTestCases.GetObject, APIViewTestCases.ListObjects):
    model = Dataset
    api_base = "api:catalog-dataset"
    brief_fields = (
        "id",
        "url",
        "name",
        "description",
        "owners",
        "tags",
        "system_tags",
        "tables",
        "navigate_rows",
        "last_run",
        "quality_score",
        "pii_summary",
        "breaking_change",
    )

    def make_objects(self):
        return list(Dataset.objects.all())


class TestColumnReadAPI(APIViewTestCases.GetObject, APIViewTestCases.ListObjects):
    model = Column
    api_base = "api:catalog-column"
    brief_fields = (
        "id",
        "dataset",
        "dataset_name",
        "name",
        "warehouse_name",
        "data_type",
        "tags",
        "system_tags",
        "pii_entity",
        "stats",
    )

    def make_objects(self):
        return list(Column.objects.all())


class TestTagAPI(APIViewTestCases.APIViewTestCase):
    model = Tag
    api_base = "api:catalog-tag"
    factory = TagFactory
    brief_fields = ("id", "name", "kind", "description")
    create_data = ({"name": "Finance"}, {"name": "HR", "description": "People data"})
    update_data = {"description": "Money matters"}
    roles_allowed_to_write = (Role.STEWARD,)


def test_search_and_tag_filter(role_api_client):
    client = role_api_client(Role.VIEWER)
    found = client.get(DATASETS, {"search": "custmers"}).json()
    assert [d["name"] for d in found["results"]][0] == "customers"
    assert found["results"][0]["search_score"] > 0
    assert [d["name"] for d in client.get(DATASETS, {"tag": "crm"}).json()["results"]] == ["customers"]
    # A column's system tag finds its dataset; every tag given must match.
    assert [d["name"] for d in client.get(DATASETS, {"tag": "PII:EMAIL_ADDRESS"}).json()["results"]] == [
        "customers"
    ]
    assert client.get(DATASETS, {"tag": ["crm", "nope"]}).json()["count"] == 0
    assert [d["name"] for d in client.get(DATASETS, {"pii": "false"}).json()["results"]] == ["orders"]
    assert client.get(DATASETS, {"quality_max": "0.95"}).json()["count"] == 2
    assert client.get(DATASETS, {"quality_min": "0.95"}).json()["count"] == 0


def test_detail_carries_columns_and_catalog_fields(role_api_client):
    body = role_api_client(Role.VIEWER).get(f"{DATASETS}{dataset().pk}/").json()
    assert body["description"] == "People who buy from us."
    assert body["tags"] == ["crm"] and body["system_tags"] == ["PII", "PII:EMAIL_ADDRESS"]
    assert body["tables"]["navigate"] == "navigate.customers"
    assert body["navigate_rows"] == 3 and body["quality_score"] == pytest.approx(0.917)
    email = next(c for c in body["columns"] if c["name"] == "email")
    assert email["pii_entity"] == "EMAIL_ADDRESS" and email["system_tags"] == ["PII", "PII:EMAIL_ADDRESS"]


def test_schema_and_quality(role_api_client):
    client = role_api_client(Role.VIEWER)
    schema = client.get(f"{DATASETS}{dataset().pk}/schema/").json()
    assert schema["version"] == 1 and [c["name"] for c in schema["columns"]] == ["id", "name", "email", "age"]
    assert schema["history"][0]["changes"] == []
    quality = client.get(f"{DATASETS}{dataset().pk}/quality/").json()
    assert quality["latest"]["dimensions"]["completeness"]["passed"] is False
    assert [entry["run_id"] for entry in quality["history"]] == list(
        dataset().runs.order_by("-created").values_list("pk", flat=True))
    assert quality["history"][0]["dimensions"]["completeness"] == {
        "score": 0.5,
        "threshold": 0.9,
        "passed": False,
    }


@pytest.mark.parametrize("role", ROLES_AND_NOBODY)
def test_only_stewards_post_tags(role, role_api_client):
    response = role_api_client(role).post(
        f"{DATASETS}{dataset().pk}/tags/", {"tags": ["gold"]}, format="json"
    )
    if allowed(role, (Role.STEWARD,)):
        assert response.status_code == 200, response.content
        assert response.json()["tags"] == ["crm", "gold"]
    else:
        assert response.status_code == 403
        assert not dataset().tags.filter(name="gold").exists()


def test_tags_on_a_column_and_removal(role_api_client):
    client = role_api_client(Role.STEWARD)
    url = f"{DATASETS}{dataset().pk}/tags/"
    response = client.post(url, {"add": ["contact"], "column": "email"}, format="json")
    assert response.status_code == 200
    email = next(c for c in response.json()["columns"] if c["name"] == "email")
    assert email["tags"] == ["contact"] and email["system_tags"] == ["PII", "PII:EMAIL_ADDRESS"]
    assert client.post(url, {"remove": ["crm"]}, format="json").json()["tags"] == []
    bad = client.post(url, {"add": ["x"], "column": "nope"}, format="json")
    assert bad.status_code == 400 and "no column named 'nope'" in bad.json()["column"]
    assert client.post(url, {}, format="json").status_code == 400


def test_anonymous_callers_are_refused(api_client):
    assert api_client.get(DATASETS).status_code in (401, 403)
    assert api_client.post(f"{DATASETS}{dataset().pk}/tags/", {"tags": ["x"]}, format="json").status_code in (
        401,
        403,
    )


def test_steward_patches_a_dataset_and_a_column(role_api_client):
    client = role_api_client(Role.STEWARD)
    role_api_client(Role.OPERATOR)  # a second user to own the data
    response = client.patch(
        f"{DATASETS}{dataset().pk}/",
        {"description": "Customers.", "owners": ["operator"], "tags": ["crm", "gdpr"]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["owners"] == ["operator"] and response.json()["tags"] == ["crm", "gdpr"]
    assert client.patch(f"{DATASETS}{dataset().pk}/", {"owners": ["ghost"]}, format="json").status_code == 400
    column = dataset().columns.get(name="age")
    response = client.patch(reverse("api:catalog-column-detail", args=[column.pk]), {"description": "Years."},
                            format="json")
    assert response.status_code == 200 and response.json()["description"] == "Years."
    viewer = role_api_client(Role.VIEWER)
    assert viewer.patch(f"{DATASETS}{dataset().pk}/", {"description": "x"}, format="json").status_code == 403


def test_system_tags_cannot_be_changed_or_deleted(role_api_client):
    client = role_api_client(Role.STEWARD)
    tag = Tag.objects.get(name="PII")
    assert tag.kind == TagKind.SYSTEM
    url = reverse("api:catalog-tag-detail", args=[tag.pk])
    assert client.patch(url, {"description": "mine"}, format="json").status_code == 400
    assert client.delete(url).status_code == 400
    assert client.post("/api/tags/", {"name": "pii"}, format="json").status_code == 400  # clash, any case


def test_columns_filter(role_api_client):
    client = role_api_client(Role.VIEWER)
    pii = client.get("/api/columns/", {"pii": "true"}).json()
    assert [(c["dataset_name"], c["name"]) for c in pii["results"]] == [("customers", "email")]
    assert client.get("/api/columns/", {"dataset_name": "orders"}).json()["count"] == 3
    assert client.get("/api/columns/", {"tag": "PII"}).json()["count"] == 1


def test_the_openapi_schema_documents_the_catalog(role_api_client):
    paths = role_api_client(Role.VIEWER).get("/api/schema/", {"format": "json"}).json()["paths"]
    for path in ("/api/datasets/", "/api/datasets/{id}/", "/api/datasets/{id}/schema/",
                 "/api/datasets/{id}/quality/", "/api/datasets/{id}/tags/", "/api/columns/", "/api/tags/"):
        assert path in paths, path
