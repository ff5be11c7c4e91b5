"""``manage.py atlas_quality DATASET``: check the latest run again without re-ingesting."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from pipeline.tests.factories import layer_count
from quality.choices import ReportSource
from quality.models import QualityReport
from quality.tests.helpers import dataset, ingest_json, order_rows, rules_for

pytestmark = pytest.mark.usefixtures("clean_warehouse")


def test_recheck_prints_a_table_and_stores_a_report(tmp_path):
    report, _ = ingest_json(tmp_path, "orders", order_rows(5))
    out = io.StringIO()
    call_command("atlas_quality", "orders", stdout=out)
    text = out.getvalue()
    assert f"run {report['run_id']}" in text
    for name in ("completeness", "uniqueness", "timeliness", "validity", "accuracy", "consistency"):
        assert name in text
    assert "gate: warned" in text
    again = QualityReport.objects.get(source=ReportSource.RECHECK)
    assert again.run_id == report["run_id"]
    assert again.overall_score == pytest.approx(report["quality"]["overall_score"])
    assert layer_count("chart", "orders") == 5  # nothing was ingested


def test_recheck_applies_todays_rules_and_exits_1_when_a_gate_blocks(tmp_path):
    ingest_json(tmp_path, "orders", order_rows(5))
    rules_for(
        "orders",
        completeness_threshold=0.99,
        completeness_gate="block",
        sodacl="checks for orders:\n  - row_count = 5\n",
    )
    out = io.StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("atlas_quality", "orders", stdout=out)
    assert caught.value.returncode == 1
    assert str(caught.value).startswith("Quality gate blocked publishing: completeness 0.978 < 0.99.")
    assert "row_count = 5" in out.getvalue()
    assert layer_count("navigate", "orders") == 5  # a re-check publishes and withdraws nothing
    assert dataset("orders").quality_score == pytest.approx(QualityReport.objects.first().overall_score)


def test_recheck_json_output(tmp_path):
    ingest_json(tmp_path, "orders", order_rows(5))
    out = io.StringIO()
    call_command("atlas_quality", "orders", output="json", stdout=out)
    data = json.loads(out.getvalue())
    assert data["source"] == "recheck" and "consistency" in data["dimensions"]


def test_unknown_dataset_and_dataset_without_runs(tmp_path):
    with pytest.raises(CommandError, match="No dataset named 'nope'"):
        call_command("atlas_quality", "nope")
    rules_for("empty")
    with pytest.raises(CommandError, match="no succeeded run"):
        call_command("atlas_quality", "empty")
