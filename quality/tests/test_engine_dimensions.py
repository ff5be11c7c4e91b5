"""Each dimension's formula on small tables whose scores were worked out by hand."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest

from quality.engine import DIMENSIONS, ColumnSpec, CrossFieldRule, QualityConfig, measure
from quality.tests.conftest_engine import conn, make_chart_table, make_rejected, schema  # noqa: F401

NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)


def specs(*cols: tuple[str, str], **semantic: str) -> list[ColumnSpec]:
    # Original headers differ from warehouse names, as they do in real runs.
    return [ColumnSpec(name=n.upper(), column=n, pg_type=t, semantic_type=semantic.get(n)) for n, t in cols]


def run(conn, schema, columns, **config):  # noqa: F811
    config.setdefault("now", NOW)
    return measure(conn, table="t", run_id=1, columns=columns, config=QualityConfig(**config), schema=schema)


def test_completeness_counts_null_and_blank_text_as_missing(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("name", "text"), ("amount", "numeric")]
    rows = [(1, "a", 1), (2, "", 2), (3, "  \t", None), (4, None, 4)]
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols)).dimensions["completeness"]
    assert dim.columns == {"ID": 1.0, "NAME": 0.25, "AMOUNT": 0.75}
    assert dim.score == pytest.approx((1.0 + 0.25 + 0.75) / 3)
    assert dim.details["missing"] == {"ID": 0, "NAME": 3, "AMOUNT": 1}
    assert dim.threshold == 0.95 and not dim.passed


def test_uniqueness_key_and_exact_copies(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("v", "text")]
    rows = [(1, "z"), (2, "x"), (2, "x"), (2, "q"), (3, "y"), (None, "w"), (None, "w")]
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols), key=["ID"]).dimensions["uniqueness"]
    # 7 rows, 3 distinct non-null keys, 5 distinct rows.
    assert dim.rules == {"distinct rows": pytest.approx(5 / 7), "distinct key": pytest.approx(3 / 7)}
    assert dim.score == pytest.approx(3 / 7)
    assert dim.columns == {"ID": pytest.approx(3 / 7)}
    assert dim.details["null_key_rows"] == 2
    assert dim.details["duplicate_keys"] == 2
    assert dim.details["duplicate_rows"] == 2

    no_key = run(conn, schema, specs(*cols)).dimensions["uniqueness"]
    assert no_key.score == pytest.approx(5 / 7)
    assert no_key.columns == {}


@pytest.mark.parametrize("rows", [None, 7])
def test_a_keyless_run_counted_by_the_caller_scores_as_one_counted_here(conn, schema, rows):  # noqa: F811
    cols = [("id", "bigint"), ("v", "text")]
    rows_in_table = [(1, "z"), (2, "x"), (2, "x"), (2, "q"), (3, "y"), (4, "w"), (4, "w")]
    make_chart_table(conn, schema, "t", cols, rows_in_table)
    result = measure(conn, table="t", run_id=1, columns=specs(*cols), config=QualityConfig(now=NOW),
                     schema=schema, rows=rows)
    assert result.dimensions["uniqueness"].rules == {"distinct rows": pytest.approx(5 / 7)}
    assert result.measured_rows == 7


def test_uniqueness_composite_key(conn, schema):  # noqa: F811
    cols = [("a", "bigint"), ("b", "text"), ("v", "numeric")]
    rows = [(1, "x", 1), (1, "y", 1), (1, "x", 2), (2, "x", 1)]
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols), key=["a", "b"]).dimensions["uniqueness"]
    assert dim.rules["distinct key"] == pytest.approx(3 / 4)
    assert dim.rules["distinct rows"] == 1.0
    assert dim.score == pytest.approx(0.75)


def test_timeliness_share_of_rows_inside_the_window(conn, schema):  # noqa: F811
    cols = [
        ("id", "bigint"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("end_date", "date"),
    ]
    days = [1, 2, 10, 30]
    rows = [
        (i, NOW - timedelta(days=40), NOW - timedelta(days=d), date(2030, 1, 1)) for i, d in enumerate(days)
    ]
    rows.append((9, NOW - timedelta(days=40), None, None))
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols)).dimensions["timeliness"]
    # updated_at beats created_at by name; the far-future end_date is no event time.
    assert dim.details["column"] == "UPDATED_AT"
    assert dim.details["dated_rows"] == 4 and dim.details["rows_in_window"] == 2
    assert dim.score == 0.5
    assert dim.columns == {"UPDATED_AT": 0.5}
    assert dim.details["newest_age_days"] == pytest.approx(1.0)
    assert dim.threshold == 0.90 and not dim.passed

    pinned = run(conn, schema, specs(*cols), timeliness_column="created_at", max_age_days=50)
    assert pinned.dimensions["timeliness"].score == 1.0


def test_timeliness_dates_and_the_load_time_fallback(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("order_date", "date")]
    rows = [(1, date(2025, 5, 25)), (2, date(2025, 5, 28)), (3, date(2025, 1, 1)), (4, date(2025, 5, 31))]
    make_chart_table(conn, schema, "t", cols, rows)
    # now - 7 days is 2025-05-25 12:00; a date column compares by day, so 05-25 is inside.
    assert run(conn, schema, specs(*cols)).dimensions["timeliness"].score == 0.75

    no_time = specs(("id", "bigint"))
    loaded = datetime(2025, 1, 1, tzinfo=UTC)  # what make_chart_table stamps
    fresh = run(conn, schema, no_time, now=loaded + timedelta(days=1)).dimensions["timeliness"]
    assert fresh.details["column"] == "_atlas_loaded_at" and fresh.score == 1.0
    assert run(conn, schema, no_time, now=loaded + timedelta(days=8)).dimensions["timeliness"].score == 0.0


def test_validity_casts_formats_code_lists_and_date_range(conn, schema):  # noqa: F811
    cols = [
        ("id", "bigint"),
        ("email", "text"),
        ("amount", "numeric"),
        ("status", "text"),
        ("event_date", "date"),
        ("note", "text"),
    ]
    rows = [
        (1, "a@b.com", 1, "new", date(1850, 1, 1), "x"),
        (2, "bad", 2, "paid", date(2025, 1, 1), "x"),
        (3, None, 3, "lost", date(2027, 1, 1), None),
        (5, "x@y.org", None, "new", date(2024, 1, 1), "x"),
        (6, " ", 5, None, None, "x"),
    ]
    make_chart_table(conn, schema, "t", cols, rows)
    make_rejected(conn, schema, "t", [(4, "amount", "12,5.0")])
    columns = specs(*cols, email="email")
    columns[3].allowed_values = ["new", "paid"]
    result = run(conn, schema, columns)
    dim = result.dimensions["validity"]
    expected = {
        "ID": 1.0,
        "EMAIL": 2 / 3,  # 3 present, "bad" fails the format
        "AMOUNT": 0.8,  # 4 present + 1 rejected cast, 1 invalid
        "STATUS": 0.75,  # 4 present, "lost" not allowed
        "EVENT_DATE": 0.5,  # 4 present, 1850 too early, 2027 later than now + 1 year
    }
    assert dim.columns == pytest.approx(expected)
    assert "NOTE" not in dim.columns  # free text: nothing can make it invalid
    assert dim.score == pytest.approx(sum(expected.values()) / 5)
    assert result.rejected_rows == 1
    assert dim.details["per_column"]["AMOUNT"]["invalid cast"] == 1


def test_accuracy_mad_iqr_fallback_and_declared_range(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("price", "numeric"), ("qty", "bigint"), ("weight", "numeric")]
    price = [10, 11, 12, 13, 14, 15, 16, 100]
    qty = [1, 1, 1, 1, 1, 1, 2, -5]
    weight = [5, 5, 5, 5, 5, 6, 7, 50]
    rows = list(zip(range(8), price, qty, weight, strict=True))
    make_chart_table(conn, schema, "t", cols, rows)
    columns = specs(*cols)
    columns[2].min_value = Decimal(0)
    dim = run(conn, schema, columns, key=["id"]).dimensions["accuracy"]
    per = dim.details["per_column"]
    # price: median 13.5, MAD 2 -> 13.5 ± 3.5 * 1.4826 * 2; 100 is outside.
    assert per["PRICE"]["method"] == "mad"
    assert per["PRICE"]["median"] == 13.5 and per["PRICE"]["mad"] == 2.0
    assert per["PRICE"]["upper"] == pytest.approx(13.5 + 3.5 * 1.4826 * 2)
    # qty: MAD 0 and IQR 0, so only the declared minimum 0 applies; -5 is outside.
    assert per["QTY"]["method"] == "none" and per["QTY"]["lower"] == 0
    # weight: MAD 0, IQR fences Q1 5 - 1.5 * 1.25 .. Q3 6.25 + 1.5 * 1.25; 50 is outside.
    assert per["WEIGHT"]["method"] == "iqr"
    assert (per["WEIGHT"]["lower"], per["WEIGHT"]["upper"]) == pytest.approx((3.125, 8.125))
    assert dim.columns == {"PRICE": 0.875, "QTY": 0.875, "WEIGHT": 0.875}
    assert "ID" not in dim.columns  # key columns are labels, not measurements
    assert dim.score == 0.875 and not dim.passed


def test_accuracy_bounds_from_a_sample_still_count_every_row(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("amount", "numeric")]
    rows = [(i, 100 + (i % 50)) for i in range(2000)] + [(5000, 10_000)]
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols), key=["id"], robust_sample_rows=200).dimensions["accuracy"]
    assert dim.details["bounds_from"].startswith("a hashed sample of 1 row in 11")
    assert dim.details["per_column"]["AMOUNT"]["assessed"] == 2001
    assert dim.details["per_column"]["AMOUNT"]["outside"] == 1


@pytest.mark.parametrize(
    ("values", "minimum", "maximum", "outside"),
    [
        (range(1, 10), "2.5", "7.9", 4),  # fractional bounds: 1, 2, 8 and 9 are outside
        (range(1, 10), "3", "7", 4),  # whole bounds: 3 and 7 themselves are inside
        (range(1, 10), "0.5", "9.0001", 0),
        ([5] * 8 + [2**62], "-1e30", "1e30", 0),  # bounds past bigint's range are never crossed
        ([5] * 8 + [2**62], "-1e30", "5.5", 1),
    ],
)
def test_integer_columns_compare_with_their_bounds_exactly(conn, schema, values, minimum, maximum,  # noqa: F811
                                                         outside):
    cols = [("id", "bigint"), ("n", "bigint")]
    make_chart_table(conn, schema, "t", cols, list(enumerate(values)))
    columns = specs(*cols)
    columns[1].min_value, columns[1].max_value = Decimal(minimum), Decimal(maximum)
    per = run(conn, schema, columns, key=["id"]).dimensions["accuracy"].details["per_column"]
    assert per["N"]["outside"] == outside


def test_consistency_declared_and_automatic_rules(conn, schema):  # noqa: F811
    cols = [
        ("qty", "bigint"),
        ("unit_price", "numeric"),
        ("total", "numeric"),
        ("start_date", "date"),
        ("end_date", "date"),
        ("created_at", "timestamptz"),
        ("updated_at", "timestamptz"),
        ("status", "text"),
    ]
    t0 = NOW - timedelta(days=1)
    rows = [
        (2, Decimal("1.50"), Decimal("3.00"), date(2025, 1, 1), date(2025, 2, 1), t0, NOW, "paid"),
        (2, Decimal("1.50"), Decimal("3.01"), date(2025, 3, 1), date(2025, 2, 1), t0, NOW, "paid"),
        (2, Decimal("1.50"), Decimal("4.00"), date(2025, 1, 1), None, NOW, t0, "new"),
        (None, Decimal("1.50"), Decimal("4.00"), date(2025, 1, 1), date(2025, 1, 1), t0, t0, "void"),
    ]
    make_chart_table(conn, schema, "t", cols, rows)
    rules = [
        CrossFieldRule("total = qty * unit_price", "equation", expression="total = qty * unit_price"),
        CrossFieldRule("void has no total", "sql", expression="status <> 'void' OR total = 0"),
    ]
    dim = run(conn, schema, specs(*cols), rules=rules).dimensions["consistency"]
    assert dim.rules == pytest.approx(
        {
            "total = qty * unit_price": 2 / 3,  # 3 applicable (qty NULL on row 4), 3.01 within 0.01, 4.00 not
            "void has no total": 3 / 4,
            "START_DATE <= END_DATE": 2 / 3,  # row 3 has no end date
            "CREATED_AT <= UPDATED_AT": 3 / 4,
        }
    )
    assert dim.score == pytest.approx((2 / 3 + 3 / 4 + 2 / 3 + 3 / 4) / 4)
    assert dim.columns["QTY"] == pytest.approx(2 / 3)
    assert dim.columns["TOTAL"] == pytest.approx(2 / 3)  # lowest of the rules that read it
    assert dim.details["per_rule"]["START_DATE <= END_DATE"]["automatic"] is True


def test_a_broken_rule_is_reported_not_fatal(conn, schema):  # noqa: F811
    cols = [("amount", "numeric"), ("status", "text")]
    make_chart_table(conn, schema, "t", cols, [(1, "a")])
    rules = [
        CrossFieldRule("type clash", "order", left="status", right="amount"),
        CrossFieldRule("unknown column", "order", left="amount", right="nope"),
        CrossFieldRule("fine", "order", left="amount", right="amount + 1", op="<"),
    ]
    dim = run(conn, schema, specs(*cols), rules=rules).dimensions["consistency"]
    assert dim.rules == {"fine": 1.0}
    assert "cannot evaluate" in dim.details["rule_errors"]["type clash"]
    assert "unknown column 'nope'" in dim.details["rule_errors"]["unknown column"]


def test_clean_data_scores_exactly_one_everywhere(conn, schema):  # noqa: F811
    cols = [
        ("id", "bigint"),
        ("email", "text"),
        ("amount", "numeric"),
        ("qty", "bigint"),
        ("active", "boolean"),
        ("start_date", "date"),
        ("end_date", "date"),
        ("updated_at", "timestamptz"),
    ]
    rows = [
        (i, f"user{i}@example.com", Decimal(100 + i % 7), 1 + i % 5, i % 2 == 0, date(2025, 1, 1),
         date(2025, 2, 1), NOW - timedelta(hours=i))
        for i in range(1, 101)
    ]  # fmt: skip
    make_chart_table(conn, schema, "t", cols, rows)
    result = run(conn, schema, specs(*cols, email="email"), key=["id"])
    assert {d: result.dimensions[d].score for d in DIMENSIONS} == dict.fromkeys(DIMENSIONS, 1.0)
    assert result.overall_score == 1.0 and result.passed


def test_only_the_requested_run_is_measured(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("name", "text")]
    make_chart_table(conn, schema, "t", cols, [(1, "a"), (2, "b")], run_id=1)
    make_chart_table(conn, schema, "t", cols, [(1, None), (1, None), (1, None)], run_id=2)
    result = run(conn, schema, specs(*cols), key=["id"])
    assert result.measured_rows == 2
    assert result.dimensions["completeness"].score == 1.0
    assert result.dimensions["uniqueness"].score == 1.0


def test_report_shape_matches_the_design(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("name", "text")]
    make_chart_table(conn, schema, "t", cols, [(1, "a")])
    report = run(conn, schema, specs(*cols)).as_dict()
    assert set(report) >= {"overall_score", "dimensions", "measured_rows"}
    assert list(report["dimensions"]) == list(DIMENSIONS)
    for dim in report["dimensions"].values():
        assert set(dim) >= {"score", "threshold", "passed", "columns", "rules"}
        assert isinstance(dim["score"], float) and isinstance(dim["passed"], bool)
    assert report["dimensions"]["completeness"]["columns"] == {"ID": 1.0, "NAME": 1.0}


def test_thresholds_are_configurable(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("name", "text")]
    make_chart_table(conn, schema, "t", cols, [(1, "a"), (2, None)])
    dim = run(conn, schema, specs(*cols), thresholds={"completeness": 0.7}).dimensions["completeness"]
    assert dim.score == 0.75 and dim.threshold == 0.7 and dim.passed


def test_a_run_whose_rows_were_all_rejected(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("amount", "numeric")]
    make_chart_table(conn, schema, "t", cols, [])
    make_rejected(conn, schema, "t", [(1, "amount", "x"), (2, "amount", "y")])
    result = run(conn, schema, specs(*cols), key=["id"])
    assert result.measured_rows == 0 and result.rejected_rows == 2
    assert result.dimensions["validity"].columns["AMOUNT"] == 0.0
    assert result.dimensions["completeness"].score == 1.0  # nothing measured, nothing missing


def test_session_settings_are_restored_inside_a_callers_transaction(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("amount", "numeric")]
    make_chart_table(conn, schema, "t", cols, [(1, 1), (2, 2)])
    with conn.transaction():
        conn.execute("SET LOCAL work_mem = '8MB'")
        jit = conn.execute("SHOW jit").fetchone()
        run(conn, schema, specs(*cols), work_mem="300MB")
        assert conn.execute("SHOW work_mem").fetchone() == ("8MB",)
        assert conn.execute("SHOW jit").fetchone() == jit


def test_rows_without_a_key_can_still_be_exact_copies(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("v", "text")]
    make_chart_table(conn, schema, "t", cols, [(1, "a"), (2, "b"), (None, "w"), (None, "w"), (None, "x")])
    dim = run(conn, schema, specs(*cols), key=["id"]).dimensions["uniqueness"]
    assert dim.details["distinct_rows"] == 4  # the two (NULL, "w") rows are one
    assert dim.rules == {"distinct rows": 0.8, "distinct key": 0.4}


def test_awkward_identifiers_are_quoted_everywhere(conn, schema):  # noqa: F811
    cols = [("id %s", "bigint"), ('unit "price"', "numeric"), ("naïve date", "date"), ("e-mail", "text")]
    rows = [(i, Decimal(10 + i % 3), date(2025, 5, 30), f"u{i}@example.com") for i in range(20)]
    make_chart_table(conn, schema, "odd table", cols, rows)
    columns = [ColumnSpec(n, n, t) for n, t in cols]
    columns[3].semantic_type = "email"
    rules = [CrossFieldRule("price positive", "sql", expression='"unit ""price""" > 0')]
    result = measure(
        conn,
        table="odd table",
        run_id=1,
        columns=columns,
        config=QualityConfig(key=["id %s"], now=NOW, rules=rules),
        schema=schema,
    )
    assert result.overall_score == 1.0
    assert result.dimensions["consistency"].rules == {"price positive": 1.0}


@pytest.mark.parametrize("limit", [10_000_000, 0], ids=["hashes-in-numpy", "count-distinct-in-sql"])
def test_keyless_exact_copies_counted_the_same_either_way(conn, schema, monkeypatch, limit):  # noqa: F811
    from quality.engine import passes

    monkeypatch.setattr(passes, "HASHED_ROWS_LIMIT", limit)
    cols = [("id", "bigint"), ("v", "text"), ("at", "timestamptz")]
    at = datetime(2025, 5, 31, tzinfo=UTC)
    rows = [(1, "a", at), (1, "a", at), (1, "a", at), (2, None, None), (2, None, None), (3, "a", at)]
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols)).dimensions["uniqueness"]
    assert dim.details["distinct_rows"] == 3
    assert dim.rules == {"distinct rows": pytest.approx(3 / 6)}


def test_keyless_run_without_rows_has_no_duplicates(conn, schema):  # noqa: F811
    cols = [("id", "bigint"), ("v", "text")]
    make_chart_table(conn, schema, "t", cols, [])
    dim = run(conn, schema, specs(*cols)).dimensions["uniqueness"]
    assert dim.details["distinct_rows"] == 0


def test_robust_statistics_match_percentile_cont_over_the_same_sample(conn, schema):  # noqa: F811
    from quality.engine.passes import Target, robust_pass

    cols = [("id", "bigint"), ("price", "numeric"), ("qty", "bigint"), ("empty", "numeric")]
    rows = [(i, Decimal(i * 7 % 23) / 4 if i % 5 else None, (i * 13) % 9 - 3, None) for i in range(1, 400)]
    rows.append((400, Decimal("NaN"), 1, None))  # NaN sorts after every number, in PostgreSQL and here
    make_chart_table(conn, schema, "t", cols, rows)
    target = Target(schema, "t", 1)
    numeric = specs(*cols)[1:]
    for step in (1, 3):
        stats = robust_pass(conn, target, numeric, step)
        assert stats["empty"] == stats["empty"].__class__(q1=None, median=None, q3=None, mad=None)
        for spec in numeric[:2]:
            with conn.cursor() as cur:
                sample = "" if step == 1 else f" AND hashint8extended(_atlas_row, 0) % {step} = 0"
                cur.execute(
                    "SELECT percentile_cont(ARRAY[0.25, 0.5, 0.75]) "
                    f'WITHIN GROUP (ORDER BY "{spec.column}"::float8) '
                    f'FROM "{schema}".t WHERE _atlas_run_id = 1{sample}'
                )
                q1, median, q3 = cur.fetchone()[0]
                cur.execute(
                    f'SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY abs("{spec.column}"::float8 - %s)) '
                    f'FROM "{schema}".t WHERE _atlas_run_id = 1{sample.replace("%", "%%")}',
                    [median],
                )
                mad = cur.fetchone()[0]
            got = stats[spec.column]
            assert (got.q1, got.median, got.q3) == pytest.approx((q1, median, q3), nan_ok=True), spec.column
            assert got.mad == pytest.approx(mad, nan_ok=True), spec.column


@pytest.mark.parametrize(
    ("cols", "rows", "distinct"),
    [
        # order_id differs in every row: the rows are distinct without hashing them.
        ([("amount", "numeric"), ("order_id", "bigint")], [(1, 1), (1, 2), (1, 3)], 3),
        # A text identifier proves it through its hashes.
        ([("amount", "numeric"), ("ref", "text")], [(1, "a"), (1, "b"), (1, "c")], 3),
        # Two rows share order_id 2: every row is hashed, and the copies counted.
        ([("order_id", "bigint"), ("v", "text")], [(1, "a"), (2, "b"), (2, "b"), (3, "c")], 3),
        # order_id is missing in two rows that are copies of each other: no proof either.
        ([("order_id", "bigint"), ("v", "text")], [(1, "a"), (None, "w"), (None, "w")], 2),
        # No integer or text column to try: every row is hashed.
        ([("amount", "numeric"), ("at", "date")], [(1, date(2025, 5, 1)), (1, date(2025, 5, 1))], 1),
    ],
    ids=["integer-identifier", "text-identifier", "identifier-repeats", "identifier-missing", "none-to-try"],
)
def test_keyless_distinct_rows_proved_by_an_identifying_column_or_counted(conn, schema, cols, rows, distinct):  # noqa: F811
    make_chart_table(conn, schema, "t", cols, rows)
    dim = run(conn, schema, specs(*cols)).dimensions["uniqueness"]
    assert dim.details["rows"] == len(rows)
    assert dim.details["distinct_rows"] == distinct


def test_identifying_column_is_chosen_by_name_then_type_then_place():
    from quality.engine.passes import _identifying_column

    def chosen(*cols):
        found = _identifying_column(specs(*cols))
        return found.column if found else None

    assert chosen(("note", "text"), ("qty", "bigint"), ("customer_ref", "text")) == "customer_ref"
    assert chosen(("sku", "text"), ("order_id", "bigint"), ("customer_id", "bigint")) == "order_id"
    assert chosen(("note", "text"), ("qty", "bigint")) == "qty"
    assert chosen(("price", "numeric"), ("at", "timestamptz")) is None


def test_a_unique_identifier_spares_hashing_every_row(conn, schema, monkeypatch):  # noqa: F811
    from quality.engine import passes

    def no_row_hash(columns):
        raise AssertionError("every row was hashed although order_id proves them distinct")

    monkeypatch.setattr(passes, "_row_hash", no_row_hash)
    cols = [("amount", "numeric"), ("order_id", "bigint")]
    make_chart_table(conn, schema, "t", cols, [(1, i) for i in range(1, 501)])
    dim = run(conn, schema, specs(*cols)).dimensions["uniqueness"]
    assert dim.details["distinct_rows"] == 500 and dim.score == 1.0
