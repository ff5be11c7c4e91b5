"""The compliance admin: bulk review for stewards, policies for privacy officers, a read-only audit log."""
from __future__ import annotations

import pytest
from django.urls import reverse

from atlas.choices import Role
from compliance.choices import AuditAction, FindingStatus, MaskingAction
from compliance.models import MaskingPolicy, PiiAuditEvent, PiiFinding

pytestmark = pytest.mark.django_db
FINDINGS = reverse("admin:compliance_piifinding_changelist")


def act(client, action: str, ids: list[int]):
    return client.post(FINDINGS, {"action": action, "_selected_action": ids}, follow=True)


def test_stewards_confirm_and_reject_in_bulk(people, role_client):
    client = role_client(Role.STEWARD)
    assert client.get(FINDINGS).status_code == 200
    emails = list(PiiFinding.objects.filter(entity="EMAIL_ADDRESS").values_list("pk", flat=True))
    response = act(client, "confirm_findings", emails)
    assert response.status_code == 200
    assert "2 finding(s): confirm selected findings." in response.content.decode()
    assert set(PiiFinding.objects.filter(pk__in=emails).values_list("status", flat=True)) == {"confirmed"}
    ssn = PiiFinding.objects.get(column__name="ssn")
    act(client, "reject_findings", [ssn.pk])
    ssn.refresh_from_db()
    assert ssn.status == FindingStatus.REJECTED and ssn.reviewer == client.user
    assert PiiAuditEvent.objects.filter(action=AuditAction.REVIEW, actor=client.user).count() == 3


def test_viewers_see_findings_but_cannot_act(people, role_client):
    client = role_client(Role.VIEWER)
    assert client.get(FINDINGS).status_code == 200
    ssn = PiiFinding.objects.get(column__name="ssn")
    act(client, "reject_findings", [ssn.pk])
    ssn.refresh_from_db()
    assert ssn.status == FindingStatus.SUGGESTED


def test_privacy_officers_change_policies_and_it_is_audited(role_client):
    policy = MaskingPolicy.objects.create(entity="EMPLOYEE_ID", action=MaskingAction.HASH)
    url = reverse("admin:compliance_maskingpolicy_change", args=[policy.pk])
    form = {"entity": "EMPLOYEE_ID", "action": MaskingAction.REDACT, "visible_chars": 4, "description": ""}
    assert role_client(Role.STEWARD).post(url, form).status_code == 403
    client = role_client(Role.PRIVACY_OFFICER)
    assert client.post(url, form).status_code == 302
    policy.refresh_from_db()
    assert policy.action == MaskingAction.REDACT and policy.updated_by == client.user
    event = PiiAuditEvent.objects.get(action=AuditAction.POLICY)
    assert event.detail["changes"] == {"action": ["hash", "redact"]}


def test_stewards_add_custom_recognizers_in_the_admin(role_client):
    client = role_client(Role.STEWARD)
    url = reverse("admin:compliance_customrecognizer_add")
    form = {"name": "Employee", "entity": "EMPLOYEE_ID", "regex": "EMP-[0-9", "context": "", "validator": "",
            "score": 0.6, "active": "on", "description": ""}
    assert "not a valid regular expression" in client.post(url, form).content.decode()
    assert client.post(url, {**form, "regex": "EMP-[0-9]{6}"}).status_code == 302


def test_the_audit_log_is_read_only(role_client):
    client = role_client(Role.ADMIN)
    assert client.get(reverse("admin:compliance_piiauditevent_changelist")).status_code == 200
    assert client.get(reverse("admin:compliance_piiauditevent_add")).status_code == 403
