"""Receiving OpenLineage events like Marquez: spec validation, roles, other producers joining the graph."""

from __future__ import annotations

import copy
import uuid

import pytest
from django.urls import reverse
from openlineage.client import OpenLineageClient
from openlineage.client.event_v2 import InputDataset, Job, OutputDataset, Run, RunEvent, RunState
from openlineage.client.facet_v2 import schema_dataset
from openlineage.client.transport.http import ApiKeyTokenProvider, HttpConfig, HttpTransport
from openlineage.client.uuid import generate_new_uuid

from atlas.choices import Role
from atlas.testing.api import ROLES_AND_NOBODY, allowed
from atlas.testing.factories import token_for
from lineage.choices import EventOrigin
from lineage.models import LineageEdge, LineageEvent, LineageNode
from lineage.services import naming

RECEIVE = "/api/v1/lineage"
AIRFLOW = "https://github.com/apache/airflow/tree/providers-openlineage/1.14.0"


def airflow_event(**changes) -> dict:
    event = {
        "eventType": "COMPLETE",
        "eventTime": "2026-01-05T10:00:00.000Z",
        "producer": AIRFLOW,
        "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/RunEvent",
        "run": {"runId": "01943a5e-3c3b-7d4e-9f3a-6d1c2b3a4f5e"},
        "job": {"namespace": "airflow", "name": "reporting.build_summary"},
        "inputs": [{"namespace": "s3://raw", "name": "events/2026-01-05"}],
        "outputs": [{"namespace": "postgres://warehouse:5432", "name": "analytics.public.summary",
                     "facets": {"schema": {"_producer": AIRFLOW, "_schemaURL": "https://openlineage.io/spec/facets/"
                                           "1-1-1/SchemaDatasetFacet.json#/$defs/SchemaDatasetFacet",
                                           "fields": [{"name": "day", "type": "date"}]}}}],
    }
    event.update(changes)
    return event


def without(path: str) -> dict:
    event = airflow_event()
    *parents, last = path.split(".")
    target = event
    for part in parents:
        target = target[part]
    del target[last]
    return event


@pytest.mark.django_db
class TestReceive:
    def test_a_valid_event_is_stored_and_merged(self, role_api_client):
        response = role_api_client(Role.OPERATOR).post(RECEIVE, airflow_event(), format="json")
        assert response.status_code == 201, response.content
        event = LineageEvent.objects.get(pk=response.json()["id"])
        assert event.origin == EventOrigin.RECEIVED and event.producer == AIRFLOW
        assert (
            event.job_name == "reporting.build_summary"
            and str(event.run_id) == airflow_event()["run"]["runId"]
        )
        assert event.payload == airflow_event()
        job = LineageNode.objects.get(kind="job", name="reporting.build_summary")
        summary = LineageNode.objects.get(name="analytics.public.summary")
        assert summary.layer == "external" and summary.schema == [{"name": "day", "type": "date",
                                                                    "description": None}]
        assert LineageEdge.objects.filter(source=job, target=summary, kind="output").exists()

    def test_a_trailing_slash_is_accepted_too(self, role_api_client):
        assert (
            role_api_client(Role.OPERATOR).post(f"{RECEIVE}/", airflow_event(), format="json").status_code
            == 201
        )

    @pytest.mark.parametrize(("event", "reason"), [
        (without("eventTime"), "'eventTime' is a required property"),
        (without("producer"), "'producer' is a required property"),
        (without("schemaURL"), "'schemaURL' is a required property"),
        (without("job.name"), "job: 'name' is a required property"),
        (without("job.namespace"), "job: 'namespace' is a required property"),
        (airflow_event(run={"runId": "run-1"}), "run.runId: 'run-1' is not a 'uuid'"),
        (airflow_event(eventType="DONE"), "eventType: 'DONE' is not one of"),
        (airflow_event(eventTime="yesterday"), "eventTime: 'yesterday' is not a 'date-time'"),
        (airflow_event(producer="airflow"), "producer: 'airflow' is not a 'uri'"),
        (airflow_event(inputs=[{"namespace": "s3://raw"}]), "inputs[0]: 'name' is a required property"),
    ])
    def test_an_invalid_event_gets_400_with_the_reason(self, event, reason, role_api_client):
        response = role_api_client(Role.OPERATOR).post(RECEIVE, event, format="json")
        assert response.status_code == 400
        assert reason in response.json()["detail"]
        assert not LineageEvent.objects.exists()

    def test_a_body_that_is_not_an_object_or_not_json(self, role_api_client):
        client = role_api_client(Role.OPERATOR)
        assert client.post(RECEIVE, [1, 2], format="json").status_code == 400
        response = client.post(RECEIVE, "{not json", content_type="application/json")
        assert response.status_code == 400

    @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
    def test_posting_needs_the_operator_role(self, role, role_api_client):
        response = role_api_client(role).post(RECEIVE, airflow_event(), format="json")
        assert response.status_code == (201 if allowed(role, (Role.OPERATOR,)) else 403)

    def test_anonymous_producers_are_refused(self, api_client):
        assert api_client.post(RECEIVE, airflow_event(), format="json").status_code in (401, 403)

    def test_bearer_tokens_are_accepted(self, role_user, api_client):
        api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(role_user(Role.OPERATOR))}")
        assert api_client.post(RECEIVE, airflow_event(), format="json").status_code == 201

    def test_dataset_and_job_events_are_accepted(self, role_api_client):
        client = role_api_client(Role.OPERATOR)
        base = {k: airflow_event()[k] for k in ("eventTime", "producer")}
        dataset_event = {**base, "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/DatasetEvent",
                         "dataset": {"namespace": "s3://raw", "name": "events/2026-01-06"}}
        job_event = {**base, "schemaURL": "https://openlineage.io/spec/2-0-2/OpenLineage.json#/$defs/JobEvent",
                     "job": {"namespace": "dbt", "name": "model.orders"},
                     "inputs": [{"namespace": "s3://raw", "name": "events/2026-01-06"}]}
        assert client.post(RECEIVE, dataset_event, format="json").json()["kind"] == "dataset"
        assert client.post(RECEIVE, job_event, format="json").json()["kind"] == "job"
        assert LineageEdge.objects.filter(target__name="model.orders", kind="input").exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("clean_warehouse")
def test_an_external_producer_via_openlineage_python_joins_atlas_graph(load, live_server, role_user):
    """openlineage-python's own HTTP transport against a live Atlas with token auth, reading navigate."""
    load("customers", [{"id": 1, "name": "Ann"}, {"id": 2, "name": "Bob"}], key=["id"])
    navigate = LineageNode.objects.get(layer="navigate", dataset__name="customers")
    transport = HttpTransport(HttpConfig(
        url=live_server.url, auth=ApiKeyTokenProvider({"apiKey": token_for(role_user(Role.OPERATOR))}),
        retry={"total": 0},
    ))
    client = OpenLineageClient(transport=transport)
    run = Run(runId=str(generate_new_uuid()))
    job = Job(namespace="airflow", name="marketing.customer_segments")
    inputs = [InputDataset(namespace=navigate.namespace, name=navigate.name)]
    schema = schema_dataset.SchemaDatasetFacet(fields=[schema_dataset.SchemaDatasetFacetFields(name="segment",
                                                                                               type="text")])
    outputs = [
        OutputDataset(namespace="postgres://bi:5432", name="bi.public.segments", facets={"schema": schema})
    ]
    for state in (RunState.START, RunState.COMPLETE):
        client.emit(
            RunEvent(
                eventType=state,
                eventTime="2026-01-05T10:00:00Z",
                run=run,
                job=job,
                inputs=inputs,
                outputs=outputs,
                producer=AIRFLOW,
            )
        )
    received = LineageEvent.objects.filter(origin=EventOrigin.RECEIVED).order_by("pk")
    assert [e.event_type for e in received] == ["START", "COMPLETE"]
    assert str(received[0].run_id) == run.runId

    api = role_user(Role.VIEWER)
    from rest_framework.test import APIClient

    reader = APIClient()
    reader.force_authenticate(api)
    graph = reader.get(reverse("api:lineage-dataset", args=["customers"]), {"depth": 2}).json()
    labels = {n["label"] for n in graph["nodes"]}
    assert {"navigate.customers", "chart.customers", "explore.customers", "marketing.customer_segments",
            "bi.public.segments"} <= labels
    assert not any(label.endswith(".csv") for label in labels)  # the file is three steps upstream
    edges = {(e["source"].split(":")[-1], e["target"].split(":")[-1]) for e in graph["edges"]}
    assert (navigate.name, "marketing.customer_segments") in edges
    assert ("marketing.customer_segments", "bi.public.segments") in edges
    deeper = reader.get(reverse("api:lineage-dataset", args=["customers"]), {"depth": 3}).json()
    assert any(n["label"].endswith(".csv") and n["layer"] == "source" for n in deeper["nodes"])
    # The external job's output is reachable from the file Atlas loaded, four steps downstream.
    source = LineageNode.objects.get(layer="source")
    down = reader.get(
        reverse("api:lineage-dataset", args=[source.name]), {"depth": 5, "direction": "downstream"}
    )
    assert "bi.public.segments" in {n["label"] for n in down.json()["nodes"]}
    assert naming.layer_of(navigate.namespace, navigate.name) == "navigate"


def test_generate_new_uuid_is_valid_for_the_spec():
    assert uuid.UUID(str(generate_new_uuid())).version == 7
    assert copy.deepcopy(airflow_event())["run"]["runId"]
