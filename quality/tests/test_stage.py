"""The quality stage in the real pipeline: report shape, stored reports, and both gate modes."""

from __future__ import annotations

import pytest

from pipeline.choices import RunStatus
from pipeline.models import PipelineRun
from pipeline.tests.factories import layer_count
from quality.choices import GateOutcome, ReportSource
from quality.engine import DIMENSIONS
from quality.models import QualityReport
from quality.tests.helpers import dataset, ingest_json, order_rows, rules_for

pytestmark = pytest.mark.usefixtures("clean_warehouse")


def test_report_shape_in_atlas_ingest_json(tmp_path):
    report, error = ingest_json(tmp_path, "orders", order_rows(5))
    assert error is None
    quality = report["quality"]
    assert set(quality["dimensions"]) == set(DIMENSIONS)
    for name in DIMENSIONS:
        part = quality["dimensions"][name]
        assert 0.0 <= part["score"] <= 1.0
        assert {"score", "threshold", "passed", "columns", "rules"} <= set(part)
        assert part["passed"] == (part["score"] >= part["threshold"])
    # columns are keyed by the original column names, rules by their names
    assert quality["dimensions"]["completeness"]["columns"]["email"] == pytest.approx(0.8)
    assert quality["dimensions"]["completeness"]["columns"]["order_id"] == 1.0
    assert quality["dimensions"]["consistency"]["rules"]["start_date <= end_date"] == pytest.approx(0.8)
    assert quality["overall_score"] == pytest.approx(
        sum(quality["dimensions"][d]["score"] for d in DIMENSIONS) / 6
    )
    assert quality["gate"]["outcome"] == GateOutcome.WARNED
    assert quality["checks"] == [
        {**quality["checks"][0], "kind": "history", "name": "row_count", "outcome": "skipped"}
    ]

    stored = QualityReport.objects.get(pk=quality["report_id"])
    assert stored.run_id == report["run_id"] and stored.source == ReportSource.PIPELINE
    assert stored.completeness_score == pytest.approx(quality["dimensions"]["completeness"]["score"])
    assert stored.overall_score == pytest.approx(quality["overall_score"])
    assert stored.metrics == {"row_count": 5.0}
    assert dataset("orders").quality_score == pytest.approx(quality["overall_score"])


def test_warn_gate_publishes_with_a_warning(tmp_path):
    report, error = ingest_json(tmp_path, "orders", order_rows(5))  # consistency 0.8 < 0.9, gate warn
    assert error is None and report["status"] == RunStatus.SUCCEEDED
    assert "Quality gate: consistency 0.800 < 0.9 (published with a warning)." in report["warnings"]
    assert layer_count("navigate", "orders") == 5
    stored = QualityReport.objects.get(run_id=report["run_id"])
    assert stored.gate == GateOutcome.WARNED
    assert stored.gate_reasons == ["consistency 0.800 < 0.9"]


def test_block_gate_fails_the_run_with_the_reason_and_publishes_nothing(tmp_path):
    rules_for("orders", completeness_threshold=0.99, completeness_gate="block", consistency_gate="block")
    report, error = ingest_json(tmp_path, "orders", order_rows(5))
    assert report["status"] == RunStatus.FAILED
    assert error.startswith(
        "Quality gate blocked publishing: completeness 0.978 < 0.99; consistency 0.800 < 0.9."
    )
    run = PipelineRun.objects.get(pk=report["run_id"])
    assert run.error == report["error"] and "set these gates to warn" in run.error
    assert layer_count("navigate", "orders") == 0
    assert layer_count("chart", "orders") == 0
    assert not QualityReport.objects.filter(run=run).exists()


def test_block_gate_lets_a_clean_run_through(tmp_path):
    rules_for("orders", completeness_gate="block", consistency_gate="block")
    report, error = ingest_json(tmp_path, "orders", order_rows(5, missing_email=0, bad_dates=0))
    assert error is None
    assert report["quality"]["gate"] == {"outcome": "passed", "blocking": [], "warnings": []}
    assert layer_count("navigate", "orders") == 5


def test_declared_rules_reference_values_and_semantic_types_are_applied(tmp_path):
    rules_for(
        "orders",
        cross_field_rules=[{"name": "total", "kind": "equation", "expression": "total = qty * unit_price"}],
        reference_values={"status": {"allowed_values": ["new", "paid"]}, "qty": {"min": 0, "max": 1}},
        semantic_types={"email": "email"},
    )
    rows = order_rows(4, missing_email=0, bad_dates=0)
    rows[1][1] = "not-an-email"
    rows[2][4] = "99.00"  # total ≠ qty × unit_price
    report, error = ingest_json(tmp_path, "orders", rows)
    assert error is None
    dims = report["quality"]["dimensions"]
    assert dims["validity"]["columns"]["email"] == pytest.approx(0.75)
    assert dims["consistency"]["rules"]["total"] == pytest.approx(0.75)
    assert dims["accuracy"]["columns"]["qty"] == 0.0  # every qty is 2, above the reference max of 1


def test_rule_naming_a_column_missing_from_the_run_is_a_warning(tmp_path):
    rules_for(
        "orders",
        cross_field_rules=[
            {"name": "ghost", "kind": "order", "left": "start_date", "op": "<=", "right": "end_date"}
        ],
    )
    rows = [[c for c in row if c is not None] for row in order_rows(3, bad_dates=0)]
    rows = [row[:5] + row[6:] for row in rows]  # no end_date in this file
    report, error = ingest_json(tmp_path, "orders", rows)
    assert error is None
    assert any(w.startswith("Consistency rule 'ghost' was not checked") for w in report["warnings"])


def test_timeliness_column_and_max_age_come_from_the_rules(tmp_path):
    rules_for("orders", timeliness_column="start_date", max_age_days=30, timeliness_gate="block")
    report, error = ingest_json(tmp_path, "orders", order_rows(3, bad_dates=0))  # start_date 2025-01-01
    assert report["status"] == RunStatus.FAILED
    assert "timeliness 0.000 < 0.9" in error


def test_pii_findings_turn_on_format_rules(tmp_path):
    rows = order_rows(20, missing_email=0, bad_dates=0)
    rows[3][1] = "jane.doe.example.com"
    report, error = ingest_json(tmp_path, "orders", rows)
    assert error is None
    email = next(c for c in report["columns"] if c["name"] == "email")
    assert [f["entity"] for f in email["pii"]][:1] == ["EMAIL_ADDRESS"]
    validity = report["quality"]["dimensions"]["validity"]
    assert validity["columns"]["email"] == pytest.approx(19 / 20)
    assert validity["details"]["per_column"]["email"]["invalid format email"] == 1
    assert QualityReport.objects.get(run_id=report["run_id"]).pii_columns >= 1
