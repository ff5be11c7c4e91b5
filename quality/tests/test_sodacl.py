"""SodaCL on a real Soda Core scan of the run's uncommitted chart rows: pass, fail, gates, safety."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError

from pipeline.choices import RunStatus
from pipeline.tests.factories import layer_count
from quality.choices import CheckKind, CheckOutcome
from quality.models import CheckResult, QualityReport, QualityRuleSet
from quality.tests.helpers import ingest_json, order_rows, rules_for

CHECKS = """checks for orders:
  - row_count = 5
  - missing_count(email) = 0
  - invalid_count(email) = 0:
      valid format: email
  - avg(qty) between 1 and 3
  - duplicate_count(order_id) = 0
"""


def soda_results(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["quality"]["checks"] if c["kind"] == CheckKind.SODA}


@pytest.mark.usefixtures("clean_warehouse")
def test_checks_pass_and_fail_on_this_runs_rows_only(tmp_path):
    rules_for("orders", sodacl=CHECKS, consistency_gate="warn")
    first, error = ingest_json(tmp_path, "orders", order_rows(5))
    assert error is None
    second, error = ingest_json(tmp_path, "orders", order_rows(5), force=True)  # chart now holds 10 rows
    assert error is None
    for report in (first, second):
        results = soda_results(report)
        assert results["row_count = 5"]["outcome"] == "pass" and results["row_count = 5"]["value"] == 5
        assert results["missing_count(email) = 0"]["outcome"] == "fail"
        assert results["missing_count(email) = 0"]["value"] == 1
        assert results["invalid_count(email) = 0"]["outcome"] == "pass"
        assert results["avg(qty) between 1 and 3"]["value"] == 2
        assert results["duplicate_count(order_id) = 0"]["outcome"] == "pass"
        assert "SodaCL check 'missing_count(email) = 0' failed (value 1)" in " ".join(report["warnings"])
    stored = CheckResult.objects.filter(report__run_id=second["run_id"], kind=CheckKind.SODA)
    assert {(c.name, c.outcome, c.value) for c in stored} >= {
        ("row_count = 5", "pass", 5.0),
        ("missing_count(email) = 0", "fail", 1.0),
    }
    failed = stored.get(name="missing_count(email) = 0")
    assert failed.definition == "missing_count(email) = 0" and failed.gate == "warn"
    assert layer_count("navigate", "orders") == 10


@pytest.mark.usefixtures("clean_warehouse")
def test_soda_block_gate_fails_the_run(tmp_path):
    rules_for("orders", sodacl=CHECKS, soda_gate="block")
    report, error = ingest_json(tmp_path, "orders", order_rows(5))
    assert report["status"] == RunStatus.FAILED
    assert "SodaCL check 'missing_count(email) = 0' failed (value 1)" in error
    assert layer_count("navigate", "orders") == 0


@pytest.mark.usefixtures("clean_warehouse")
def test_a_single_check_can_block_while_the_rest_warn(tmp_path):
    rules_for("orders", sodacl=CHECKS, check_gates={"row_count = 5": "block"})
    report, error = ingest_json(tmp_path, "orders", order_rows(6))
    assert report["status"] == RunStatus.FAILED
    assert error.startswith("Quality gate blocked publishing: SodaCL check 'row_count = 5' failed (value 6).")


@pytest.mark.usefixtures("clean_warehouse")
def test_soda_cannot_write_to_the_warehouse(tmp_path):
    sodacl = """checks for orders:
  - failed rows:
      name: sneaky
      fail query: |
        DELETE FROM chart.orders RETURNING *
"""
    rules_for("orders", sodacl=sodacl)
    report, error = ingest_json(tmp_path, "orders", order_rows(5))
    assert error is None and report["status"] == RunStatus.SUCCEEDED
    assert soda_results(report)["sneaky"]["outcome"] == CheckOutcome.ERROR
    assert layer_count("chart", "orders") == 5 and layer_count("navigate", "orders") == 5


@pytest.mark.usefixtures("clean_warehouse")
def test_a_check_that_cannot_run_is_an_error_that_warns_and_the_run_goes_on(tmp_path):
    rules_for("orders", sodacl="checks for orders:\n  - missing_count(no_such_column) = 0\n")
    report, error = ingest_json(tmp_path, "orders", order_rows(5))
    assert error is None and report["status"] == RunStatus.SUCCEEDED
    check = soda_results(report)["missing_count(no_such_column) = 0"]
    assert check["outcome"] == CheckOutcome.ERROR and "no_such_column" in check["message"]
    assert any("could not be evaluated" in w for w in report["warnings"])
    assert layer_count("navigate", "orders") == 5


@pytest.mark.usefixtures("clean_warehouse")
def test_cloud_only_check_saved_behind_validation_is_skipped_with_the_reason(tmp_path):
    rules = rules_for("orders")
    QualityRuleSet.objects.filter(pk=rules.pk).update(
        sodacl="checks for orders:\n  - anomaly detection for row_count\n  - row_count > 0\n"
    )
    report, error = ingest_json(tmp_path, "orders", order_rows(3))
    assert error is None
    results = soda_results(report)
    assert results["row_count > 0"]["outcome"] == "pass"
    skipped = results["anomaly detection for row_count"]
    assert skipped["outcome"] == CheckOutcome.SKIPPED and "needs Soda Cloud" in skipped["message"]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        (
            "checks for orders:\n  - row_count > 0\n  - rowcount >> 0\n",
            'line 3: Invalid check "rowcount >> 0"',
        ),
        ("checks for orders:\n  - row_count > 0\n   - bad: [\n", "line 3: YAML syntax error"),
        (
            "checks for customers:\n  - row_count > 0\n",
            "line 1: checks for 'customers', but this dataset's table",
        ),
        ("checks for orders:\n  - anomaly detection for row_count\n", "needs Soda Cloud"),
        ("checks for orders:\n  - change for row_count < 10%\n", "needs Soda Cloud"),
    ],
)
def test_invalid_sodacl_is_rejected_on_save_with_the_line(text, expected):
    with pytest.raises(ValidationError) as caught:
        rules_for("orders", sodacl=text)
    messages = caught.value.message_dict["sodacl"]
    assert any(expected in m for m in messages), messages
    assert not QualityRuleSet.objects.exists()


@pytest.mark.django_db
def test_cloud_message_points_at_the_history_check():
    with pytest.raises(ValidationError) as caught:
        rules_for("orders", sodacl="checks for orders:\n  - anomaly detection for row_count\n")
    assert "history check" in caught.value.message_dict["sodacl"][0]


@pytest.mark.usefixtures("clean_warehouse")
def test_no_report_is_left_by_a_blocked_run(tmp_path):
    rules_for("orders", sodacl=CHECKS, soda_gate="block")
    ingest_json(tmp_path, "orders", order_rows(5))
    assert not QualityReport.objects.exists()
    assert not CheckResult.objects.exists()
