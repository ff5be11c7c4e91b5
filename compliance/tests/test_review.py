"""Stewards' decisions across real runs: they stick, unless the column's content changes materially."""
from __future__ import annotations

import pytest

from catalog.models import Column
from compliance.choices import AuditAction, FindingStatus
from compliance.models import PiiAuditEvent, PiiFinding
from compliance.services.review import review
from compliance.tests.helpers import faker

pytestmark = pytest.mark.django_db(transaction=True)


def contacts(rows: int = 80, *, emails: float = 1.0, phones_in_email: bool = False,
             seed: int = 5) -> list[list]:
    """id, email, phone: ``emails`` of the email column are addresses, the rest order codes (or phones)."""
    fake = faker(seed)
    data = [["id", "email", "phone"]]
    for number in range(1, rows + 1):
        if phones_in_email:
            email = fake.phone_number()
        elif number <= emails * rows:
            email = fake.email()
        else:
            email = f"ORD-{100000 + number}"
        data.append([str(number), email, fake.phone_number()])
    return data


def finding(column: str) -> PiiFinding:
    return PiiFinding.objects.select_related("column").get(column__name=column,
                                                          column__dataset__name="contacts")


def test_a_decision_survives_a_rerun(load, role_user):
    steward = role_user("steward")
    first = load("contacts", contacts())
    review([finding("email")], "confirm", steward, note="customer e-mails")
    review([finding("phone")], "reject", steward, note="switchboard numbers")
    second = load("contacts", contacts())
    email, phone = finding("email"), finding("phone")
    assert email.status == FindingStatus.CONFIRMED and email.reviewer == steward
    assert email.first_run_id == first["run_id"] and email.last_run_id == second["run_id"]
    assert email.review_note == "customer e-mails"
    assert phone.status == FindingStatus.REJECTED and phone.current
    assert [c["pii"] for c in second["columns"] if c["name"] == "phone"] == [[]]
    assert Column.objects.get(dataset__name="contacts", name="phone").pii_entity == ""
    assert not PiiAuditEvent.objects.filter(action=AuditAction.RESUGGEST).exists()


def test_a_share_that_moves_a_lot_re_suggests_the_finding(load, role_user):
    load("contacts", contacts())
    review([finding("email")], "confirm", role_user("steward"))
    load("contacts", contacts(emails=0.5))
    email = finding("email")
    assert email.current and email.share == pytest.approx(0.5, abs=0.02)
    assert email.status == FindingStatus.SUGGESTED
    assert "share of matching values moved from 100% to 50%" in email.review_note
    event = PiiAuditEvent.objects.get(action=AuditAction.RESUGGEST)
    assert event.column.name == "email" and event.detail["was"] == FindingStatus.CONFIRMED


def test_a_small_change_keeps_the_decision(load, role_user):
    load("contacts", contacts())
    review([finding("email")], "reject", role_user("steward"))
    load("contacts", contacts(emails=0.9, seed=6))
    assert finding("email").status == FindingStatus.REJECTED


def test_a_new_winning_entity_re_suggests_and_adds_a_finding(load, role_user):
    load("contacts", contacts())
    review([finding("email")], "reject", role_user("steward"))
    load("contacts", contacts(phones_in_email=True))
    old = PiiFinding.objects.get(column__name="email", entity="EMAIL_ADDRESS")
    assert not old.current and old.status == FindingStatus.SUGGESTED
    assert "main entity changed from EMAIL_ADDRESS to PHONE_NUMBER" in old.review_note
    new = PiiFinding.objects.get(column__name="email", entity="PHONE_NUMBER")
    assert new.current and new.status == FindingStatus.SUGGESTED
