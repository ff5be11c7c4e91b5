"""Pipeline pages: Upload (HTMX and plain), the Runs list and its partial, a Run's page, progress, actions."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.views import ViewTestCases
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun, SourceFile
from pipeline.tests.factories import DatasetFactory
from pipeline.tests.run_factories import PipelineRunFactory, csv_upload

HTMX = {"HTTP_HX_REQUEST": "true"}
UPLOAD = "/pipeline/upload/"
SALES = [["id", "amount"], [1, "10"], [2, "x"], [3, "30"]]


def progress_url(run: PipelineRun, **query: str) -> str:
    url = reverse("pipeline:run_progress", args=[run.pk])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


class TestRunListPage(ViewTestCases.ListView):
    url_name = "pipeline:run_list"
    expected_text = "Upload &amp; runs"

    def make_objects(self):
        return [PipelineRunFactory(), PipelineRunFactory(status=RunStatus.FAILED, error="Merge needs a key.")]


class TestRunPage(ViewTestCases.DetailView):
    expected_text = "Stages"

    def make_object(self):
        return PipelineRunFactory(status=RunStatus.FAILED, error="Merge needs a key.")


class TestUploadPage(ViewTestCases.Base):
    roles_allowed = (Role.OPERATOR,)
    expected_text = "Drop a file here"

    def url(self) -> str:
        return reverse("pipeline:upload")


class TestProgressPartial(ViewTestCases.DetailView):
    """The progress fragment: it is a fragment for everyone who reads, and it polls until the run ends."""

    def make_object(self):
        return PipelineRunFactory(status=RunStatus.RUNNING, stage="chart", percent=37.0, message="casting")

    def url(self) -> str:
        if not hasattr(self, "_object"):
            self.make_objects()
        return progress_url(self._object)

    @pytest.mark.parametrize("role", [Role.VIEWER])
    def test_page_for_role(self, role, role_client):  # a fragment, not a page with <html>
        response = role_client(role).get(self.url(), **HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert "<html" not in body
        assert "37%" in body and "chart" in body and "casting" in body
        assert 'hx-trigger="every 1s"' in body


@pytest.mark.django_db
class TestRunList:
    def test_htmx_filter_returns_only_the_table(self, role_client):
        ok = PipelineRunFactory(dataset=DatasetFactory(name="sales"))
        failed = PipelineRunFactory(dataset=DatasetFactory(name="hr"), status=RunStatus.FAILED)
        response = role_client(Role.VIEWER).get(reverse("pipeline:run_list") + "?status=failed", **HTMX)
        body = response.content.decode()
        assert response.status_code == 200
        assert body.lstrip().startswith('<div id="run-table"')
        assert f"#{failed.pk}<" in body and f"#{ok.pk}<" not in body
        assert "HX-Request" in response["Vary"]

    def test_the_table_polls_while_a_run_is_going(self, role_client):
        PipelineRunFactory()
        client = role_client(Role.VIEWER)
        assert "every 2s" not in client.get(reverse("pipeline:run_list"), **HTMX).content.decode()
        PipelineRunFactory(status=RunStatus.RUNNING, percent=12)
        assert "every 2s" in client.get(reverse("pipeline:run_list"), **HTMX).content.decode()

    def test_upload_button_only_for_operators(self, role_client):
        assert (
            'id="upload-button"'
            in role_client(Role.OPERATOR).get(reverse("pipeline:run_list")).content.decode()
        )
        assert (
            'id="upload-button"'
            not in role_client(Role.VIEWER).get(reverse("pipeline:run_list")).content.decode()
        )

    def test_a_bad_date_shows_an_error_not_a_500(self, role_client):
        response = role_client(Role.VIEWER).get(reverse("pipeline:run_list") + "?created_after=soon")
        assert response.status_code == 200
        assert "Enter a valid date" in response.content.decode()

    def test_paging(self, role_client):
        PipelineRunFactory.create_batch(3)
        client = role_client(Role.VIEWER)
        response = client.get(reverse("pipeline:run_list") + "?per_page=2&page=2")
        assert "page 2 of 2" in response.content.decode()
        past_the_end = client.get(reverse("pipeline:run_list") + "?per_page=2&page=9")
        assert past_the_end.status_code == 200 and "page 2 of 2" in past_the_end.content.decode()

    def test_nav_points_to_the_runs(self, role_client):
        body = role_client(Role.VIEWER).get(reverse("dashboard")).content.decode()
        assert f'href="{reverse("pipeline:run_list")}"' in body and "Upload &amp; runs" in body


@pytest.mark.django_db
class TestRunPageContent:
    def test_failed_run_says_why_and_offers_retry_to_operators(self, role_client):
        run = PipelineRunFactory(
            status=RunStatus.FAILED,
            stage="navigate",
            error="Merge needs a key.",
            timings={"explore": 0.2, "chart": 0.3},
        )
        operator = role_client(Role.OPERATOR).get(run.get_absolute_url()).content.decode()
        assert "Merge needs a key." in operator and 'id="run-retry"' in operator
        assert "explore." + run.dataset.table_name in operator
        viewer = role_client(Role.VIEWER).get(run.get_absolute_url()).content.decode()
        assert "Merge needs a key." in viewer and 'id="run-retry"' not in viewer

    def test_running_run_polls_its_progress_and_can_be_cancelled(self, role_client):
        run = PipelineRunFactory(status=RunStatus.RUNNING, stage="explore", percent=5)
        body = role_client(Role.OPERATOR).get(run.get_absolute_url()).content.decode()
        assert progress_url(run, reload="1") in body and 'id="run-cancel"' in body

    def test_finished_progress_stops_polling_and_reloads_the_run_page(self, role_client):
        run = PipelineRunFactory()
        client = role_client(Role.VIEWER)
        response = client.get(progress_url(run, reload="1"), **HTMX)
        body = response.content.decode()
        assert "hx-trigger" not in body and "10 rows received" in body
        assert response["HX-Refresh"] == "true"
        assert "HX-Refresh" not in client.get(progress_url(run), **HTMX)

    def test_report_download(self, role_client):
        run = PipelineRunFactory(report={"run_id": 1, "status": "succeeded", "dataset": "x"})
        response = role_client(Role.VIEWER).get(reverse("pipeline:run_report", args=[run.pk]))
        assert response.status_code == 200
        assert "attachment" in response["Content-Disposition"]
        assert list(json.loads(response.content))[:3] == ["run_id", "dataset", "status"]

    def test_missing_run_is_404(self, role_client):
        assert role_client(Role.VIEWER).get(reverse("pipeline:run_detail", args=[999999])).status_code == 404


@pytest.mark.django_db
class TestRunButtons:
    def test_operator_cancels_a_queued_run(self, role_client):
        run = PipelineRunFactory(status=RunStatus.QUEUED)
        response = role_client(Role.OPERATOR).post(reverse("pipeline:run_cancel", args=[run.pk]), follow=True)
        run.refresh_from_db()
        assert run.status == RunStatus.CANCELLED
        assert f"Run {run.pk} cancelled" in response.content.decode()

    def test_operator_retries_a_failed_run(self, role_client):
        run = PipelineRunFactory(status=RunStatus.FAILED, error="boom")
        response = role_client(Role.OPERATOR).post(reverse("pipeline:run_retry", args=[run.pk]))
        new = PipelineRun.objects.get(retry_of=run)
        assert response.status_code == 302 and response["Location"] == new.get_absolute_url()

    def test_retrying_a_succeeded_run_shows_why_not(self, role_client):
        run = PipelineRunFactory()
        response = role_client(Role.OPERATOR).post(reverse("pipeline:run_retry", args=[run.pk]), follow=True)
        assert response.status_code == 200
        assert "only failed or cancelled runs" in response.content.decode()

    @pytest.mark.parametrize("role", [Role.VIEWER, Role.STEWARD, Role.PRIVACY_OFFICER])
    def test_other_roles_cannot_press_them(self, role, role_client):
        run = PipelineRunFactory(status=RunStatus.QUEUED)
        assert role_client(role).post(reverse("pipeline:run_cancel", args=[run.pk])).status_code == 403
        run.refresh_from_db()
        assert run.status == RunStatus.QUEUED

    def test_actions_answer_post_only(self, role_client):
        run = PipelineRunFactory(status=RunStatus.QUEUED)
        assert (
            role_client(Role.OPERATOR).get(reverse("pipeline:run_cancel", args=[run.pk])).status_code == 405
        )


@pytest.mark.django_db
class TestUploadRefusals:
    def test_missing_file_is_a_message(self, role_client):
        response = role_client(Role.OPERATOR).post(UPLOAD, {"dataset": "sales"}, **HTMX)
        assert response.status_code == 400
        body = response.content.decode()
        assert "<html" not in body and "Choose a file" in body

    def test_over_the_limit_is_413_naming_it(self, role_client, settings):
        settings.ATLAS_MAX_UPLOAD_BYTES = 100 * 1024
        big = csv_upload("big.csv", [["n"], *[[i] for i in range(40_000)]])
        response = role_client(Role.OPERATOR).post(UPLOAD, {"file": big, "dataset": "big"}, **HTMX)
        assert response.status_code == 413
        assert "upload limit of 0.098 MB (100 KB)" in response.content.decode()
        assert not SourceFile.objects.exists()

    def test_with_the_middleware_an_oversized_body_is_refused_unread(self, role_client, settings):
        settings.MIDDLEWARE = [*settings.MIDDLEWARE, "pipeline.middleware.UploadLimitMiddleware"]
        settings.ATLAS_MAX_UPLOAD_BYTES = 1024 * 1024
        small = csv_upload("small.csv", SALES)
        client = role_client(Role.OPERATOR)
        # The declared length is a lie the body cannot back: reading it would fail, so nothing read it.
        fragment = client.post(
            UPLOAD, {"file": small, "dataset": "x"}, CONTENT_LENGTH=str(50 * 1024**3), **HTMX
        )
        assert fragment.status_code == 413
        assert (
            "upload limit of 1 MB" in fragment.content.decode() and "<html" not in fragment.content.decode()
        )
        page = client.post(UPLOAD, {"file": small, "dataset": "x"}, CONTENT_LENGTH=str(50 * 1024**3))
        assert page.status_code == 413 and "<html" in page.content.decode()
        api = client.post("/api/runs/", {"file": small, "dataset": "x"}, CONTENT_LENGTH=str(50 * 1024**3))
        assert api.status_code == 413 and "1 MB" in api.json()["detail"]
        assert not SourceFile.objects.exists()

    def test_a_clashing_name_keeps_the_file_and_offers_another_try(self, role_client):
        DatasetFactory(name="Sales 2024", table_name="sales_2024")
        client = role_client(Role.OPERATOR)
        response = client.post(UPLOAD, {"file": csv_upload("s.csv", SALES), "dataset": "sales-2024"}, **HTMX)
        body = response.content.decode()
        assert response.status_code == 400
        assert "too close to the existing dataset" in body and "Try again with the kept file (s.csv)" in body
        kept = SourceFile.objects.get()
        assert f'name="source_file" value="{kept.pk}"' in body and 'name="force"' in body
        again = client.post(UPLOAD, {"source_file": kept.pk, "dataset": "Sales 2024", "force": ""})
        run = PipelineRun.objects.get()
        assert again.status_code == 302 and run.source_file == kept and run.dataset.name == "Sales 2024"

    def test_the_page_names_the_limit(self, role_client, settings):
        settings.ATLAS_MAX_UPLOAD_BYTES = 512 * 1024**2
        body = role_client(Role.OPERATOR).get(UPLOAD).content.decode()
        assert "up to 512 MB" in body and 'data-limit="536870912"' in body

    def test_viewers_cannot_upload(self, role_client):
        response = role_client(Role.VIEWER).post(UPLOAD, {"file": csv_upload("a.csv", SALES), "dataset": "a"})
        assert response.status_code == 403
        assert not SourceFile.objects.exists()


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("clean_warehouse")
class TestUploadRuns:
    def test_htmx_upload_shows_the_result_then_the_run_page_shows_rejects(self, role_client):
        DatasetFactory(name="sales", declared_types={"amount": "integer"})
        client = role_client(Role.OPERATOR)
        response = client.post(
            UPLOAD,
            {"file": csv_upload("sales.csv", SALES), "dataset": "sales", "key": "id", "mode": "merge"},
            **HTMX,
        )
        body = response.content.decode()
        assert response.status_code == 200, body
        assert "<html" not in body
        run = PipelineRun.objects.get()
        assert run.status == RunStatus.SUCCEEDED, run.error
        assert "3 rows received" in body and "1 rejected" in body and f"Open run {run.pk}" in body

        page = client.get(run.get_absolute_url()).content.decode()
        assert "is not a valid integer" in page  # the rejected row, with its reason
        assert f"chart.{run.dataset.rejected_table_name}" in page
        assert "Rows from this run" in page
        as_viewer = role_client(Role.VIEWER).get(run.get_absolute_url()).content.decode()
        assert "is not a valid integer" not in as_viewer  # rejected rows are unmasked data
        assert "1 row did not pass validation" in as_viewer

        dashboard = client.get(reverse("dashboard")).content.decode()
        assert "Recent runs" in dashboard and "Runs (last 24 h)" in dashboard and "Datasets" in dashboard

    def test_duplicate_offers_load_anyway_which_works(self, role_client):
        client = role_client(Role.OPERATOR)
        fields = {"dataset": "sales", "key": "id"}
        assert client.post(UPLOAD, {"file": csv_upload("s.csv", SALES), **fields}, **HTMX).status_code == 200
        duplicate = client.post(UPLOAD, {"file": csv_upload("s.csv", SALES), **fields}, **HTMX)
        body = duplicate.content.decode()
        assert duplicate.status_code == 409
        assert "already ingested" in body and 'id="upload-force"' in body and "Load anyway" in body
        kept = SourceFile.objects.get()
        assert f'name="source_file" value="{kept.pk}"' in body

        forced = client.post(UPLOAD, {"source_file": kept.pk, "force": "on", **fields}, **HTMX)
        assert forced.status_code == 200, forced.content
        assert PipelineRun.objects.filter(status=RunStatus.SUCCEEDED).count() == 2

    def test_without_javascript_the_form_redirects_to_the_run(self, role_client):
        response = role_client(Role.OPERATOR).post(
            UPLOAD, {"file": csv_upload("p.csv", SALES), "dataset": "p"}
        )
        run = PipelineRun.objects.get()
        assert response.status_code == 302 and response["Location"] == run.get_absolute_url()
