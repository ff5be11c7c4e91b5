"""History: the mean ± kσ check across runs, trends, and what got worse since the last run."""

from __future__ import annotations

import pytest

from pipeline.choices import RunStatus
from quality.choices import CheckKind, CheckOutcome
from quality.models import QualityReport
from quality.services.history import regressions, trend
from quality.tests.factories import CheckResultFactory, QualityReportFactory
from quality.tests.helpers import dataset, ingest_json, order_rows, rules_for


def history_checks(report: dict) -> dict[str, dict]:
    return {c["name"]: c for c in report["quality"]["checks"] if c["kind"] == CheckKind.HISTORY}


@pytest.mark.usefixtures("clean_warehouse")
def test_history_check_flags_an_outlier_run(tmp_path):
    rules_for(
        "orders",
        history_metrics=[
            {"metric": "row_count"},
            {"metric": "mean", "column": "qty"},
            {"metric": "null_share", "column": "email"},
        ],
        history_runs=5,
    )
    for n in (20, 21, 19, 20):
        report, error = ingest_json(tmp_path, "orders", order_rows(n), force=True)
        assert error is None
    checks = history_checks(report)
    assert checks["row_count"]["outcome"] == CheckOutcome.PASS
    assert checks["row_count"]["details"]["history_size"] == 3

    report, error = ingest_json(tmp_path, "orders", order_rows(200), force=True)
    assert error is None and report["status"] == RunStatus.SUCCEEDED  # the history gate warns by default
    checks = history_checks(report)
    flagged = checks["row_count"]
    assert flagged["outcome"] == CheckOutcome.FAIL and flagged["value"] == 200
    assert "outside" in flagged["message"]
    assert checks["mean(qty)"]["outcome"] == CheckOutcome.PASS  # every mean was 2: unchanged
    assert any(
        w.startswith("Quality gate: History check 'row_count' failed (value 200)") for w in report["warnings"]
    )
    stored = QualityReport.objects.get(run_id=report["run_id"])
    assert stored.metrics["row_count"] == 200.0
    assert stored.metrics["null_share(email)"] == pytest.approx(1 / 200)


@pytest.mark.usefixtures("clean_warehouse")
def test_history_gate_can_block(tmp_path):
    rules_for("orders", history_gate="block", history_runs=3)
    for n in (10, 11, 10, 11):
        _, error = ingest_json(tmp_path, "orders", order_rows(n), force=True)
        assert error is None
    report, error = ingest_json(tmp_path, "orders", order_rows(500), force=True)
    assert report["status"] == RunStatus.FAILED
    assert "History check 'row_count' failed (value 500)" in error


@pytest.mark.usefixtures("clean_warehouse")
def test_history_is_skipped_until_enough_runs(tmp_path):
    report, _ = ingest_json(tmp_path, "orders", order_rows(5))
    check = history_checks(report)["row_count"]
    assert check["outcome"] == CheckOutcome.SKIPPED and "needs at least" in check["message"]


@pytest.mark.django_db
def test_trend_is_oldest_first():
    first = QualityReportFactory(scores={"completeness": 0.9})
    second = QualityReportFactory(run__dataset=first.dataset, scores={"completeness": 0.8})
    points = trend(first.dataset)
    assert [p.report_id for p in points] == [first.pk, second.pk]
    assert points[1].scores["completeness"] == 0.8


@pytest.mark.django_db
def test_what_got_worse_since_the_last_run():
    before = QualityReportFactory(scores={"completeness": 0.99, "validity": 0.95})
    CheckResultFactory(report=before, name="row_count > 0", outcome=CheckOutcome.PASS)
    after = QualityReportFactory(run__dataset=before.dataset, scores={"completeness": 0.90, "validity": 0.96})
    CheckResultFactory(report=after, name="row_count > 0", outcome=CheckOutcome.FAIL)
    found = {(r.kind, r.name, r.dimension): r for r in regressions(after)}
    dimension = found[("dimension", "completeness", "completeness")]
    assert dimension.before == 0.99 and dimension.after == 0.90 and dimension.newly_failing
    assert ("column", "email", "completeness") in found
    assert ("dimension", "validity", "validity") not in found  # it got better
    assert found[("check", "row_count > 0", None)].after == CheckOutcome.FAIL
    assert regressions(before) == []  # the first report has nothing to compare with


@pytest.mark.usefixtures("clean_warehouse")
def test_regressions_between_two_real_runs(tmp_path):
    ingest_json(tmp_path, "orders", order_rows(10, missing_email=0))
    ingest_json(tmp_path, "orders", order_rows(10, missing_email=5), force=True)
    latest = QualityReport.objects.filter(dataset=dataset("orders")).first()
    worse = {(r.kind, r.name) for r in regressions(latest)}
    assert {("dimension", "completeness"), ("column", "email")} <= worse
