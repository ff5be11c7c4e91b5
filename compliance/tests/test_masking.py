"""Masking in navigate through real runs: policies, free text, overrides, decisions; explore/chart raw."""
from __future__ import annotations

import datetime

import pytest
from django.test import override_settings

from atlas import warehouse
from catalog.models import Column
from compliance.choices import MaskingAction
from compliance.models import ColumnMaskingOverride, MaskingPolicy, PiiFinding
from compliance.services import crypto
from compliance.services.review import review
from compliance.tests.helpers import layer_rows, people_rows

pytestmark = pytest.mark.django_db(transaction=True)

POLICIES = {
    "EMAIL_ADDRESS": MaskingAction.HASH,
    "PHONE_NUMBER": MaskingAction.MASK,
    "US_SSN": MaskingAction.REDACT,
    "CREDIT_CARD": MaskingAction.ENCRYPT,
    "IP_ADDRESS": MaskingAction.DROP,
    "URL": MaskingAction.KEEP,
    "DATE_OF_BIRTH": MaskingAction.MASK,
    "PERSON": MaskingAction.HASH,
    "LOCATION": MaskingAction.REDACT,
    "IBAN_CODE": MaskingAction.MASK,
    "DK_CPR": MaskingAction.HASH,
}
ROWS = 120


def set_policies(policies: dict[str, str]) -> None:
    for entity, action in policies.items():
        MaskingPolicy.objects.update_or_create(entity=entity, defaults={"action": action, "visible_chars": 4})


def by_row(schema: str, columns: list[str]) -> dict[int, dict]:
    return {row[0]: dict(zip(columns, row[1:], strict=True))
            for row in layer_rows(schema, "people", ["_atlas_row", *columns])}


@pytest.fixture(params=[False, True], ids=["serial", "parallel-reads"])
def masked(request, load):
    if request.param:  # a large first load is published by parallel workers
        request.getfixturevalue("parallel_reads")
    set_policies(POLICIES)
    rows, _, _ = people_rows(ROWS)
    report = load("people", rows)
    assert report["status"] == "succeeded", report.get("error")
    return report


def test_every_policy_is_visible_in_navigate(masked):
    columns = ["email", "phone", "ssn", "card_number", "website", "date_of_birth", "full_name",
               "street_address",                "field_3", "cpr", "sku"]
    chart, navigate = by_row("chart", columns), by_row("navigate", [c for c in columns])
    key = crypto.conf.pseudonym_key()
    for row, raw in chart.items():
        out = navigate[row]
        assert out["email"] == crypto.pseudonym(raw["email"], key)  # keyed HMAC-SHA256, same as Python's
        assert out["full_name"] == crypto.pseudonym(raw["full_name"], key)
        assert out["cpr"] == crypto.pseudonym(raw["cpr"], key)
        assert out["phone"] == "****" + raw["phone"][-4:]
        assert out["field_3"] == "****" + raw["field_3"][-4:]
        assert out["ssn"] is None and out["street_address"] is None
        assert out["card_number"] != raw["card_number"]
        assert crypto.decrypt(out["card_number"]) == str(raw["card_number"])  # 16 digits: a bigint in chart
        assert out["website"] == raw["website"]
        assert out["date_of_birth"] == datetime.date(raw["date_of_birth"].year, 1, 1)
        assert out["sku"] == raw["sku"]  # a look-alike is never touched


def test_drop_removes_the_column_from_navigate_only(masked):
    cursor = warehouse.raw_cursor()
    assert "ip" not in warehouse.table_columns(cursor, "navigate", "people")
    assert "ip" in warehouse.table_columns(cursor, "chart", "people")


def test_explore_and_chart_keep_raw_values(masked):
    rows, _, _ = people_rows(ROWS)
    header = rows[0]
    explore = layer_rows("explore", "people", ["email", "ssn", "card_number", "comment"])
    for raw, kept in zip(rows[1:], explore, strict=True):
        assert kept == tuple(raw[header.index(name)] for name in ("email", "ssn", "card_number", "comment"))
    chart = layer_rows("chart", "people", ["email", "ssn"])
    assert all("@" in email and ssn for email, ssn in chart)


def test_free_text_masks_only_the_flagged_spans(masked):
    chart = by_row("chart", ["comment"])
    navigate = by_row("navigate", ["comment"])
    key = crypto.conf.pseudonym_key()
    changed = 0
    for row, raw in chart.items():
        text = raw["comment"]
        if " Write to " in text:
            email = text.split(" Write to ")[1].split(" before ")[0]
            assert navigate[row]["comment"] == text.replace(email, crypto.pseudonym(email, key))
            changed += 1
        else:
            assert navigate[row]["comment"] == text
    assert changed == ROWS // 3


def test_findings_record_what_navigate_did(masked):
    masking = dict(PiiFinding.objects.filter(dataset__name="people").values_list("column__name", "masking"))
    assert masking["email"] == MaskingAction.HASH and masking["comment"] == MaskingAction.HASH
    assert masking["ip"] == MaskingAction.DROP and masking["website"] == MaskingAction.KEEP
    assert masking["card_number"] == MaskingAction.ENCRYPT


def test_rejected_findings_do_not_mask_and_overrides_win(load, role_user):
    set_policies(POLICIES)
    rows, _, _ = people_rows(ROWS)
    load("people", rows)
    steward = role_user("steward")
    review(PiiFinding.objects.filter(column__name="email"), "reject", steward)
    sku = Column.objects.get(dataset__name="people", name="sku")
    ColumnMaskingOverride.objects.create(column=sku, action=MaskingAction.MASK, visible_chars=2)
    phone = Column.objects.get(dataset__name="people", name="phone")
    ColumnMaskingOverride.objects.create(column=phone, action=MaskingAction.KEEP)
    report = load("people", rows, mode="replace")
    assert report["status"] == "succeeded", report.get("error")
    chart = by_row("chart", ["email", "sku", "phone"])
    latest = max(r for r, in layer_rows("navigate", "people", ["_atlas_row"]))
    navigate = by_row("navigate", ["email", "sku", "phone"])
    assert latest in navigate
    for row, out in navigate.items():
        raw = chart[row]
        assert out["email"] == raw["email"]  # rejected: published as is
        assert out["sku"] == "****" + raw["sku"][-2:]  # override on a column without a finding
        assert out["phone"] == raw["phone"]  # override keeps a column its policy would mask
    email = next(c for c in report["columns"] if c["name"] == "email")
    assert email["pii"] == []  # a rejected finding is not reported as PII


@override_settings(ATLAS_PII_MASK_SUGGESTED_CONFIDENCE=1.01)
def test_only_confirmed_findings_mask_when_the_threshold_is_out_of_reach(load, role_user):
    set_policies(POLICIES)
    rows, _, _ = people_rows(60)
    load("people", rows)
    navigate = by_row("navigate", ["email", "phone"])
    chart = by_row("chart", ["email", "phone"])
    assert all(navigate[r] == chart[r] for r in chart)  # nothing confirmed yet: nothing masked
    review(PiiFinding.objects.filter(column__name="phone"), "confirm", role_user("steward"))
    load("people", rows, mode="replace")
    navigate = by_row("navigate", ["email", "phone"])
    chart = by_row("chart", ["email", "phone"])
    for row, out in navigate.items():
        assert out["phone"] == "****" + chart[row]["phone"][-4:]
        assert out["email"] == chart[row]["email"]
