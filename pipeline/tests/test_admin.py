"""The admin for runs, kept files and the catalog: lists, filters, read-only records, retry and cancel."""

from __future__ import annotations

import pytest
from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from atlas.choices import Role
from catalog.models import Column, SchemaVersion, Tag
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun
from pipeline.tests.factories import DatasetFactory
from pipeline.tests.run_factories import PipelineRunFactory, SourceFileFactory

pytestmark = pytest.mark.django_db
RUNS = reverse("admin:pipeline_pipelinerun_changelist")


def act(client, action: str, runs: list[PipelineRun]):
    data = {"action": action, ACTION_CHECKBOX_NAME: [run.pk for run in runs]}
    return client.post(RUNS, data, follow=True)


class TestRunAdmin:
    def test_list_filters_and_search(self, role_client):
        sales = PipelineRunFactory(dataset=DatasetFactory(name="sales"))
        failed = PipelineRunFactory(dataset=DatasetFactory(name="hr"), status=RunStatus.FAILED, error="boom")
        client = role_client(Role.OPERATOR)
        assert client.get(RUNS).status_code == 200
        filtered = client.get(RUNS + "?status__exact=failed")
        assert list(filtered.context["cl"].result_list) == [failed]
        by_dataset = client.get(RUNS + f"?dataset__id__exact={sales.dataset_id}")
        assert list(by_dataset.context["cl"].result_list) == [sales]
        assert list(client.get(RUNS + "?q=hr").context["cl"].result_list) == [failed]

    def test_run_page_is_read_only_and_runs_are_not_added_by_hand(self, role_client):
        run = PipelineRunFactory(timings={"explore": 1.5, "chart": 2.25})
        client = role_client(Role.ADMIN)
        response = client.get(reverse("admin:pipeline_pipelinerun_change", args=[run.pk]))
        body = response.content.decode()
        assert response.status_code == 200
        assert "explore 1.50 s, chart 2.25 s" in body
        assert 'name="rows_received"' not in body  # shown, not editable
        assert client.get(reverse("admin:pipeline_pipelinerun_add")).status_code == 403

    def test_retry_selected_runs(self, role_client):
        failed = PipelineRunFactory(status=RunStatus.FAILED, error="boom")
        succeeded = PipelineRunFactory()
        response = act(role_client(Role.OPERATOR), "retry_runs", [failed, succeeded])
        new = PipelineRun.objects.get(retry_of=failed)
        assert new.status == RunStatus.QUEUED and new.started_by.username == "operator"
        assert not PipelineRun.objects.filter(retry_of=succeeded).exists()
        body = response.content.decode()
        assert f"Started retry run(s) {new.pk}" in body and "only failed or cancelled" in body

    def test_cancel_selected_runs(self, role_client):
        queued = PipelineRunFactory(status=RunStatus.QUEUED)
        running = PipelineRunFactory(status=RunStatus.RUNNING)
        done = PipelineRunFactory()
        act(role_client(Role.OPERATOR), "cancel_runs", [queued, running, done])
        for run in (queued, running, done):
            run.refresh_from_db()
        assert queued.status == RunStatus.CANCELLED
        assert running.status == RunStatus.RUNNING and running.cancel_requested
        assert done.status == RunStatus.SUCCEEDED and not done.cancel_requested

    def test_viewers_see_runs_but_not_the_actions(self, role_client):
        run = PipelineRunFactory(status=RunStatus.QUEUED)
        client = role_client(Role.VIEWER)
        response = client.get(RUNS)
        assert response.status_code == 200
        assert "cancel_runs" not in response.content.decode()
        act(client, "cancel_runs", [run])
        run.refresh_from_db()
        assert run.status == RunStatus.QUEUED


class TestSourceFileAdmin:
    def test_read_only(self, role_client):
        kept = SourceFileFactory()
        client = role_client(Role.ADMIN)
        assert client.get(reverse("admin:pipeline_sourcefile_changelist")).status_code == 200
        body = client.get(reverse("admin:pipeline_sourcefile_change", args=[kept.pk])).content.decode()
        assert kept.sha256 in body and 'name="sha256"' not in body
        assert client.get(reverse("admin:pipeline_sourcefile_add")).status_code == 403


class TestCatalogAdmin:
    def test_dataset_page_shows_columns_and_schema_history(self, role_client):
        dataset = DatasetFactory(name="sales", key_columns=["id"])
        Column.objects.create(
            dataset=dataset, name="Amount (€)", warehouse_name="amount", data_type="decimal"
        )
        SchemaVersion.objects.create(
            dataset=dataset,
            version=2,
            columns=[{"name": "Amount (€)", "warehouse_name": "amount"}],
            changes=[{"change": "type_changed", "column": "Amount (€)", "from": "integer", "to": "decimal"}],
        )
        client = role_client(Role.STEWARD)
        body = client.get(reverse("admin:catalog_dataset_change", args=[dataset.pk])).content.decode()
        assert "Amount (€)" in body
        assert "type changed: Amount (€) (integer → decimal)" in body
        assert 'name="table_name"' not in body  # the warehouse table keeps its name
        listing = client.get(reverse("admin:catalog_dataset_changelist")).content.decode()
        assert "sales" in listing and "id" in listing

    def test_steward_edits_a_dataset_description(self, role_client):
        dataset = DatasetFactory(name="hr")
        column = Column.objects.create(dataset=dataset, name="id", warehouse_name="id")
        url = reverse("admin:catalog_dataset_change", args=[dataset.pk])
        data = {
            "name": "hr",
            "description": "People",
            "source": "",
            "load_mode": "append",
            "key_columns": "[]",
            "declared_types": "{}",
            "columns-TOTAL_FORMS": "1",
            "columns-INITIAL_FORMS": "1",
            "columns-MIN_NUM_FORMS": "0",
            "columns-MAX_NUM_FORMS": "1000",
            "columns-0-id": column.pk,
            "columns-0-dataset": dataset.pk,
            "columns-0-description": "Employee number",
            "schema_versions-TOTAL_FORMS": "0",
            "schema_versions-INITIAL_FORMS": "0",
            "schema_versions-MIN_NUM_FORMS": "0",
            "schema_versions-MAX_NUM_FORMS": "1000",
        }
        response = role_client(Role.STEWARD).post(url, data)
        assert response.status_code == 302, (
            response.context["adminform"].form.errors if response.context else ""
        )
        dataset.refresh_from_db()
        column.refresh_from_db()
        assert dataset.description == "People" and column.description == "Employee number"
        assert dataset.table_name == "hr"

    @pytest.mark.parametrize("model", ["column", "tag", "schemaversion"])
    def test_other_catalog_lists_open(self, model, role_client):
        Tag.objects.create(name="finance")
        assert role_client(Role.ADMIN).get(reverse(f"admin:catalog_{model}_changelist")).status_code == 200
