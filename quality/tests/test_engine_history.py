"""History checks (mean ± 3σ of recent runs) and the SQL that measures a run's metrics."""

from __future__ import annotations

import math

import pytest

from quality.engine.history import Metric, check_history, current_metrics
from quality.engine.spec import ColumnSpec
from quality.tests.conftest_engine import conn, make_chart_table, schema  # noqa: F401


def test_value_inside_the_band_passes():
    # mean 100, sample σ = sqrt(((-2)² + 0² + 2²) / 2) = 2 -> band 94 .. 106
    outcome = check_history("row_count", 105, [98, 100, 102])
    assert outcome.outcome == "pass"
    assert (outcome.mean, outcome.stddev) == (100, 2)
    assert (outcome.lower, outcome.upper) == (94, 106)
    assert outcome.history_size == 3


def test_value_outside_the_band_fails_with_a_reason():
    outcome = check_history("row_count", 107, [98, 100, 102])
    assert outcome.outcome == "fail"
    assert outcome.message == "107 is outside 94 .. 106 (mean 100 ± 3σ)"


def test_only_the_last_window_counts_and_gaps_are_ignored():
    history = [1000, 1000, 1000, None, 10, 12, float("nan"), 14]
    outcome = check_history("mean(amount)", 13, history, window=3)
    assert outcome.history_size == 3 and outcome.mean == 12
    assert outcome.outcome == "pass"


def test_short_history_is_skipped_not_guessed():
    outcome = check_history("row_count", 5, [1, 2], min_history=3)
    assert outcome.outcome == "skipped"
    assert "needs at least 3 earlier runs, has 2" in outcome.message


def test_stable_history_flags_any_change():
    assert check_history("null_share(email)", 0.0, [0.0, 0.0, 0.0]).outcome == "pass"
    assert check_history("null_share(email)", 0.01, [0.0, 0.0, 0.0]).outcome == "fail"


def test_missing_current_value_fails():
    outcome = check_history("mean(amount)", None, [1.0, 2.0, 3.0])
    assert outcome.outcome == "fail" and outcome.message == "no value for this run"


def test_sigmas_are_configurable():
    assert check_history("row_count", 104, [98, 100, 102], sigmas=1).outcome == "fail"


def test_metric_names_round_trip():
    assert Metric("mean", "amount").name == "mean(amount)"
    assert Metric.parse("null_share(email)") == Metric("null_share", "email")
    assert Metric.parse("row_count") == Metric("row_count")
    with pytest.raises(ValueError):
        Metric("row_count", "amount")
    with pytest.raises(ValueError):
        Metric.parse("median(amount)")


def test_current_metrics_in_one_query(conn, schema):  # noqa: F811
    cols = [("amount", "numeric"), ("email", "text")]
    make_chart_table(conn, schema, "t", cols, [(10, "a@x"), (20, ""), (None, None), (30, "b@x")], run_id=7)
    make_chart_table(conn, schema, "t", cols, [(1000, None)], run_id=8)
    columns = [ColumnSpec("Amount", "amount", "numeric"), ColumnSpec("Email", "email", "text")]
    metrics = [Metric("row_count"), Metric("mean", "amount"), Metric("null_share", "email")]
    values = current_metrics(conn, table="t", run_id=7, metrics=metrics, columns=columns, schema=schema)
    assert values == {"row_count": 4.0, "mean(amount)": 20.0, "null_share(email)": 0.5}

    empty = current_metrics(conn, table="t", run_id=99, metrics=metrics, columns=columns, schema=schema)
    assert empty["row_count"] == 0.0 and empty["mean(amount)"] is None and empty["null_share(email)"] is None
    assert not math.isnan(values["mean(amount)"])

    with pytest.raises(ValueError, match="mean needs a numeric column"):
        current_metrics(
            conn, table="t", run_id=7, metrics=[Metric("mean", "email")], columns=columns, schema=schema
        )
