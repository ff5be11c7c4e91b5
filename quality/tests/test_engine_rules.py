"""The cross-field rule grammar: what it accepts, what it refuses, the SQL it builds."""

from __future__ import annotations

import pytest

from quality.engine.expressions import compile_arith, compile_condition, split_equation
from quality.engine.rules import automatic_rules, collect_rules, compile_rule
from quality.engine.spec import ColumnIndex, ColumnSpec, CrossFieldRule, QualityConfig, QualityConfigError
from quality.tests.conftest_engine import conn, make_chart_table, schema  # noqa: F401

COLUMNS = [
    ColumnSpec("Quantity", "qty", "bigint"),
    ColumnSpec("Unit price", "unit_price", "numeric"),
    ColumnSpec("Total", "total", "numeric"),
    ColumnSpec("Status", "status", "text"),
    ColumnSpec("Created", "created_at", "timestamptz"),
    ColumnSpec("Updated", "updated_at", "timestamptz"),
    ColumnSpec("Start", "start_date", "date"),
    ColumnSpec("End", "end_date", "date"),
    ColumnSpec("Valid from", "valid_from", "date"),
    ColumnSpec("Valid to", "valid_to", "date"),
    ColumnSpec("Restart at", "restart_at", "timestamptz"),
    ColumnSpec("From account", "from_account", "bigint"),
    ColumnSpec("To account", "to_account", "bigint"),
]
INDEX = ColumnIndex(COLUMNS)


def rendered(composable, conn) -> str:  # noqa: F811
    return composable.as_string(conn)


def test_arithmetic_rebuilds_sql_from_identifiers(conn):  # noqa: F811
    compiled = compile_arith("qty * unit_price - 1.5", INDEX)
    assert rendered(compiled.sql, conn) == '(("qty" * "unit_price") - 1.5)'
    assert compiled.columns == ["qty", "unit_price"]


def test_original_headers_and_quoted_names_resolve(conn):  # noqa: F811
    compiled = compile_arith('"Unit price" * Quantity', INDEX)
    assert rendered(compiled.sql, conn) == '("unit_price" * "qty")'


def test_division_cannot_abort_the_measurement(conn):  # noqa: F811
    compiled = compile_arith("total / qty", INDEX)
    assert rendered(compiled.sql, conn) == '("total" / NULLIF("qty", 0))'


def test_conditions_with_in_between_is_null_and_functions(conn):  # noqa: F811
    text = "status IN ('paid', 'it''s') AND NOT total BETWEEN 0 AND 10 OR abs(total) IS NULL"
    sql_text = rendered(compile_condition(text, INDEX).sql, conn)
    assert sql_text == (
        "(((\"status\" IN ('paid', 'it''s')) AND (NOT (\"total\" BETWEEN 0 AND 10)))"
        ' OR (abs("total") IS NULL))'
    )


@pytest.mark.parametrize(
    "text, error",
    [
        ("total; DROP TABLE chart.orders", "unexpected character ';'"),
        ("total = 1 -- comment", "unknown column 'comment'"),
        ("pg_sleep(10) = 1", "unknown column 'pg_sleep'"),
        ("total = (SELECT 1)", "unknown column 'SELECT'"),
        ("nope > 1", "unknown column 'nope'"),
        ("total >", "ends too early"),
        ("status = 'unterminated", "unexpected character"),
    ],
)
def test_anything_outside_the_grammar_is_refused(text, error):
    with pytest.raises(QualityConfigError, match=error):
        compile_condition(text, INDEX)


def test_equation_needs_exactly_one_top_level_equals():
    assert split_equation("total = qty * unit_price") == ("total ", " qty * unit_price")
    with pytest.raises(QualityConfigError, match="exactly one"):
        split_equation("total = qty = unit_price")


def test_rule_kinds_compile(conn):  # noqa: F811
    order = compile_rule(CrossFieldRule("o", "order", left="Created", right="updated_at"), INDEX)
    assert rendered(order.predicate, conn) == '("created_at" <= "updated_at")'
    equation = compile_rule(CrossFieldRule("e", "equation", expression="total = qty * unit_price"), INDEX)
    assert rendered(equation.predicate, conn) == '(abs("total" - ("qty" * "unit_price")) <= 0.01)'
    with pytest.raises(QualityConfigError, match="rule 'x': operator"):
        compile_rule(CrossFieldRule("x", "order", left="qty", right="total", op="=="), INDEX)
    with pytest.raises(QualityConfigError, match="kind must be"):
        CrossFieldRule("y", "python")  # type: ignore[arg-type]


def test_automatic_pairs_by_name_token():
    pairs = {(r.left, r.right) for r in automatic_rules(COLUMNS)}
    assert pairs == {("created_at", "updated_at"), ("start_date", "end_date"), ("valid_from", "valid_to")}


def test_declared_rules_replace_automatic_ones_and_names_are_unique():
    declared = [
        CrossFieldRule("created before update", "order", left="created_at", right="updated_at", op="<"),
        CrossFieldRule("dup", "order", left="qty", right="total"),
        CrossFieldRule("dup", "order", left="qty", right="total"),
    ]
    compiled, errors = collect_rules(COLUMNS, declared, include_automatic=True)
    names = [c.rule.name for c in compiled]
    assert names == ["created before update", "dup", "Start <= End", "Valid from <= Valid to"]
    assert errors == {"dup": "another rule has the same name"}
    assert collect_rules(COLUMNS, [], include_automatic=False) == ([], {})


def test_config_validation():
    with pytest.raises(QualityConfigError, match="unknown quality dimension"):
        QualityConfig(thresholds={"freshness": 0.5})
    with pytest.raises(QualityConfigError, match="timezone-aware"):
        from datetime import datetime

        QualityConfig(now=datetime(2025, 1, 1))
    with pytest.raises(QualityConfigError, match="not a warehouse type"):
        ColumnSpec("x", "x", "jsonb")
    assert ColumnSpec("x", "x", "timestamp with time zone").pg_type == "timestamptz"
    assert QualityConfig(thresholds={"accuracy": 0.5}).thresholds["completeness"] == 0.95


def test_injection_attempt_never_reaches_postgres(conn, schema):  # noqa: F811
    from quality.engine import measure

    make_chart_table(conn, schema, "t", [("total", "numeric")], [(1,)])
    rule = CrossFieldRule("evil", "sql", expression="total > 0); DROP TABLE t; --")
    result = measure(
        conn,
        table="t",
        run_id=1,
        columns=[ColumnSpec("total", "total", "numeric")],
        config=QualityConfig(rules=[rule]),
        schema=schema,
    )
    assert "evil" in result.dimensions["consistency"].details["rule_errors"]
    assert conn.execute("SELECT count(*) FROM pg_tables WHERE schemaname = %s", (schema,)).fetchone() == (1,)
