"""The quality API: reports (every role reads), trends, and quality rules (stewards write)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.api import ROLES_AND_NOBODY, APIViewTestCases, allowed
from quality.models import QualityReport, QualityRuleSet
from quality.tests.factories import CheckResultFactory, QualityReportFactory
from quality.tests.helpers import rules_for

pytestmark = pytest.mark.django_db


class TestQualityReportAPI(APIViewTestCases.GetObject, APIViewTestCases.ListObjects):
    model = QualityReport
    api_base = "api:quality-report"
    factory = QualityReportFactory
    brief_fields = (
        "id",
        "url",
        "dataset",
        "dataset_name",
        "run",
        "overall_score",
        "scores",
        "gate",
        "created",
    )


def test_report_detail_has_the_design_shape_checks_and_regressions(role_api_client):
    before = QualityReportFactory(scores={"validity": 0.99})
    report = QualityReportFactory(run__dataset=before.dataset, scores={"validity": 0.5})
    CheckResultFactory(report=report, name="row_count > 0", value=3)
    body = role_api_client(Role.VIEWER).get(reverse("api:quality-report-detail", args=[report.pk])).json()
    assert set(body["dimensions"]["validity"]) >= {"score", "threshold", "passed", "columns", "rules"}
    assert body["scores"]["validity"] == 0.5
    assert body["checks"][0]["name"] == "row_count > 0" and body["checks"][0]["value"] == 3
    worse = {(r["kind"], r["name"]) for r in body["worse_since_last_run"]}
    assert ("dimension", "validity") in worse


def test_report_filters(role_api_client):
    low = QualityReportFactory(scores={d: 0.5 for d in ("completeness", "validity")}, pii_columns=2)
    high = QualityReportFactory()
    client = role_api_client(Role.VIEWER)
    url = reverse("api:quality-report-list")

    def ids(**params) -> set[int]:
        return {r["id"] for r in client.get(url, params).json()["results"]}

    assert ids(score_max="0.9") == {low.pk}
    assert ids(score_min="0.9") == {high.pk}
    assert ids(pii="yes") == {low.pk} and ids(pii="no") == {high.pk}
    assert ids(dataset=low.dataset.name) == {low.pk}
    assert ids(dataset=str(high.dataset_id)) == {high.pk}
    assert ids(created_after="2000-01-01") == {low.pk, high.pk}
    assert ids(created_before="2000-01-01") == set()
    assert client.get(url, {"ordering": "overall_score"}).json()["results"][0]["id"] == low.pk


def test_trend_endpoint(role_api_client):
    first = QualityReportFactory()
    second = QualityReportFactory(run__dataset=first.dataset)
    client = role_api_client(Role.VIEWER)
    body = client.get(reverse("api:quality-report-trend"), {"dataset": first.dataset.name}).json()
    assert [p["report_id"] for p in body["points"]] == [first.pk, second.pk]
    assert client.get(reverse("api:quality-report-trend")).status_code == 400


def rules_url(dataset_id: int) -> str:
    return reverse("api:quality-rules", args=[dataset_id])


@pytest.mark.parametrize("role", ROLES_AND_NOBODY)
def test_every_role_reads_rules_and_only_stewards_write(role, role_api_client):
    dataset = QualityReportFactory().dataset
    client = role_api_client(role)
    response = client.get(rules_url(dataset.pk))
    if role is None:
        assert response.status_code == 403
        return
    assert response.status_code == 200
    assert response.json()["thresholds"]["completeness"] == 0.95
    assert response.json()["gates"]["soda"] == "warn"
    response = client.put(rules_url(dataset.pk), {"thresholds": {"completeness": 0.9}}, format="json")
    if allowed(role, (Role.STEWARD,)):
        assert response.status_code == 200, response.content
        rules = QualityRuleSet.objects.get(dataset=dataset)
        assert rules.completeness_threshold == 0.9 and rules.uniqueness_threshold == 0.98
        assert rules.updated_by == client.user
    else:
        assert response.status_code == 403
        assert not QualityRuleSet.objects.exists()


def test_put_rules_round_trip(role_api_client):
    dataset = QualityReportFactory().dataset
    client = role_api_client(Role.STEWARD)
    payload = {
        "gates": {"completeness": "block", "soda": "block"},
        "check_gates": {"row_count > 0": "warn"},
        "cross_field_rules": [
            {"name": "dates", "kind": "order", "left": "start", "op": "<=", "right": "end"}
        ],
        "reference_values": {"status": {"allowed_values": ["new", "paid"]}},
        "semantic_types": {"contact": "email"},
        "sodacl": f"checks for {dataset.table_name}:\n  - row_count > 0\n",
        "history_metrics": [{"metric": "row_count"}],
        "history_runs": 5,
        "mad_k": 4,
    }
    assert client.put(rules_url(dataset.pk), payload, format="json").status_code == 200
    body = client.get(rules_url(dataset.pk)).json()
    assert body["gates"]["completeness"] == "block" and body["gates"]["uniqueness"] == "warn"
    assert body["cross_field_rules"] == payload["cross_field_rules"]
    assert body["sodacl"] == payload["sodacl"] and body["mad_k"] == 4 and body["history_runs"] == 5


def test_invalid_rules_are_refused_with_reasons(role_api_client):
    dataset = QualityReportFactory().dataset
    client = role_api_client(Role.STEWARD)
    response = client.put(
        rules_url(dataset.pk),
        {
            "thresholds": {"completeness": 1.5, "bogus": 0.5},
            "gates": {"validity": "maybe"},
            "sodacl": f"checks for {dataset.table_name}:\n  - row_count > 0\n  - rowcount >> 0\n",
            "cross_field_rules": [{"name": "x", "kind": "sometimes"}],
            "history_metrics": [{"metric": "mean"}],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert set(errors) >= {"thresholds", "gates"}
    response = client.put(
        rules_url(dataset.pk),
        {
            "sodacl": f"checks for {dataset.table_name}:\n  - row_count > 0\n  - rowcount >> 0\n",
            "cross_field_rules": [{"name": "x", "kind": "sometimes"}],
            "history_metrics": [{"metric": "mean"}],
        },
        format="json",
    )
    errors = response.json()
    assert response.status_code == 400
    assert errors["sodacl"][0].startswith('line 3: Invalid check "rowcount >> 0"')
    assert "Rule 'x'" in errors["cross_field_rules"][0]
    assert "name the column" in errors["history_metrics"][0]
    assert not QualityRuleSet.objects.exists()


def test_rules_are_checked_against_the_catalog_columns(role_api_client):
    from catalog.models import Column

    dataset = QualityReportFactory().dataset
    Column.objects.create(dataset=dataset, name="Start Date", warehouse_name="start_date", data_type="date")
    Column.objects.create(dataset=dataset, name="Amount", warehouse_name="amount", data_type="decimal")
    client = role_api_client(Role.STEWARD)
    response = client.put(
        rules_url(dataset.pk),
        {
            "timeliness_column": "Amount",
            "reference_values": {"nope": {"min": 1}},
            "cross_field_rules": [
                {"name": "r", "kind": "order", "left": '"Start Date"', "op": "<=", "right": "ghost"}
            ],
        },
        format="json",
    )
    assert response.status_code == 400
    errors = response.json()
    assert "timeliness needs a date or timestamp column" in errors["timeliness_column"][0]
    assert "no such column" in errors["reference_values"][0]
    assert "ghost" in errors["cross_field_rules"][0]
    good = client.put(rules_url(dataset.pk), {"timeliness_column": "Start Date"}, format="json")
    assert good.status_code == 200
    assert [c["warehouse_name"] for c in good.json()["columns"]] == ["start_date", "amount"]


def test_unknown_dataset_is_404(role_api_client):
    assert role_api_client(Role.VIEWER).get(rules_url(999999)).status_code == 404


def test_rules_saved_in_a_model_validate_too():
    with pytest.raises(Exception, match="semantic type"):
        rules_for("orders", semantic_types={"email": "postcode-ish"})
