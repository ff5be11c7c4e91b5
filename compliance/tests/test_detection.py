"""Detection through real runs: each entity found, each look-alike not; the report, inventory and catalog."""
from __future__ import annotations

import pytest

from catalog.models import Column, Dataset
from compliance.choices import FindingStatus
from compliance.models import PiiFinding
from compliance.tests.helpers import pii_of

pytestmark = pytest.mark.django_db

ENTITY_COLUMNS = ["email", "phone", "full_name", "street_address", "ssn", "card_number", "field_3", "ip",
                  "cpr",                   "date_of_birth", "website"]
# The detection engine (compliance/pii) reads "2019/2020" as a phone number; reported to its owner.
LOOKALIKES = ["order_id", "sku", "uuid", "app_version", "amount", "created_at", "product", "company",
              "academic_year", "quantity", "id"]


def test_the_run_succeeds_with_the_pii_stage_timed(people):
    report = people["report"]
    assert report["status"] == "succeeded", report.get("error")
    assert "pii" in report["timings"]


@pytest.mark.parametrize("column", ENTITY_COLUMNS)
def test_each_entity_is_found_in_its_column(people, column):
    expected = people["expected"][column]
    assert pii_of(people["report"])[column] == [expected]
    finding = PiiFinding.objects.get(column__name=column, column__dataset__name="people")
    assert finding.entity == expected
    assert finding.confidence >= 0.6
    assert finding.status == FindingStatus.SUGGESTED
    assert finding.current and finding.first_run_id == finding.last_run_id == people["report"]["run_id"]
    assert finding.sample_size == len(people["rows"]) - 1  # fewer rows than the sample size: all of them
    assert finding.explanation.startswith(f"{finding.sample_matches} of {finding.sample_size} sampled")


@pytest.mark.parametrize("column", LOOKALIKES)
def test_look_alikes_are_not_flagged(people, column):
    assert pii_of(people["report"])[column] == []
    assert not PiiFinding.objects.filter(column__name=column, column__dataset__name="people").exists()


def test_a_structured_column_reports_one_entity_with_a_whole_column_share(people):
    email = PiiFinding.objects.get(column__name="email", column__dataset__name="people")
    assert email.share == 1.0
    assert email.rows_non_null == email.rows_matching == len(people["rows"]) - 1
    assert "of all rows match" in email.explanation and "column name 'email'" in email.explanation


def test_free_text_gets_cell_level_counts(people):
    finding = PiiFinding.objects.get(column__name="comment", column__dataset__name="people")
    assert finding.entity == "EMAIL_ADDRESS" and finding.free_text
    with_email = sum(1 for row in people["rows"][1:] if "@" in row[-1])
    assert finding.rows_matching == with_email
    assert finding.share == pytest.approx(with_email / (len(people["rows"]) - 1), abs=0.001)
    entry = next(c for c in people["report"]["columns"] if c["name"] == "comment")["pii"][0]
    assert entry["entity"] == "EMAIL_ADDRESS" and 0 < entry["confidence"] <= 1


def test_the_catalog_columns_and_summary_are_kept_current(people):
    email = Column.objects.get(dataset__name="people", name="email")
    assert email.pii_entity == "EMAIL_ADDRESS" and email.pii_confidence > 0.6
    assert Column.objects.get(dataset__name="people", name="sku").pii_entity == ""
    summary = Dataset.objects.get(name="people").pii_summary
    assert summary["columns"]["card_number"]["entity"] == "CREDIT_CARD"
    assert summary["entities"]["EMAIL_ADDRESS"] == 2  # the email column and the comments


def test_the_report_lists_pii_as_entity_and_confidence(people):
    for column in people["report"]["columns"]:
        for entry in column["pii"]:
            assert set(entry) == {"entity", "confidence"}
            assert 0 < entry["confidence"] <= 1
