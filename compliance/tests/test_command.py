"""``manage.py atlas_pii_scan``: rescanning without re-ingesting, with custom recognizers from the admin."""
from __future__ import annotations

import json
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from compliance.choices import AuditAction, FindingStatus
from compliance.models import CustomRecognizer, PiiAuditEvent, PiiFinding
from compliance.services.review import review
from compliance.tests.helpers import faker

pytestmark = pytest.mark.django_db(transaction=True)


def scan(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("atlas_pii_scan", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def staff_rows(rows: int = 60) -> list[list[str]]:
    fake = faker(9)
    return [["badge", "email", "team"]] + [
        [f"EMP-{100000 + n}", fake.email(), fake.random_element(["ops", "sales", "data"])]
        for n in range(rows)
    ]


def test_a_rescan_prints_progress_and_a_table_and_keeps_decisions(load, role_user):
    report = load("staff", staff_rows())
    review(PiiFinding.objects.filter(column__name="email"), "confirm", role_user("steward"))
    out, err = scan("staff")
    assert "% sampling" in err and "100.0% done" in err
    assert out.splitlines()[0].split() == ["column", "entity", "confidence", "share", "status", "explanation"]
    assert "email   EMAIL_ADDRESS" in out and "confirmed" in out
    assert f"(run {report['run_id']}, 60 rows)" in out
    assert PiiFinding.objects.get(column__name="email").status == FindingStatus.CONFIRMED
    assert PiiAuditEvent.objects.filter(action=AuditAction.RESCAN).count() == 1


def test_a_custom_recognizer_is_used_by_the_next_scan(load):
    load("staff", staff_rows())
    assert not PiiFinding.objects.filter(column__name="badge").exists()
    CustomRecognizer.objects.create(name="Employee badge", entity="EMPLOYEE_ID", regex=r"EMP-[0-9]{6}",
                                    context="badge, employee", score=0.8)
    out, _ = scan("staff", "--format", "json")
    found = {f["column"]: f for f in json.loads(out)["findings"]}
    assert found["badge"]["entity"] == "EMPLOYEE_ID" and found["badge"]["share"] == 1.0
    badge = PiiFinding.objects.get(column__name="badge")
    assert badge.column.pii_entity == "EMPLOYEE_ID"  # the catalog follows the rescan


def test_unknown_dataset_is_a_clear_error(clean_warehouse):
    with pytest.raises(CommandError, match="No dataset 'nope'"):
        scan("nope")


def test_the_bi_role_reads_navigate_only(load):
    import os

    from django.db import connection

    load("staff", staff_rows(10))
    role = f"atlas_bi_test_{os.getpid()}"  # roles are cluster-wide: one per test process
    out = StringIO()
    try:
        call_command("atlas_bi_role", role=role, stdout=out)
        assert role in out.getvalue()
        with connection.cursor() as cursor:
            cursor.execute("SELECT has_table_privilege(%(r)s, 'navigate.staff', 'SELECT'), "
                           "has_schema_privilege(%(r)s, 'chart', 'USAGE'), "
                           "has_table_privilege(%(r)s, 'chart.staff', 'SELECT'), "
                           "has_schema_privilege(%(r)s, 'explore', 'USAGE')", {"r": role})
            assert cursor.fetchone() == (True, False, False, False)
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f'DROP OWNED BY "{role}"')
            cursor.execute(f'DROP ROLE IF EXISTS "{role}"')
