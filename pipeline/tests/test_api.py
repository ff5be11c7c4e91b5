"""The runs API: upload → 202 → a finished run; duplicates, the size limit, retry, cancel, roles, schema."""

from __future__ import annotations

import pytest
from django.urls import reverse
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from atlas.choices import Role
from atlas.testing.api import APIViewTestCases, allowed
from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun, SourceFile
from pipeline.tests.factories import DatasetFactory, submit, write_csv
from pipeline.tests.run_factories import PipelineRunFactory, csv_upload

RUNS = "/api/runs/"
ROLES_AND_NOBODY = (*Role.values, None)
SALES = [["id", "amount", "city"], [1, "10", "Oslo"], [2, "x", "Bergen"], [3, "30", "Tromsø"]]


def post_upload(client, upload, **fields):
    return client.post(RUNS, {"file": upload, **fields}, format="multipart")


def detail(client, run_id: int) -> dict:
    response = client.get(f"{RUNS}{run_id}/")
    assert response.status_code == 200, response.content
    return response.json()


class TestRunReadAPI(APIViewTestCases.GetObject, APIViewTestCases.ListObjects):
    """Every role reads runs; nobody without a role does; anonymous callers get 401/403."""

    model = PipelineRun
    api_base = "api:pipeline-run"
    brief_fields = ("id", "url", "status", "stage", "percent", "counts", "timings", "dataset_name")

    def make_objects(self):
        return [
            PipelineRunFactory(),
            PipelineRunFactory(status=RunStatus.FAILED, error="Merge needs a key."),
            PipelineRunFactory(status=RunStatus.QUEUED),
        ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("clean_warehouse")
class TestUploadRuns:
    def test_upload_answers_202_and_the_run_finishes_with_counts(self, role_api_client):
        DatasetFactory(name="sales", declared_types={"amount": "integer"})
        client = role_api_client(Role.OPERATOR)
        response = post_upload(
            client, csv_upload("sales.csv", SALES), dataset="sales", key="id", mode="merge"
        )
        assert response.status_code == 202, response.content
        body = response.json()
        assert body["id"] and body["status"] and body["url"].endswith(f"{RUNS}{body['id']}/")
        assert response["Location"] == body["url"]

        run = detail(client, body["id"])
        assert run["status"] == RunStatus.SUCCEEDED, run["error"]
        assert run["percent"] == 100
        assert run["counts"] == {"received": 3, "explore": 3, "chart": 2, "rejected": 1, "navigate": 2}
        assert {"explore", "chart", "navigate"} <= set(run["timings"])
        assert run["key_columns"] == ["id"] and run["load_mode"] == "merge"
        assert run["report"]["run_id"] == body["id"] and run["report"]["rows"]["rejected"] == 1
        assert run["started_by"] == "operator"
        assert run["source_file"]["original_name"] == "sales.csv"

        rejected = client.get(f"{RUNS}{body['id']}/rejected/?limit=5").json()
        assert len(rejected) == 1
        assert rejected[0]["_atlas_row"] and rejected[0]["original_column"] == "amount"
        assert rejected[0]["value"] == "x" and "not a valid" in rejected[0]["reason"]
        assert rejected[0]["record"]

    def test_key_may_be_repeated_and_reader_options_are_kept(self, role_api_client):
        client = role_api_client(Role.OPERATOR)
        rows = [["a", "b", "c"], [1, 2, "x"], [2, 2, "y"]]
        response = client.post(
            RUNS,
            {
                "file": csv_upload("abc.csv", rows),
                "dataset": "composite",
                "key": ["a", "b"],
                "mode": "merge",
                "delimiter": ",",
            },
            format="multipart",
        )
        assert response.status_code == 202, response.content
        run = detail(client, response.json()["id"])
        assert run["status"] == RunStatus.SUCCEEDED, run["error"]
        assert run["key_columns"] == ["a", "b"]
        assert run["options"] == {"delimiter": ","}

    def test_duplicate_upload_is_409_and_force_loads_it_anyway(self, role_api_client):
        client = role_api_client(Role.OPERATOR)
        first = post_upload(client, csv_upload("sales.csv", SALES), dataset="sales")
        assert first.status_code == 202, first.content

        again = post_upload(client, csv_upload("sales.csv", SALES), dataset="sales")
        assert again.status_code == 409, again.content
        body = again.json()
        assert body["previous_run"] == first.json()["id"]
        assert "already ingested" in body["detail"] and "force" in body["detail"]
        assert SourceFile.objects.count() == 1

        # Load anyway: from the kept file, without sending it again…
        kept = client.post(
            RUNS, {"source_file": body["source_file"], "dataset": "sales", "force": True}, format="json"
        )
        assert kept.status_code == 202, kept.content
        # …or with the file and force=true.
        forced = post_upload(client, csv_upload("sales.csv", SALES), dataset="sales", force="true")
        assert forced.status_code == 202, forced.content
        assert PipelineRun.objects.filter(status=RunStatus.SUCCEEDED).count() == 3

    def test_retry_of_a_failed_run_after_fixing_its_cause(self, role_api_client):
        client = role_api_client(Role.OPERATOR)
        rows = [["code", "name"], ["A", "x"], ["A", "y"], ["B", ""]]  # no column is unique and never empty
        response = post_upload(client, csv_upload("codes.csv", rows), dataset="codes", mode="merge")
        assert response.status_code == 202, response.content
        failed = detail(client, response.json()["id"])
        assert failed["status"] == RunStatus.FAILED
        assert "Merge needs a key" in failed["error"] and failed["can_retry"]
        assert failed["counts"]["navigate"] == 0

        Dataset.objects.filter(name="codes").update(key_columns=["code"])
        retried = client.post(f"{RUNS}{failed['id']}/retry/")
        assert retried.status_code == 201, retried.content
        new = retried.json()
        assert new["retry_of"] == failed["id"] and new["id"] != failed["id"]
        assert detail(client, new["id"])["status"] == RunStatus.SUCCEEDED
        assert detail(client, new["id"])["counts"]["navigate"] == 2

        again = client.post(f"{RUNS}{new['id']}/retry/")
        assert again.status_code == 409
        assert "only failed or cancelled" in again.json()["detail"]


@pytest.mark.django_db
class TestUploadRefusals:
    def test_file_over_the_limit_is_413_naming_the_limit(self, role_api_client, settings):
        settings.ATLAS_MAX_UPLOAD_BYTES = 1024 * 1024
        big = csv_upload("big.csv", [["n"], *[[i] for i in range(300_000)]])
        assert big.size > 1024 * 1024 + 64 * 1024
        response = post_upload(role_api_client(Role.OPERATOR), big, dataset="big")
        assert response.status_code == 413
        assert "upload limit of 1 MB" in response.json()["detail"]
        assert not SourceFile.objects.exists()

    def test_file_over_the_limit_without_a_telling_header_is_413_too(self, role_api_client, settings):
        settings.ATLAS_MAX_UPLOAD_BYTES = 100 * 1024
        upload = csv_upload("medium.csv", [["n"], *[[i] for i in range(25_000)]])
        assert 100 * 1024 < upload.size < 150 * 1024  # the request's length alone does not give it away
        response = post_upload(role_api_client(Role.OPERATOR), upload, dataset="medium")
        assert response.status_code == 413
        assert "upload limit of 0.098 MB (100 KB)" in response.json()["detail"]
        assert not SourceFile.objects.exists()

    def test_the_declared_length_is_checked_before_the_body_is_read(self, role_api_client, settings):
        settings.ATLAS_MAX_UPLOAD_BYTES = 1024 * 1024
        response = role_api_client(Role.OPERATOR).post(
            RUNS,
            {"file": csv_upload("small.csv", [["a"], [1]]), "dataset": "small"},
            format="multipart",
            CONTENT_LENGTH=str(50 * 1024**3),
        )
        assert response.status_code == 413
        assert "1 MB" in response.json()["detail"]

    @pytest.mark.parametrize(
        ("with_file", "fields", "field"),
        [
            (False, {"dataset": "x"}, "file"),
            (True, {}, "dataset"),
            (True, {"dataset": "x", "mode": "upsert"}, "mode"),
        ],
    )
    def test_an_incomplete_request_is_400_with_the_field(self, role_api_client, with_file, fields, field):
        if with_file:
            fields = {**fields, "file": csv_upload("a.csv", [["a"], [1]])}
        response = role_api_client(Role.OPERATOR).post(RUNS, fields, format="multipart")
        assert response.status_code == 400
        assert field in response.json()

    def test_a_clashing_dataset_name_is_400_and_the_file_is_kept(self, role_api_client):
        DatasetFactory(name="Sales 2024", table_name="sales_2024")
        response = post_upload(
            role_api_client(Role.OPERATOR), csv_upload("s.csv", SALES), dataset="sales-2024"
        )
        assert response.status_code == 400
        body = response.json()
        assert "too close to the existing dataset 'Sales 2024'" in body["detail"]
        assert SourceFile.objects.filter(pk=body["source_file"]).exists()
        assert not PipelineRun.objects.exists()

    def test_an_unknown_kept_file_is_400(self, role_api_client):
        response = role_api_client(Role.OPERATOR).post(
            RUNS, {"source_file": 999, "dataset": "x"}, format="json"
        )
        assert response.status_code == 400
        assert "upload the file again" in response.json()["detail"]


@pytest.mark.django_db
class TestRunActions:
    def test_cancel_a_queued_run(self, role_api_client, tmp_path):
        run = submit(write_csv(tmp_path / "q.csv", [["a"], [1]]), "queued")  # created, never enqueued
        client = role_api_client(Role.OPERATOR)
        response = client.post(f"{RUNS}{run.pk}/cancel/")
        assert response.status_code == 200, response.content
        assert response.json()["status"] == RunStatus.CANCELLED
        assert "cancelled before it started" in response.json()["error"]
        again = client.post(f"{RUNS}{run.pk}/cancel/")
        assert again.status_code == 409
        assert "only queued or running" in again.json()["detail"]

    def test_actions_on_a_missing_run_are_404(self, role_api_client):
        client = role_api_client(Role.OPERATOR)
        assert client.post(f"{RUNS}424242/cancel/").status_code == 404
        assert client.post(f"{RUNS}424242/retry/").status_code == 404
        assert client.get(f"{RUNS}424242/rejected/").status_code == 404

    def test_rejected_of_a_run_without_tables_is_empty_and_limit_is_checked(self, role_api_client):
        run = PipelineRunFactory()
        client = role_api_client(Role.STEWARD)
        assert client.get(f"{RUNS}{run.pk}/rejected/").json() == []
        bad = client.get(f"{RUNS}{run.pk}/rejected/?limit=many")
        assert bad.status_code == 400 and "limit" in bad.json()

    @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
    def test_rejected_rows_are_raw_data_that_viewers_do_not_see(self, role, role_api_client):
        run = PipelineRunFactory()
        response = role_api_client(role).get(f"{RUNS}{run.pk}/rejected/")
        if allowed(role, (Role.OPERATOR, Role.STEWARD, Role.PRIVACY_OFFICER)):
            assert response.status_code == 200
        else:
            assert response.status_code in (401, 403)

    @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
    def test_only_operators_cancel(self, role, role_api_client):
        run = PipelineRunFactory(status=RunStatus.QUEUED)
        response = role_api_client(role).post(f"{RUNS}{run.pk}/cancel/")
        run.refresh_from_db()
        if allowed(role, (Role.OPERATOR,)):
            assert response.status_code == 200 and run.status == RunStatus.CANCELLED
        else:
            assert response.status_code == 403 and run.status == RunStatus.QUEUED

    @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
    def test_only_operators_retry(self, role, role_api_client):
        run = PipelineRunFactory(status=RunStatus.FAILED, error="boom")
        response = role_api_client(role).post(f"{RUNS}{run.pk}/retry/")
        if allowed(role, (Role.OPERATOR,)):
            assert response.status_code == 201, response.content
            assert PipelineRun.objects.filter(retry_of=run).count() == 1
        else:
            assert response.status_code == 403
            assert not PipelineRun.objects.filter(retry_of=run).exists()

    @pytest.mark.parametrize("role", ROLES_AND_NOBODY)
    def test_only_operators_upload(self, role, role_api_client):
        # An empty request: operators get as far as validation (400), everyone else is stopped (403).
        response = role_api_client(role).post(RUNS, {}, format="multipart")
        assert response.status_code == (400 if allowed(role, (Role.OPERATOR,)) else 403), response.content

    def test_anonymous_callers_are_refused(self, api_client):
        run = PipelineRunFactory(status=RunStatus.QUEUED)
        assert api_client.get(RUNS).status_code in (401, 403)
        assert api_client.post(RUNS, {}, format="multipart").status_code in (401, 403)
        assert api_client.post(f"{RUNS}{run.pk}/cancel/").status_code in (401, 403)


@pytest.mark.django_db
class TestRunListFilters:
    def test_filters_by_dataset_status_and_dates(self, role_api_client):
        sales = DatasetFactory(name="sales")
        ok = PipelineRunFactory(dataset=sales)
        failed = PipelineRunFactory(dataset=sales, status=RunStatus.FAILED)
        other = PipelineRunFactory(dataset=DatasetFactory(name="hr"))
        PipelineRun.objects.filter(pk=other.pk).update(created="2020-01-15T12:00:00Z")
        client = role_api_client(Role.VIEWER)

        def ids(query: str) -> set[int]:
            response = client.get(f"{RUNS}?{query}")
            assert response.status_code == 200, response.content
            return {item["id"] for item in response.json()["results"]}

        assert ids("dataset=sales") == {ok.pk, failed.pk}
        assert ids(f"dataset={sales.pk}") == {ok.pk, failed.pk}
        assert ids("status=failed") == {failed.pk}
        assert ids("dataset=sales&status=succeeded") == {ok.pk}
        assert ids("created_before=2020-01-15") == {other.pk}
        assert ids("created_after=2020-01-16") == {ok.pk, failed.pk}
        assert client.get(f"{RUNS}?status=exploded").status_code == 400


@pytest.mark.django_db
class TestSchema:
    def test_schema_lists_the_runs_endpoints(self, role_api_client):
        response = role_api_client(Role.VIEWER).get("/api/schema/")
        assert response.status_code == 200
        text = response.content.decode()
        for path in (
            "/api/runs/",
            "/api/runs/{id}/",
            "/api/runs/{id}/retry/",
            "/api/runs/{id}/cancel/",
            "/api/runs/{id}/rejected/",
        ):
            assert path in text

    def test_schema_is_valid_openapi(self):
        schema = SchemaGenerator().get_schema(request=None, public=True)
        validate_schema(schema)
        create = schema["paths"]["/api/runs/"]["post"]
        assert {"202", "409", "413"} <= set(create["responses"])
        assert "multipart/form-data" in create["requestBody"]["content"]

    def test_url_names_live_under_the_api_namespace(self):
        assert reverse("api:pipeline-run-list") == RUNS
        assert reverse("api:pipeline-run-rejected", args=[7]) == f"{RUNS}7/rejected/"
