"""The quality admin: stewards edit rule sets (validated), everyone with staff access reads reports."""

from __future__ import annotations

import pytest
from django.urls import reverse

from atlas.choices import Role
from quality.models import QualityRuleSet
from quality.tests.factories import CheckResultFactory, QualityReportFactory

pytestmark = pytest.mark.django_db


def form_data(dataset, **changes) -> dict:
    rules = QualityRuleSet(dataset=dataset)
    data = {
        f.name: getattr(rules, f.name)
        for f in QualityRuleSet._meta.concrete_fields
        if f.editable and f.name not in ("id", "updated_by", "dataset")
    }
    for name in ("check_gates", "cross_field_rules", "reference_values", "semantic_types", "history_metrics"):
        import json

        data[name] = json.dumps(data[name])
    data["dataset"] = dataset.pk
    data.update(changes)
    return data


@pytest.mark.parametrize(
    "url_name",
    [
        "admin:quality_qualityreport_changelist",
        "admin:quality_checkresult_changelist",
        "admin:quality_qualityruleset_changelist",
        "admin:quality_qualityruleset_add",
    ],
)
def test_admin_pages_open_for_a_steward(url_name, role_client):
    CheckResultFactory()
    assert role_client(Role.STEWARD).get(reverse(url_name)).status_code == 200


def test_report_pages_are_read_only(role_client):
    report = QualityReportFactory()
    client = role_client(Role.STEWARD)
    assert client.get(reverse("admin:quality_qualityreport_change", args=[report.pk])).status_code == 200
    assert client.get(reverse("admin:quality_qualityreport_add")).status_code == 403


def test_steward_saves_rules_and_bad_sodacl_is_shown_with_its_line(role_client):
    dataset = QualityReportFactory().dataset
    client = role_client(Role.STEWARD)
    url = reverse("admin:quality_qualityruleset_add")
    bad = form_data(
        dataset, sodacl=f"checks for {dataset.table_name}:\n  - row_count > 0\n  - rowcount >> 0\n"
    )
    response = client.post(url, bad)
    assert response.status_code == 200
    assert "line 3: Invalid check" in response.content.decode()
    assert not QualityRuleSet.objects.exists()
    good = form_data(
        dataset, sodacl=f"checks for {dataset.table_name}:\n  - row_count > 0\n", completeness_gate="block"
    )
    assert client.post(url, good).status_code == 302
    rules = QualityRuleSet.objects.get(dataset=dataset)
    assert rules.completeness_gate == "block" and rules.updated_by == client.user


def test_viewer_cannot_change_rules(role_client):
    assert role_client(Role.VIEWER).get(reverse("admin:quality_qualityruleset_add")).status_code == 403
