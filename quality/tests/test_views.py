"""The Quality pages: the report list with its filters and HTMX partial, one report, its JSON download."""

from __future__ import annotations

import json

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.views import ViewTestCases
from quality.tests.factories import CheckResultFactory, QualityReportFactory

pytestmark = pytest.mark.django_db


class TestReportListPage(ViewTestCases.ListView):
    url_name = "quality:report_list"
    expected_text = "Quality"

    def make_objects(self):
        return QualityReportFactory.create_batch(2)


class TestReportDetailPage(ViewTestCases.DetailView):
    expected_text = "Six dimensions"

    def make_object(self):
        report = QualityReportFactory(scores={"completeness": 0.5})
        CheckResultFactory(report=report, name="row_count > 0")
        return report


def test_list_filters_and_badges(role_client):
    low = QualityReportFactory(scores={"completeness": 0.2, "validity": 0.2}, pii_columns=1)
    high = QualityReportFactory()
    client = role_client(Role.VIEWER)
    body = client.get(reverse("quality:report_list"), {"score_max": "0.9"}).content.decode()
    assert f"#{low.pk}<" in body and f"#{high.pk}<" not in body
    assert 'class="badge bad"' in body and "1 column" in body
    body = client.get(reverse("quality:report_list"), {"pii": "no"}).content.decode()
    assert f"#{high.pk}<" in body and f"#{low.pk}<" not in body
    partial = client.get(
        reverse("quality:report_list"), {"dataset": low.dataset.name}, HTTP_HX_REQUEST="true"
    )
    assert "<html" not in partial.content.decode() and f"#{low.pk}<" in partial.content.decode()


def test_detail_shows_definitions_columns_checks_trend_and_regressions(role_client):
    before = QualityReportFactory(scores={"completeness": 0.99})
    report = QualityReportFactory(run__dataset=before.dataset, scores={"completeness": 0.5})
    CheckResultFactory(
        report=report, name="missing_count(email) = 0", outcome="fail", value=3, message="check_value = 3"
    )
    body = role_client(Role.VIEWER).get(report.get_absolute_url()).content.decode()
    assert "non-blank value" not in body  # definitions come from quality.definitions
    assert "NULL, the empty string and whitespace-only text count as missing" in body
    assert "<svg" in body and "completeness" in body
    assert "missing_count(email) = 0" in body
    assert "What got worse since the last run" in body and "now failing" in body
    assert "email" in body  # the per-column table


def test_download_json(role_client):
    report = QualityReportFactory()
    response = role_client(Role.VIEWER).get(reverse("quality:report_download", args=[report.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    data = json.loads(response.content)
    assert data["id"] == report.pk and set(data["dimensions"]) == {
        "completeness",
        "uniqueness",
        "timeliness",
        "validity",
        "accuracy",
        "consistency",
    }
    assert data["regressions"] == []


def test_download_needs_a_role(role_client, client):
    report = QualityReportFactory()
    url = reverse("quality:report_download", args=[report.pk])
    assert role_client(None).get(url).status_code == 403
    assert client.get(url).status_code == 302


def test_navigation_and_dashboard_card(role_client):
    QualityReportFactory(run__dataset__quality_score=0.5)
    body = role_client(Role.VIEWER).get(reverse("dashboard")).content.decode()
    assert "Average quality" in body and "50.0%" in body
    assert f'href="{reverse("quality:report_list")}"' in body
