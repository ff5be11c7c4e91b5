"""The catalog stage across re-ingestions: what people set survives, what Atlas measures follows the data."""
from __future__ import annotations

import pytest
from django.test import override_settings

from atlas.testing.factories import UserFactory
from catalog.choices import SchemaChange, TagKind
from catalog.models import Dataset, Tag
from catalog.services import editing
from catalog.services.quality import quality_history
from catalog.tests.stages import BASE_CHAIN, CHAIN_WITH_FAKES, TAIL

WITHOUT_PII = [*BASE_CHAIN, *TAIL]
WITH_REAL_QUALITY = [*BASE_CHAIN, "quality.stages.QualityStage", *TAIL]

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]

PEOPLE = [
    {"id": 1, "name": "Ann", "email": "ann@example.com", "age": 31},
    {"id": 2, "name": "Bob", "email": "bob@example.com", "age": 45},
]


def tag_names(manager) -> set[str]:
    return set(manager.values_list("name", flat=True))


@override_settings(ATLAS_PIPELINE_STAGES=CHAIN_WITH_FAKES)
def test_people_set_tags_descriptions_and_owners_survive_every_reingest(load):
    load("people", PEOPLE, key=["id"], mode="merge")
    dataset = Dataset.objects.get(name="people")
    owner = UserFactory(username="dana")
    editing.update_dataset(dataset, description="Everyone we know.", owners=[owner], tags=["GDPR", "crm"])
    email = dataset.columns.get(name="email")
    editing.update_column(email, description="Where we write to them.", tags=["contact", "PII"])

    load(
        "people",
        [*PEOPLE, {"id": 3, "name": "Cy", "email": "cy@example.com", "age": 27}],
        key=["id"],
        mode="merge",
    )
    load(
        "people", [{"id": 4, "name": "Di", "age": 50}], key=["id"], mode="merge"
    )  # no email column this time

    dataset.refresh_from_db()
    email.refresh_from_db()
    assert dataset.description == "Everyone we know."
    assert tag_names(dataset.tags) == {"GDPR", "crm"}
    assert list(dataset.owners.values_list("username", flat=True)) == ["dana"]
    assert email.description == "Where we write to them."
    assert tag_names(email.tags) == {"contact", "PII"}  # a person's "PII" tag stays theirs
    assert dataset.navigate_rows == 4
    assert dataset.runs.count() == 3 and dataset.last_run == dataset.runs.order_by("-created").first()


@override_settings(ATLAS_PIPELINE_STAGES=CHAIN_WITH_FAKES)
def test_system_tags_and_pii_summary_follow_the_findings(load):
    load("people", PEOPLE, key=["id"])
    dataset = Dataset.objects.get(name="people")
    email = dataset.columns.get(name="email")
    assert email.pii_entity == "EMAIL_ADDRESS" and email.pii_confidence == pytest.approx(0.97)
    assert tag_names(email.system_tags) == {"PII", "PII:EMAIL_ADDRESS"}
    assert tag_names(dataset.system_tags) == {"PII", "PII:EMAIL_ADDRESS"}
    assert tag_names(email.tags) == set()
    assert Tag.objects.get(name="PII").kind == TagKind.SYSTEM
    assert dataset.pii_summary == {
        "columns": {"email": {"entity": "EMAIL_ADDRESS", "confidence": 0.97}},
        "entities": {"EMAIL_ADDRESS": 1},
        "count": 1,
    }
    assert dataset.quality_score == pytest.approx(0.917)
    assert dataset.source.endswith(".csv")

    load("people", [{"id": 5, "name": "Ed", "age": 33}], key=["id"])  # the e-mail column is gone
    dataset.refresh_from_db()
    assert tag_names(dataset.system_tags) == set()
    assert dataset.pii_summary["count"] == 0
    assert tag_names(dataset.columns.get(name="email").system_tags) == {"PII", "PII:EMAIL_ADDRESS"}


def test_without_a_pii_stage_the_classification_is_left_alone(load):
    with override_settings(ATLAS_PIPELINE_STAGES=CHAIN_WITH_FAKES):
        load("people", PEOPLE, key=["id"])
    with override_settings(ATLAS_PIPELINE_STAGES=WITHOUT_PII):
        load("people", PEOPLE, key=["id"])
    dataset = Dataset.objects.get(name="people")
    assert dataset.pii_summary["count"] == 1
    assert tag_names(dataset.system_tags) == {"PII", "PII:EMAIL_ADDRESS"}


@override_settings(ATLAS_PIPELINE_STAGES=WITH_REAL_QUALITY)
def test_drift_is_recorded_for_each_kind_of_change(load, role_client):
    first = load("people", PEOPLE)
    added = load("people", [{**p, "city": "Aarhus"} for p in PEOPLE])
    dataset = Dataset.objects.get(name="people")
    assert dataset.breaking_change is False
    removed = load("people", [{"id": 3, "email": "x@example.com", "age": 20, "city": "Odense"}])
    dataset.refresh_from_db()
    assert dataset.breaking_change is True
    Dataset.objects.filter(pk=dataset.pk).update(declared_types={"age": "text"})
    retyped = load(
        "people", [{"id": 4, "name": "Di", "email": "d@example.com", "age": "unknown", "city": "Vejle"}]
    )

    versions = {v.version: v for v in dataset.schema_versions.all()}
    assert sorted(versions) == [1, 2, 3, 4]
    assert versions[1].run_id == first["run_id"] and versions[1].changes == []
    assert versions[2].run_id == added["run_id"] and not versions[2].breaking
    assert versions[2].changes == [{"change": SchemaChange.ADDED, "column": "city", "to": "text"}]
    assert versions[3].run_id == removed["run_id"] and versions[3].breaking
    assert versions[3].changes == [{"change": SchemaChange.REMOVED, "column": "name", "from": "text"}]
    assert versions[4].run_id == retyped["run_id"] and versions[4].breaking
    assert versions[4].changes == [
        {"change": SchemaChange.ADDED, "column": "name", "to": "text"},
        {"change": SchemaChange.TYPE_CHANGED, "column": "age", "from": "integer", "to": "text"},
    ]
    assert any("Schema changed (version 4)" in w for w in retyped["warnings"])

    dataset.refresh_from_db()
    assert dataset.breaking_change is True
    # The real quality stage ran: the history comes from its reports, with links.
    history = quality_history(dataset)
    runs = [retyped["run_id"], removed["run_id"], added["run_id"], first["run_id"]]
    assert [h["run_id"] for h in history] == runs
    assert history[0]["url"] and set(history[0]["dimensions"]) >= {"completeness", "validity"}
    dashboard = role_client("viewer").get("/").content.decode()
    assert "Breaking schema changes" in dashboard and "Schema changes" in dashboard
    page = role_client("viewer").get(dataset.get_absolute_url()).content.decode()
    assert "Breaking schema change." in page and "integer → text" in page
