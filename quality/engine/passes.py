"""The SQL passes a measurement runs, each over one run's rows of one table.

1. robust statistics: quartiles of every assessed numeric column in one
   SELECT, then their median absolute deviations in a second (the MAD needs
   the median first, so this cannot be one sort);
2. the main aggregate: every count the six dimensions need (present values,
   format violations, outliers against the bounds from 1., timestamps in the
   window, rule violations) as ``count(*) FILTER (...)`` columns of a single
   SELECT, i.e. one scan whatever the column count;
3. duplicates: one hashed GROUP BY over (key, row hash);
4. rejected values: a GROUP BY over the small ``__rejected`` table.

Nothing is fetched but the aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from .spec import ColumnSpec

RUN_COLUMN = "_atlas_run_id"

# Characters that make a text value "blank" besides the empty string.
_BLANK = sql.SQL(r"E' \t\r\n'")


@dataclass(frozen=True)
class Target:
    """The rows being measured: ``schema.table`` restricted to one run."""

    schema: str
    table: str
    run_id: int

    @property
    def relation(self) -> sql.Composable:
        return sql.Identifier(self.schema, self.table)

    @property
    def where(self) -> sql.Composable:
        return sql.SQL("{} = {}").format(sql.Identifier(RUN_COLUMN), sql.Literal(self.run_id))


def tune_session(conn: psycopg.Connection, work_mem: str, parallel_workers: int) -> None:
    """Give this transaction room for in-memory sorts and hash tables.

    ``set_config(..., true)`` is SET LOCAL: it ends with the transaction the
    caller opened around the measurement.
    """
    settings = {
        "work_mem": work_mem,
        "hash_mem_multiplier": "2",
        "max_parallel_workers_per_gather": str(parallel_workers),
        # Compiling the wide aggregate costs more than it saves at these sizes.
        "jit": "off",
    }
    with conn.cursor() as cur:
        for name, value in settings.items():
            cur.execute("SELECT set_config(%s, %s, true)", (name, value))


def present(spec: ColumnSpec) -> sql.Composable:
    """Predicate true when the column holds a value (blank text counts as missing)."""
    ident = sql.Identifier(spec.column)
    if spec.is_text:
        return sql.SQL("(btrim({}, {}) <> '')").format(ident, _BLANK)
    return sql.SQL("({} IS NOT NULL)").format(ident)


class Aggregate:
    """Collects named aggregate expressions and evaluates them in one SELECT."""

    def __init__(self) -> None:
        self._names: list[str] = []
        self._exprs: list[sql.Composable] = []

    def add(self, name: str, expr: sql.Composable) -> None:
        if name in self._names:
            return
        self._names.append(name)
        self._exprs.append(expr)

    def count_where(self, name: str, predicate: sql.Composable) -> None:
        self.add(name, sql.SQL("count(*) FILTER (WHERE {})").format(predicate))

    def run(self, conn: psycopg.Connection, target: Target) -> dict[str, Any]:
        query = sql.SQL("SELECT {} FROM {} WHERE {}").format(
            sql.SQL(", ").join(self._exprs), target.relation, target.where
        )
        with conn.cursor() as cur:
            cur.execute(query)
            row = cur.fetchone()
        return dict(zip(self._names, row or ()))


@dataclass
class RobustStats:
    """Quartiles and median absolute deviation of one numeric column."""

    q1: float | None
    median: float | None
    q3: float | None
    mad: float | None


def robust_stats(conn: psycopg.Connection, target: Target, columns: list[ColumnSpec]) -> dict[str, RobustStats]:
    """Quartiles then MADs of the given numeric columns, two scans in total."""
    if not columns:
        return {}
    # float8 sorts several times faster than numeric; the bounds do not need
    # more than double precision.
    quartiles = [
        sql.SQL("percentile_cont(ARRAY[0.25, 0.5, 0.75]) WITHIN GROUP (ORDER BY {}::float8)").format(
            sql.Identifier(c.column)
        )
        for c in columns
    ]
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("SELECT {} FROM {} WHERE {}").format(sql.SQL(", ").join(quartiles), target.relation, target.where)
        )
        row = cur.fetchone() or ()
    stats: dict[str, RobustStats] = {}
    for spec, q in zip(columns, row):
        q = q or [None, None, None]
        stats[spec.column] = RobustStats(q1=q[0], median=q[1], q3=q[2], mad=None)
    with_median = [c for c in columns if stats[c.column].median is not None]
    if not with_median:
        return stats
    mads = [
        sql.SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY abs({}::float8 - {}))").format(
            sql.Identifier(c.column), sql.Literal(stats[c.column].median)
        )
        for c in with_median
    ]
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT {} FROM {} WHERE {}").format(sql.SQL(", ").join(mads), target.relation, target.where))
        row = cur.fetchone() or ()
    for spec, mad in zip(with_median, row):
        stats[spec.column].mad = mad
    return stats


@dataclass
class DuplicateCounts:
    """Rows, distinct rows and distinct non-null keys of a run."""

    rows: int
    distinct_rows: int
    distinct_keys: int | None
    null_key_rows: int | None


def duplicate_counts(
    conn: psycopg.Connection, target: Target, data_columns: list[ColumnSpec], key: list[ColumnSpec]
) -> DuplicateCounts:
    """Count distinct rows and keys in one hashed aggregation.

    Rows are compared through ``hash_record_extended`` (64 bits) of all data
    columns: with a million rows the chance of a single collision is about
    3e-8, and hashing avoids rendering every row as text. Grouping by
    (key, hash) gives one group per distinct row, because equal rows have
    equal keys; counting those groups per key then gives distinct keys,
    without a second scan.
    """
    row_hash = sql.SQL("hash_record_extended(ROW({}), 0)").format(
        sql.SQL(", ").join(sql.Identifier(c.column) for c in data_columns)
    )
    key_idents = [sql.Identifier(c.column) for c in key]
    inner_group = sql.SQL(", ").join([*key_idents, sql.SQL("h")])
    inner_select = sql.SQL(", ").join([*key_idents, sql.SQL("{} AS h").format(row_hash), sql.SQL("1 AS one")])
    inner = sql.SQL("SELECT {}, count(*) AS n FROM (SELECT {} FROM {} WHERE {}) r GROUP BY {}").format(
        inner_group, inner_select, target.relation, target.where, inner_group
    )
    if not key:
        query = sql.SQL("SELECT coalesce(sum(n), 0), count(*) FROM ({}) g").format(inner)
        with conn.cursor() as cur:
            cur.execute(query)
            rows, distinct_rows = cur.fetchone() or (0, 0)
        return DuplicateCounts(int(rows), int(distinct_rows), None, None)
    key_list = sql.SQL(", ").join(key_idents)
    not_null = sql.SQL(" AND ").join(sql.SQL("{} IS NOT NULL").format(k) for k in key_idents)
    # Per key: rows and distinct rows; then totals over keys.
    per_key = sql.SQL(
        "SELECT {keys}, sum(n) AS n, count(*) AS distinct_rows, ({not_null}) AS has_key FROM ({inner}) g GROUP BY {keys}"
    ).format(keys=key_list, not_null=not_null, inner=inner)
    query = sql.SQL(
        "SELECT coalesce(sum(n), 0), coalesce(sum(distinct_rows), 0), "
        "count(*) FILTER (WHERE has_key), coalesce(sum(n) FILTER (WHERE NOT has_key), 0) FROM ({}) k"
    ).format(per_key)
    with conn.cursor() as cur:
        cur.execute(query)
        rows, distinct_rows, distinct_keys, null_key_rows = cur.fetchone() or (0, 0, 0, 0)
    return DuplicateCounts(int(rows), int(distinct_rows), int(distinct_keys), int(null_key_rows))


def rejected_counts(conn: psycopg.Connection, target: Target) -> tuple[int, dict[str, int]]:
    """Rejected rows of the run and how many failed on each warehouse column."""
    rejected = f"{target.table}__rejected"
    with conn.cursor() as cur:
        cur.execute("SELECT to_regclass(%s)", (sql.Identifier(target.schema, rejected).as_string(conn),))
        exists = (cur.fetchone() or (None,))[0] is not None
        if not exists:
            return 0, {}
        cur.execute(
            sql.SQL("SELECT column_name, count(*) FROM {} WHERE {} GROUP BY column_name").format(
                sql.Identifier(target.schema, rejected), target.where
            )
        )
        per_column = {name: int(n) for name, n in cur.fetchall()}
    return sum(per_column.values()), per_column
