"""The PII API by role: findings, filters, review, policies, overrides, recognizers, decrypt, audit."""
from __future__ import annotations

import pytest
from django.urls import reverse

from atlas.choices import Role
from atlas.testing.api import APIViewTestCases
from compliance.choices import AuditAction, FindingStatus, MaskingAction
from compliance.models import CustomRecognizer, MaskingPolicy, PiiAuditEvent, PiiFinding
from compliance.services import crypto

pytestmark = pytest.mark.django_db
FINDINGS = reverse("api:pii-finding-list")
BULK = reverse("api:pii-finding-bulk-review")
DECRYPT = reverse("api:pii-decrypt")


def review_url(finding: PiiFinding) -> str:
    return reverse("api:pii-finding-review", args=[finding.pk])


def email_finding() -> PiiFinding:
    return PiiFinding.objects.get(column__name="email", column__dataset__name="people")


def results(response) -> list[dict]:
    assert response.status_code == 200, response.content
    return response.json()["results"]


def test_findings_are_listed_for_every_role(people, role_api_client, each_role):
    listed = results(role_api_client(each_role).get(FINDINGS))
    assert {"EMAIL_ADDRESS", "CREDIT_CARD", "US_SSN"} <= {f["entity"] for f in listed}
    one = listed[0]
    assert {"dataset_name", "column_name", "confidence", "share", "explanation", "status",
            "masking"} <= set(one)


def test_anonymous_callers_are_refused(people, api_client):
    assert api_client.get(FINDINGS).status_code in (401, 403)


@pytest.mark.parametrize(("query", "columns"), [
    ({"entity": "EMAIL_ADDRESS"}, {"email", "comment"}),
    ({"entity": "US_SSN", "dataset": "people"}, {"ssn"}),
    ({"entity": "US_SSN", "dataset": "nobody"}, set()),
    ({"q": "card"}, {"card_number"}),
    ({"status": "confirmed"}, set()),
    ({"masked": "false", "entity": "URL"}, {"website"}),
])
def test_findings_filter(people, role_api_client, query, columns):
    listed = results(role_api_client(Role.VIEWER).get(FINDINGS, query))
    assert {f["column_name"] for f in listed} == columns


@pytest.mark.parametrize("role", [Role.STEWARD, Role.PRIVACY_OFFICER, Role.ADMIN])
def test_reviewers_confirm_a_finding(people, role_api_client, role):
    client = role_api_client(role)
    response = client.post(review_url(email_finding()), {"decision": "confirm", "note": "ok"}, format="json")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["status"] == FindingStatus.CONFIRMED and body["reviewer"] == client.user.username
    assert PiiAuditEvent.objects.filter(action=AuditAction.REVIEW, actor=client.user).count() == 1


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR, None])
def test_other_roles_cannot_review(people, role_api_client, role):
    response = role_api_client(role).post(review_url(email_finding()), {"decision": "reject"}, format="json")
    assert response.status_code == 403
    assert email_finding().status == FindingStatus.SUGGESTED


def test_a_bad_decision_is_a_clear_400(people, role_api_client):
    client = role_api_client(Role.STEWARD)
    response = client.post(review_url(email_finding()), {"decision": "maybe"}, format="json")
    assert response.status_code == 400 and "decision" in response.json()


def test_bulk_review(people, role_api_client):
    ids = list(PiiFinding.objects.filter(entity="EMAIL_ADDRESS").values_list("pk", flat=True))
    response = role_api_client(Role.STEWARD).post(BULK, {"ids": ids, "decision": "reject"}, format="json")
    assert response.status_code == 200, response.content
    assert {f["status"] for f in response.json()} == {FindingStatus.REJECTED}
    assert PiiFinding.objects.filter(pk__in=ids, status=FindingStatus.REJECTED).count() == len(ids)


def test_bulk_review_names_unknown_ids(people, role_api_client):
    response = role_api_client(Role.STEWARD).post(BULK, {"ids": [email_finding().pk, 999999],
                                                         "decision": "confirm"}, format="json")
    assert response.status_code == 400 and "999999" in response.json()["detail"]
    assert email_finding().status == FindingStatus.SUGGESTED


class TestMaskingPolicyAPI(APIViewTestCases.APIViewTestCase):
    model = MaskingPolicy
    api_base = "api:pii-policy"
    brief_fields = ("id", "entity", "action", "visible_chars")
    create_data = ({"entity": "EMPLOYEE_ID", "action": MaskingAction.HASH},
                   {"entity": "BADGE_NUMBER", "action": MaskingAction.REDACT})
    update_data = {"action": MaskingAction.ENCRYPT}
    roles_allowed_to_write = (Role.PRIVACY_OFFICER,)

    def make_objects(self):
        return [MaskingPolicy.objects.create(entity=f"TEST_ENTITY_{n}", action=MaskingAction.MASK)
                for n in range(3)]


def test_policy_changes_are_audited(role_api_client):
    client = role_api_client(Role.PRIVACY_OFFICER)
    body = {"entity": "EMPLOYEE_ID", "action": "hash"}
    created = client.post(reverse("api:pii-policy-list"), body, format="json")
    assert created.status_code == 201, created.content
    url = reverse("api:pii-policy-detail", args=[created.json()["id"]])
    assert client.patch(url, {"action": "drop"}, format="json").status_code == 200
    events = list(PiiAuditEvent.objects.filter(action=AuditAction.POLICY).order_by("at"))
    assert [e.actor for e in events] == [client.user, client.user]
    assert events[1].detail["changes"] == {"action": ["hash", "drop"]}
    assert MaskingPolicy.objects.get(entity="EMPLOYEE_ID").updated_by == client.user


def test_overrides_are_for_privacy_officers(people, role_api_client):
    column = email_finding().column
    url = reverse("api:pii-override-list")
    body = {"column": column.pk, "action": "redact", "reason": "joins not needed"}
    assert role_api_client(Role.STEWARD).post(url, body, format="json").status_code == 403
    response = role_api_client(Role.PRIVACY_OFFICER).post(url, body, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["column_name"] == "email"
    assert PiiAuditEvent.objects.filter(action=AuditAction.OVERRIDE, column=column).exists()


def test_stewards_define_recognizers_and_bad_regexes_are_refused(role_api_client):
    url = reverse("api:pii-recognizer-list")
    good = {"name": "Employee id", "entity": "EMPLOYEE_ID", "regex": r"EMP-[0-9]{6}",
            "context": "employee, staff"}
    assert role_api_client(Role.VIEWER).post(url, good, format="json").status_code == 403
    response = role_api_client(Role.STEWARD).post(url, good, format="json")
    assert response.status_code == 201, response.content
    assert CustomRecognizer.objects.get(entity="EMPLOYEE_ID").context_words == ("employee", "staff")
    bad = role_api_client(Role.STEWARD).post(url, {**good, "name": "Bad", "regex": "EMP-[0-9"}, format="json")
    assert bad.status_code == 400 and "regex" in bad.json()
    empty = role_api_client(Role.STEWARD).post(url, {**good, "name": "Empty", "regex": "x*"}, format="json")
    assert empty.status_code == 400


def test_privacy_officers_decrypt_and_it_is_audited(role_api_client):
    token = crypto.encrypt("4111 1111 1111 1111")
    client = role_api_client(Role.PRIVACY_OFFICER)
    response = client.post(DECRYPT, {"value": token, "reason": "chargeback 7781"}, format="json")
    assert response.status_code == 200 and response.json() == {"value": "4111 1111 1111 1111"}
    event = PiiAuditEvent.objects.get(action=AuditAction.DECRYPT)
    assert event.actor == client.user and event.detail["ok"] and event.detail["reason"] == "chargeback 7781"


@pytest.mark.parametrize("role", [Role.VIEWER, Role.OPERATOR, Role.STEWARD, None])
def test_others_cannot_decrypt(role_api_client, role):
    response = role_api_client(role).post(DECRYPT, {"value": crypto.encrypt("secret")}, format="json")
    assert response.status_code == 403
    assert not PiiAuditEvent.objects.filter(action=AuditAction.DECRYPT).exists()


def test_a_value_that_is_not_a_token_is_a_400_and_audited(role_api_client):
    response = role_api_client(Role.PRIVACY_OFFICER).post(DECRYPT, {"value": "not-a-token"}, format="json")
    assert response.status_code == 400 and "ATLAS_ENCRYPTION_KEYS" in response.json()["detail"]
    assert PiiAuditEvent.objects.get(action=AuditAction.DECRYPT).detail["ok"] is False


@pytest.mark.parametrize(("role", "status"),
                         [(Role.PRIVACY_OFFICER, 200), (Role.STEWARD, 403), (Role.VIEWER, 403)])
def test_the_audit_log_is_for_privacy_officers(role_api_client, role, status):
    assert role_api_client(role).get(reverse("api:pii-audit-list")).status_code == status
