"""Measure the six quality dimensions of one run, inside PostgreSQL.

:func:`measure` plans every count the dimensions need, runs the passes in
:mod:`quality.engine.passes` (keys, quartiles, MADs, one wide aggregate,
colliding keys, rejected values) in one transaction, and turns the counts into
scores with :mod:`quality.engine.scoring`. Formulas are documented for
stewards in ``docs/quality.md``.
"""

from __future__ import annotations

import math
import re
import time
from datetime import UTC, datetime, timedelta

import psycopg
from psycopg import sql

from . import scoring
from .formats import Format, format_for
from .passes import (
    Aggregate,
    Target,
    count_present,
    key_pass,
    present,
    rejected_counts,
    robust_pass,
    sample_step,
    suspect_row_duplicates,
    tuned_session,
)
from .result import QualityResult
from .rules import CompiledRule, collect_rules
from .spec import ColumnIndex, ColumnSpec, QualityConfig, QualityConfigError

LOADED_AT = "_atlas_loaded_at"

# Name tokens that make a temporal column a timeliness candidate, in groups
# from most to least telling: the best group with a value wins, and inside
# it the column with the newest value.
_TIME_GROUPS: tuple[frozenset[str], ...] = (
    frozenset({"updated", "modified", "changed", "last"}),
    frozenset({"created", "inserted", "added", "recorded"}),
    frozenset({"timestamp", "datetime", "date", "time", "ts", "at", "on"}),
)
# Columns that name a planned or personal date, not when the row happened:
# a future contract end must not make a stale table look fresh.
_NOT_EVENT_TIME = frozenset(
    {"end", "ends", "until", "due", "expiry", "expires", "birth", "dob", "valid", "to"}
)


def name_tokens(name: str) -> set[str]:
    """Lower-case words of a column name: ``updatedAt``, ``updated_at``, ``Updated at`` -> {updated, at}."""
    spaced = re.sub(r"([a-z0-9])([A-Z])", r"\1 \2", name)
    return set(re.findall(r"[a-z]+|[0-9]+", spaced.lower()))


def timeliness_candidates(columns: list[ColumnSpec]) -> list[list[ColumnSpec]]:
    """Temporal columns whose name says when the row happened or changed, grouped by rank."""
    groups: list[list[ColumnSpec]] = [[] for _ in _TIME_GROUPS]
    for spec in columns:
        if not spec.is_temporal:
            continue
        tokens = name_tokens(spec.column)
        if tokens & _NOT_EVENT_TIME:
            continue
        for rank, group in enumerate(_TIME_GROUPS):
            if tokens & group:
                groups[rank].append(spec)
                break
    return [g for g in groups if g]


class _Plan:
    """Everything one measurement asks of the table, resolved from the config."""

    def __init__(self, columns: list[ColumnSpec], config: QualityConfig, now: datetime) -> None:
        self.index = ColumnIndex(columns)
        self.columns = self.index.columns
        self.config = config
        self.now = now
        self.key = [self.index.resolve(k) for k in config.key]
        self.rules, self.rule_errors = collect_rules(self.columns, config.rules, config.automatic_rules)
        if config.timeliness_column:
            spec = self.index.resolve(config.timeliness_column)
            if not spec.is_temporal:
                raise QualityConfigError(
                    f"timeliness column {spec.name!r} is {spec.pg_type}; "
                    "it must be a date or timestamptz column"
                )
            self.time_candidates = [[spec]]
        else:
            self.time_candidates = timeliness_candidates(self.columns)
        key_columns = {c.column for c in self.key}
        # Identifiers and code lists are labels, not measurements: a robust
        # spread of invoice numbers or status codes means nothing.
        self.robust_columns = [
            c
            for c in self.columns
            if c.is_numeric and c.column not in key_columns and not c.semantic_type and not c.allowed_values
        ]
        self.cutoff = now - timedelta(days=config.max_age_days)
        self.latest_plausible = now + timedelta(days=config.future_days)


def _cutoff_for(spec: ColumnSpec | None, plan: _Plan) -> object:
    if spec is not None and spec.pg_type == "date":
        return plan.cutoff.date()
    return plan.cutoff


def _well_formed(spec: ColumnSpec, fmt: Format) -> sql.Composable:
    value = (
        sql.Identifier(spec.column)
        if spec.is_text
        else sql.SQL("{}::text").format(sql.Identifier(spec.column))
    )
    checks = [sql.SQL("{} ~ {}").format(value, sql.Literal(fmt.pattern))]
    if fmt.max_length is not None:
        checks.append(
            sql.SQL("octet_length({}) BETWEEN {} AND {}").format(value, fmt.min_length, fmt.max_length)
        )
    elif fmt.min_length > 1:
        checks.append(sql.SQL("octet_length({}) >= {}").format(value, fmt.min_length))
    return sql.SQL("({})").format(sql.SQL(" AND ").join(checks))


INT8_MIN, INT8_MAX = -(2**63), 2**63 - 1


def _outside(spec: ColumnSpec, lower: float | None, upper: float | None) -> sql.Composable:
    """True for a value of the column below ``lower`` or above ``upper``.

    An integer column is compared with whole bounds: for whole values
    ``x < 2.5`` is ``x < 3`` and ``x > 7.9`` is ``x > 7``, and a decimal
    literal would have PostgreSQL turn every bigint into numeric to compare
    it (three times the cost of the comparisons themselves). A bound past
    bigint's range is never crossed.
    """
    if spec.pg_type == "bigint":
        if lower is not None and math.isfinite(lower):
            lower = math.ceil(lower)
            lower = None if lower <= INT8_MIN else lower
        if upper is not None and math.isfinite(upper):
            upper = math.floor(upper)
            upper = None if upper >= INT8_MAX else upper
    ident = sql.Identifier(spec.column)
    outside = [sql.SQL("{} < {}").format(ident, sql.Literal(lower))] if lower is not None else []
    if upper is not None:
        outside.append(sql.SQL("{} > {}").format(ident, sql.Literal(upper)))
    return sql.SQL("({})").format(sql.SQL(" OR ").join(outside)) if outside else sql.SQL("false")


def _build_aggregate(plan: _Plan, bounds: dict[str, tuple[float | None, float | None]]) -> Aggregate:
    agg = Aggregate()
    agg.add("rows", sql.SQL("count(*)"))
    for spec in plan.columns:
        ident = sql.Identifier(spec.column)
        has_value = present(spec)
        agg.add(f"present:{spec.column}", count_present(spec))
        fmt = format_for(spec.semantic_type)
        if fmt:
            agg.count_where(
                f"format:{spec.column}", sql.SQL("{} AND NOT {}").format(has_value, _well_formed(spec, fmt))
            )
        if spec.allowed_values:
            text_value = ident if spec.is_text else sql.SQL("{}::text").format(ident)
            agg.count_where(
                f"allowed:{spec.column}",
                sql.SQL("{} AND NOT ({} = ANY({}::text[]))").format(
                    has_value, text_value, sql.Literal([str(v) for v in spec.allowed_values])
                ),
            )
        if spec.is_temporal:
            low: object = datetime.combine(plan.config.earliest_date, datetime.min.time(), tzinfo=UTC)
            high: object = plan.latest_plausible
            if spec.pg_type == "date":
                low, high = plan.config.earliest_date, plan.latest_plausible.date()
            agg.count_where(
                f"range:{spec.column}",
                sql.SQL("({0} < {1} OR {0} > {2})").format(ident, sql.Literal(low), sql.Literal(high)),
            )
        lower, upper = bounds.get(spec.column, (None, None))
        if lower is not None or upper is not None:
            agg.count_where(f"outside:{spec.column}", _outside(spec, lower, upper))
    time_specs: list[ColumnSpec | None] = [c for group in plan.time_candidates for c in group] or [None]
    for spec in time_specs:
        name = spec.column if spec else LOADED_AT
        ident = sql.Identifier(name)
        agg.add(f"newest:{name}", sql.SQL("max({})").format(ident))
        if spec is None:
            agg.add(f"dated:{name}", sql.SQL("count({})").format(ident))
        agg.count_where(
            f"fresh:{name}", sql.SQL("{} >= {}").format(ident, sql.Literal(_cutoff_for(spec, plan)))
        )
    for n, rule in enumerate(plan.rules):
        # One evaluation of the predicate per row yields both counts: passes
        # add 1, violations add 2**32, NULL (not applicable) adds nothing.
        agg.add(
            f"rule:{n}",
            sql.SQL("sum(CASE {} WHEN true THEN 1 WHEN false THEN {} END)").format(
                rule.predicate, sql.Literal(scoring.RULE_VIOLATION_WEIGHT)
            ),
        )
    return agg


def _check_rules(conn: psycopg.Connection, target: Target, plan: _Plan) -> None:
    """Plan each rule against the table; drop the ones PostgreSQL rejects.

    Type errors (``text <= numeric``) only show up at planning time; a
    failing rule would otherwise abort the single aggregate for everyone.
    """
    kept: list[CompiledRule] = []
    for rule in plan.rules:
        probe = sql.SQL("SELECT count(*) FILTER (WHERE {}) FROM {} WHERE false").format(
            rule.predicate, target.relation
        )
        try:
            with conn.transaction(), conn.cursor() as cur:
                cur.execute(probe)
        except psycopg.errors.Error as exc:
            message = (exc.diag.message_primary or str(exc)).strip()
            plan.rule_errors[rule.rule.name] = f"PostgreSQL cannot evaluate this rule: {message}"
            continue
        kept.append(rule)
    plan.rules = kept


def measure(
    conn: psycopg.Connection,
    *,
    table: str,
    run_id: int,
    columns: list[ColumnSpec],
    config: QualityConfig,
    schema: str = "chart",
    rows: int | None = None,
) -> QualityResult:
    """Score the rows of ``run_id`` in ``schema.table`` on the six dimensions.

    ``rows``, when the caller knows how many rows the run has there, saves counting them.

    Runs read-only queries in one transaction (a savepoint if the caller is
    already in one). Raises :class:`QualityConfigError` for a config that
    names unknown columns; rules that cannot be evaluated are reported in
    the consistency details instead.
    """
    now = config.now or datetime.now(UTC)
    plan = _Plan(columns, config, now)
    target = Target(schema, table, run_id, rows)
    timings: dict[str, float] = {}

    def timed(name: str, started: float) -> None:
        timings[name] = round(time.perf_counter() - started, 4)

    with conn.transaction(), tuned_session(conn, config.work_mem, config.parallel_workers):
        started = time.perf_counter()
        _check_rules(conn, target, plan)
        rejected_total, rejected_by_column = rejected_counts(conn, target)
        timed("prepare", started)

        started = time.perf_counter()
        dups = key_pass(conn, target, plan.columns, plan.key)
        timed("keys", started)

        started = time.perf_counter()
        step = sample_step(dups.rows, config.robust_sample_rows)
        stats = robust_pass(conn, target, plan.robust_columns, step)
        bounds = scoring.accuracy_bounds(plan.columns, stats, config)
        timed("robust", started)

        started = time.perf_counter()
        counts = _build_aggregate(plan, bounds).run(conn, target)
        timed("aggregate", started)

        started = time.perf_counter()
        suspect_row_duplicates(conn, target, plan.columns, plan.key, dups)
        timed("duplicates", started)

    rows = int(counts["rows"])
    time_columns = plan.time_candidates
    dimensions = {
        "completeness": scoring.completeness(plan.columns, counts, rows, config),
        "uniqueness": scoring.uniqueness(plan.key, dups, config),
        "timeliness": scoring.timeliness(time_columns, counts, rows, config, now),
        "validity": scoring.validity(plan.columns, counts, rejected_by_column, rejected_total, config),
        "accuracy": scoring.accuracy(plan.columns, counts, stats, bounds, config, step),
        "consistency": scoring.consistency(plan.rules, plan.rule_errors, counts, plan.index, config),
    }
    return QualityResult(
        table=table,
        run_id=run_id,
        measured_rows=rows,
        rejected_rows=rejected_total,
        dimensions=dimensions,
        measured_at=now,
        timings=timings,
    )
