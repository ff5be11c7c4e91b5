"""The PII page: figures, chart, alerts, filters, HTMX bulk review, CSV export, decrypting; the Dashboard."""
from __future__ import annotations

import csv
import io

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.views import ViewTestCases
from compliance.choices import AuditAction, FindingStatus, MaskingAction
from compliance.models import PiiAuditEvent, PiiFinding
from compliance.services import crypto

pytestmark = pytest.mark.django_db
PAGE = reverse("compliance:pii")
HTMX = {"HTTP_HX_REQUEST": "true"}


class TestPiiPage(ViewTestCases.ListView):
    url_name = "compliance:pii"
    expected_text = "Personal data"


def test_the_page_shows_figures_chart_and_inventory(people, role_client):
    body = role_client(Role.VIEWER).get(PAGE).content.decode()
    assert 'id="pii-distribution"' in body and 'class="pii-bar"' in body
    assert "Average confidence" in body and "EMAIL_ADDRESS" in body
    assert "card_number" in body and "sampled values" in body
    assert "Confirm selected" not in body  # viewers read, they do not review
    assert 'id="pii-decrypt"' not in body


def test_filters_narrow_the_table_and_htmx_gets_the_partial(people, role_client):
    response = role_client(Role.VIEWER).get(PAGE, {"entity": "US_SSN"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "<code>ssn</code>" in body and "<code>email</code>" not in body


def test_an_unmasked_card_column_raises_an_alert(people, role_client):
    PiiFinding.objects.filter(entity="CREDIT_CARD").update(masking=MaskingAction.KEEP)
    body = role_client(Role.VIEWER).get(PAGE).content.decode()
    assert 'id="pii-alerts"' in body and "CREDIT_CARD in people.card_number is published unmasked" in body
    dashboard = role_client(Role.VIEWER).get(reverse("dashboard")).content.decode()
    assert "PII alerts" in dashboard and "PII findings" in dashboard


def test_no_alert_while_sensitive_columns_are_masked(people, role_client):
    assert 'id="pii-alerts"' not in role_client(Role.VIEWER).get(PAGE).content.decode()


def test_stewards_bulk_review_with_htmx(people, role_client):
    ids = list(PiiFinding.objects.filter(entity="EMAIL_ADDRESS").values_list("pk", flat=True))
    client = role_client(Role.STEWARD)
    response = client.post(f"{PAGE}?entity=EMAIL_ADDRESS", {"ids": ids, "decision": "confirm"}, **HTMX)
    body = response.content.decode()
    assert response.status_code == 200 and "<html" not in body
    assert "2 findings confirmed." in body and 'class="badge confirmed"' in body
    statuses = set(PiiFinding.objects.filter(pk__in=ids).values_list("status", flat=True))
    assert statuses == {FindingStatus.CONFIRMED}


def test_a_plain_form_post_redirects_back(people, role_client):
    finding = PiiFinding.objects.get(column__name="ssn")
    response = role_client(Role.STEWARD).post(f"{PAGE}?status=suggested", {"ids": [finding.pk],
                                                                              "decision": "reject"})
    assert response.status_code == 302 and response["Location"] == f"{PAGE}?status=suggested"
    finding.refresh_from_db()
    assert finding.status == FindingStatus.REJECTED


def test_selecting_nothing_says_so(people, role_client):
    body = role_client(Role.STEWARD).post(PAGE, {"decision": "confirm"}, **HTMX).content.decode()
    assert "Select at least one finding." in body


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR])
def test_viewers_cannot_review(people, role_client, role):
    finding = PiiFinding.objects.get(column__name="ssn")
    assert role_client(role).post(PAGE, {"ids": [finding.pk], "decision": "confirm"}).status_code == 403


def test_csv_export_follows_the_filters(people, role_client):
    response = role_client(Role.VIEWER).get(reverse("compliance:pii_export"), {"entity": "EMAIL_ADDRESS"})
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode())))
    assert {r["column"] for r in rows} == {"email", "comment"}
    assert all(r["dataset"] == "people" and float(r["confidence"]) > 0 for r in rows)


def test_privacy_officers_decrypt_on_the_page(people, role_client):
    client = role_client(Role.PRIVACY_OFFICER)
    assert 'id="pii-decrypt"' in client.get(PAGE).content.decode()
    url = reverse("compliance:pii_decrypt")
    body = client.post(url, {"value": crypto.encrypt("DK5000400440116243"), "reason": "audit"}, **HTMX)
    assert "DK5000400440116243" in body.content.decode()
    assert PiiAuditEvent.objects.filter(action=AuditAction.DECRYPT, actor=client.user).count() == 1
    assert role_client(Role.STEWARD).post(url, {"value": "x"}).status_code == 403
