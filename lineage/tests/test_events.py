"""Atlas's own OpenLineage events: valid against the spec, with schema, column-lineage and quality facets."""
from __future__ import annotations

import uuid

import pytest

from lineage.choices import EventOrigin, EventType
from lineage.models import LineageEvent
from lineage.services import naming
from lineage.services.validation import validate_event
from pipeline.models import PipelineRun

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _runs(customers_runs):
    return customers_runs


def events_of(report: dict) -> list[LineageEvent]:
    return list(LineageEvent.objects.filter(pipeline_run_id=report["run_id"]).order_by("event_time", "pk"))


def outputs_by_table(payload: dict) -> dict[str, dict]:
    return {o["name"].split(".", 1)[1]: o for o in payload["outputs"]}


def test_every_run_emits_start_then_complete_valid_against_the_spec(customers_runs):
    for report in customers_runs:
        events = events_of(report)
        assert [e.event_type for e in events] == [EventType.START, EventType.COMPLETE]
        for event in events:
            assert validate_event(event.payload) == "run"
            assert event.origin == EventOrigin.EMITTED
            assert event.payload["schemaURL"].startswith("https://openlineage.io/spec/2-0-2/OpenLineage.json")
            assert event.payload["producer"] == naming.PRODUCER
        run = PipelineRun.objects.get(pk=report["run_id"])
        run_id = uuid.UUID(events[0].payload["run"]["runId"])
        assert run_id.version == 7 and str(run_id) == naming.run_uuid(run)
        assert events[0].run_id == events[1].run_id == run_id
        assert events[0].event_time <= events[1].event_time


def test_one_job_per_dataset_pipeline_reading_the_file_and_writing_the_layers(customers_runs):
    complete = events_of(customers_runs[1])[1].payload
    assert complete["job"]["namespace"] == "atlas" and complete["job"]["name"] == "atlas.pipeline.customers"
    assert complete["job"]["facets"]["jobType"]["processingType"] == "BATCH"
    source = complete["inputs"][0]
    assert source["namespace"] == "file" and source["name"].endswith("customers-2.csv")
    assert [f["name"] for f in source["facets"]["schema"]["fields"]] == ["id", "name", "email", "age"]
    assert source["inputFacets"]["inputStatistics"]["rowCount"] == 3
    outputs = outputs_by_table(complete)
    assert set(outputs) == {"explore.customers", "chart.customers", "navigate.customers"}
    assert {o["namespace"] for o in outputs.values()} == {naming.warehouse_namespace()}
    chart = outputs["chart.customers"]["facets"]["schema"]["fields"]
    assert [(f["name"], f["type"]) for f in chart] == [("id", "bigint"), ("name", "text"), ("email", "text"),
                                                       ("age", "bigint")]
    assert outputs["navigate.customers"]["outputFacets"]["outputStatistics"]["rowCount"] == 2


def test_column_lineage_runs_explore_chart_navigate_and_names_the_masking(customers_runs):
    outputs = outputs_by_table(events_of(customers_runs[1])[1].payload)
    explore = outputs["explore.customers"]["facets"]["columnLineage"]["fields"]
    assert explore["email"]["inputFields"][0]["namespace"] == "file"
    assert explore["email"]["inputFields"][0]["field"] == "email"
    chart = outputs["chart.customers"]["facets"]["columnLineage"]["fields"]
    assert chart["age"]["inputFields"][0]["name"].endswith("explore.customers")
    assert chart["age"]["inputFields"][0]["transformations"][0]["description"] == "cast to integer"
    navigate = outputs["navigate.customers"]["facets"]["columnLineage"]
    masked = navigate["fields"]["email"]["inputFields"][0]
    assert masked["name"].endswith("chart.customers")
    assert masked["transformations"] == [{"type": "DIRECT", "subtype": "TRANSFORMATION",
                                          "description": "masked: hash_email", "masking": True}]
    assert navigate["fields"]["email"]["transformationType"] == "MASKED"
    assert navigate["fields"]["name"]["inputFields"][0]["transformations"][0]["masking"] is False
    # Merging on the key deduplicates: a dataset-wide dependency on the key column.
    assert [(f["field"], f["transformations"][0]["subtype"]) for f in navigate["dataset"]] == [
        ("id", "GROUP_BY")
    ]


def test_quality_and_catalog_facets(customers_runs):
    outputs = outputs_by_table(events_of(customers_runs[1])[1].payload)
    chart = outputs["chart.customers"]["facets"]
    metrics = chart["dataQualityMetrics"]
    assert metrics["rowCount"] == 3
    assert metrics["columnMetrics"]["age"] == {
        "nullCount": 0,
        "count": 3,
        "min": 31.0,
        "max": 46.0,
        "quantiles": {},
    }
    assertions = chart["dataQualityAssertions"]["assertions"]
    completeness = next(a for a in assertions if a["assertion"] == "completeness" and "column" not in a)
    assert completeness["success"] is False and completeness["expected"] == "0.9"
    assert any(a["assertion"] == "completeness:email_or_phone" and not a["success"] for a in assertions)
    assert any(a.get("column") == "email" for a in assertions)
    navigate = outputs["navigate.customers"]["facets"]
    assert {"key": "pii", "value": "EMAIL_ADDRESS", "source": "ATLAS", "field": "email"} in navigate["tags"][
        "tags"
    ]


def test_the_warehouse_namespace_can_be_set_and_never_names_a_socket(settings):
    from django.db import connections

    settings.OPENLINEAGE_WAREHOUSE_NAMESPACE = "postgres://warehouse.internal:5432"
    assert naming.warehouse_namespace() == "postgres://warehouse.internal:5432"
    del settings.OPENLINEAGE_WAREHOUSE_NAMESPACE
    params = connections["default"].settings_dict
    host, port = params["HOST"], params["PORT"]
    try:
        params["HOST"], params["PORT"] = "127.0.0.1", "5432"
        assert naming.warehouse_namespace() == "postgres://127.0.0.1:5432"
        params["HOST"], params["PORT"] = "/tmp/atlas-pg-socket", "54329"
        assert naming.warehouse_namespace() == "postgres://localhost:54329"
    finally:
        params["HOST"], params["PORT"] = host, port


def test_layers_and_labels_from_names():
    ns = naming.warehouse_namespace()
    db = naming.warehouse_database()
    assert naming.layer_of(ns, f"{db}.chart.orders__rejected") == "chart"
    assert naming.layer_of("file", "uploads/ab/orders.csv") == "source"
    assert naming.layer_of("atlas.features", "orders_v1") == "feature"
    assert naming.layer_of("s3://bucket", "x") == "external"
    assert naming.short_label(ns, f"{db}.navigate.orders") == "navigate.orders"
    assert naming.short_label("file", "uploads/ab/orders.csv") == "orders.csv"
