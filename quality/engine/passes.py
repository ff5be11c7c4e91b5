"""The SQL passes a measurement runs, each over one run's rows of one table.

1. the key pass (serial): rows and distinct keys (or rows);
2. the robust pass: every assessed numeric column's values, over a hashed
   sample when the run is large, for quartiles and median absolute
   deviations computed in numpy;
3. the main aggregate (parallel): every count the six dimensions need
   (present values, format violations, values outside the bounds from 2.,
   timestamps in the window, rule violations) as
   ``count(*) FILTER (...)`` columns of a single SELECT, i.e. one scan
   whatever the column count;
4. only when keys collide: exact-copy counting among the colliding rows;
5. rejected values: a GROUP BY over the small ``__rejected`` table.

Nothing is fetched but the aggregates, the sampled numeric values, and, for
a keyless run of up to ``HASHED_ROWS_LIMIT`` rows, one 64-bit value per row
of an identifying column, or, when that column repeats, one hash per row
(see :func:`key_pass`).
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

import numpy as np
import psycopg
from psycopg import sql

from atlas import distinct
from atlas.warehouse import local_settings

from .spec import ColumnSpec

RUN_COLUMN = "_atlas_run_id"
ROW_COLUMN = distinct.ROW_COLUMN

# Keyless runs up to this many rows count their distinct row hashes in numpy
# (8 bytes a row while counting) rather than with a sort inside PostgreSQL.
HASHED_ROWS_LIMIT = distinct.MAX_ROWS

# Characters that make a text value "blank" besides the empty string.
_BLANK = sql.SQL(r"E' \t\r\n'")


@dataclass(frozen=True)
class Target:
    """The rows being measured: ``schema.table`` restricted to one run (``rows`` of them, when known)."""

    schema: str
    table: str
    run_id: int
    rows: int | None = None

    @property
    def relation(self) -> sql.Composable:
        return sql.Identifier(self.schema, self.table)

    @property
    def where(self) -> sql.Composable:
        return sql.SQL("{} = {}").format(sql.Identifier(RUN_COLUMN), sql.Literal(self.run_id))


@contextmanager
def tuned_session(conn: psycopg.Connection, work_mem: str, parallel_workers: int | None) -> Iterator[None]:
    """Give the measurement room for in-memory sorts and hash tables, then put things back.

    The settings are transaction-local (``set_config(..., true)``); when the
    caller's own transaction goes on after the measurement (a pipeline run
    measures inside its run transaction), the previous values are restored
    so later stages do not inherit them.
    """
    settings = {
        "work_mem": work_mem,
        "hash_mem_multiplier": "2",
        # Compiling the wide aggregate costs more than it saves at these sizes.
        "jit": "off",
    }
    if parallel_workers is not None:
        settings["max_parallel_workers_per_gather"] = str(parallel_workers)
    with conn.cursor() as cur, local_settings(cur, settings):
        yield


def present(spec: ColumnSpec) -> sql.Composable:
    """Predicate true when the column holds a value (blank text counts as missing).

    Text is only trimmed when its first character is a space or control
    character: ``btrim`` copies every string and costs several times more
    than ``ascii()`` on the millions of values that start with a letter.
    """
    ident = sql.Identifier(spec.column)
    if spec.is_text:
        return sql.SQL("({0} <> '' AND (ascii({0}) > 32 OR btrim({0}, {1}) <> ''))").format(ident, _BLANK)
    return sql.SQL("({} IS NOT NULL)").format(ident)


def count_present(spec: ColumnSpec) -> sql.Composable:
    """Aggregate counting the values :func:`present` accepts."""
    if spec.is_text:
        return sql.SQL("count(*) FILTER (WHERE {})").format(present(spec))
    return sql.SQL("count({})").format(sql.Identifier(spec.column))


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
        return dict(zip(self._names, row or (), strict=False))


@dataclass
class RobustStats:
    """Quartiles and median absolute deviation of one numeric column."""

    q1: float | None
    median: float | None
    q3: float | None
    mad: float | None = None


@dataclass
class DuplicateCounts:
    """Rows, distinct rows and distinct non-null keys of a run."""

    rows: int
    distinct_rows: int
    distinct_keys: int | None = None
    null_key_rows: int | None = None


def _row_hash(data_columns: list[ColumnSpec]) -> sql.Composable:
    # 64-bit hash of the whole data row: with a million rows the chance of a
    # single collision is ~3e-8, and no row is rendered as text.
    return sql.SQL("hash_record_extended(ROW({}), 0)").format(
        sql.SQL(", ").join(sql.Identifier(c.column) for c in data_columns)
    )


def _key_expr(key: list[ColumnSpec]) -> tuple[sql.Composable, sql.Composable]:
    """The key as one sortable value, and the predicate "some key part is NULL"."""
    idents = [sql.Identifier(c.column) for c in key]
    # Byte order sorts text keys several times faster than a linguistic
    # collation and, collations being deterministic, finds the same duplicates.
    parts = [
        sql.SQL('{} COLLATE "C"').format(i) if c.is_text else i for i, c in zip(idents, key, strict=True)
    ]
    value = parts[0] if len(parts) == 1 else sql.SQL("ROW({})").format(sql.SQL(", ").join(parts))
    has_null = sql.SQL(" OR ").join(sql.SQL("{} IS NULL").format(i) for i in idents)
    return value, sql.SQL("({})").format(has_null)


def sample_step(rows: int, sample_rows: int) -> int:
    """Keep about one row in ``step`` so that at most ~``sample_rows`` are sorted."""
    if sample_rows <= 0 or rows <= sample_rows:
        return 1
    return -(-rows // sample_rows)


def _sampled(target: Target, step: int) -> sql.Composable:
    """The run's rows, or a hashed sample of one in ``step`` of them."""
    if step <= 1:
        return target.where
    # A hash of the row number rather than "every n-th row", so a file whose
    # rows repeat with a period cannot line up with the sample.
    return sql.SQL("{} AND hashint8extended({}, 0) % {} = 0").format(
        target.where, sql.Identifier(ROW_COLUMN), sql.Literal(step)
    )


def key_pass(
    conn: psycopg.Connection, target: Target, data_columns: list[ColumnSpec], key: list[ColumnSpec]
) -> DuplicateCounts:
    """Rows, and distinct keys (with a key) or distinct rows (without), in one scan.

    DISTINCT aggregates sort, and cannot run in parallel workers, so this
    pass stays apart from the wide aggregate, which can. Keys usually
    arrive in order, which makes their sort cheap. Rows can only be exact
    copies of each other when their keys collide, so with a key the row
    hashing is left to :func:`suspect_row_duplicates`, which runs only when
    keys do collide; without a key every row is hashed here, unless one
    column alone proves the rows distinct (:func:`_identifying_column`).
    """
    if not key:
        counted = _distinct_rows(conn, target, data_columns)
        if counted is not None:
            return DuplicateCounts(*counted)
    exprs: list[sql.Composable] = [sql.SQL("count(*)")]
    if key:
        value, has_null = _key_expr(key)
        exprs.append(sql.SQL("count(DISTINCT {}) FILTER (WHERE NOT {})").format(value, has_null))
        exprs.append(sql.SQL("count(*) FILTER (WHERE {})").format(has_null))
    else:
        exprs.append(sql.SQL("count(DISTINCT {})").format(_row_hash(data_columns)))
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("SELECT {} FROM {} WHERE {}").format(
                sql.SQL(", ").join(exprs), target.relation, target.where
            )
        )
        row = [int(v) for v in (cur.fetchone() or (0, 0, 0))]
    if key:
        # Until proven otherwise: rows with distinct keys are distinct rows.
        return DuplicateCounts(row[0], row[0], row[1], row[2])
    return DuplicateCounts(row[0], row[1])


def _distinct_rows(
    conn: psycopg.Connection, target: Target, data_columns: list[ColumnSpec]
) -> tuple[int, int] | None:
    """Rows and distinct rows of a keyless run, counted in numpy; None above ``HASHED_ROWS_LIMIT`` rows.

    Two rows are only exact copies when they agree on every column, so one
    column whose values are all present and all different proves every row
    distinct: that column is tried first (see :func:`_identifying_column`), and
    only when it cannot prove it is every row hashed.
    """
    rows = target.rows
    if rows is None:
        with conn.cursor() as cur:
            cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE {}").format(target.relation, target.where))
            rows = int((cur.fetchone() or (0,))[0])
    if rows > HASHED_ROWS_LIMIT:
        return None
    if rows == 0:
        return 0, 0
    column = _identifying_column(data_columns)
    if column is not None:
        present = sql.SQL("{} AND {} IS NOT NULL").format(target.where, sql.Identifier(column.column))
        value = distinct.identifying_value(column.column, column.is_text)
        if distinct.all_distinct(conn, target.relation, present, value, rows):
            return rows, rows
    row_hash = sql.SQL("coalesce({}, 0)").format(_row_hash(data_columns))
    hashes = distinct.row_values(conn, target.relation, target.where, row_hash, rows)
    return len(hashes), distinct.count_distinct(hashes)


def _identifying_column(data_columns: list[ColumnSpec]) -> ColumnSpec | None:
    """The column most likely to hold a different value in every row: an id-like integer or text column.

    Its name decides first (``order_id``, ``uuid``, ``code``...), then integers
    over text (their values are compared as they are, text by its hash),
    then the column's place in the file: identifiers usually come first.
    """
    candidates = [c for c in data_columns if c.pg_type in ("bigint", "text")]
    if not candidates:
        return None
    named = distinct.IDENTIFIER_NAME
    place = {c.column: i for i, c in enumerate(data_columns)}
    return min(candidates, key=lambda c: (not named.search(c.column.lower()), c.is_text, place[c.column]))


def _percentile_cont(ordered: np.ndarray, fraction: float) -> float | None:
    """PostgreSQL's ``percentile_cont`` over sorted values (NaN sorts last there and here)."""
    if not len(ordered):
        return None
    position = fraction * (len(ordered) - 1)
    low = int(np.floor(position))
    high = min(low + 1, len(ordered) - 1)
    below, above = float(ordered[low]), float(ordered[high])
    return below if high == low or below == above else below + (above - below) * (position - low)


def robust_pass(
    conn: psycopg.Connection, target: Target, numeric: list[ColumnSpec], step: int = 1
) -> dict[str, RobustStats]:
    """Quartiles and median absolute deviation of every numeric column, over a sample of one row in ``step``.

    One scan hands each column's present values over as a binary float8 array
    (``percentile_cont`` computes in float8 too); numpy sorts them and takes
    the quartiles, then the median of the distances to the median, as
    ``percentile_cont`` would. Sorting every value of every numeric column
    would dominate the whole measurement; bounds estimated from 100,000 values
    move by a fraction of a percent of the spread, and the counts against
    them still cover every row (see the wide aggregate).
    """
    if not numeric:
        return {}
    exprs = [
        sql.SQL("array_send(coalesce(array_agg({c}::float8) FILTER (WHERE {c} IS NOT NULL), '{{}}'))").format(
            c=sql.Identifier(spec.column)
        )
        for spec in numeric
    ]
    query = sql.SQL("SELECT {} FROM {} WHERE {}").format(
        sql.SQL(", ").join(exprs), target.relation, _sampled(target, step)
    )
    with psycopg.Cursor(conn) as cur:
        cur.execute(query, binary=True)
        row = cur.fetchone() or ()
    stats: dict[str, RobustStats] = {}
    for spec, data in zip(numeric, row, strict=False):
        values = np.sort(distinct.sent_array(data, distinct.FLOAT8_ITEM))
        median = _percentile_cont(values, 0.5)
        stats[spec.column] = RobustStats(
            q1=_percentile_cont(values, 0.25),
            median=median,
            q3=_percentile_cont(values, 0.75),
            mad=None if median is None else _percentile_cont(np.sort(np.abs(values - median)), 0.5),
        )
    return stats


def suspect_row_duplicates(
    conn: psycopg.Connection,
    target: Target,
    data_columns: list[ColumnSpec],
    key: list[ColumnSpec],
    dups: DuplicateCounts,
) -> None:
    """Count exact copies among rows whose key is shared or missing.

    Only those rows can equal another row, so distinct rows =
    (rows outside that set) + (distinct row hashes inside it). Nothing runs
    when every key is unique and at most one row lacks a key.
    """
    if dups.distinct_keys is None:
        return
    null_rows = dups.null_key_rows or 0
    colliding = dups.rows - dups.distinct_keys - null_rows
    if colliding == 0 and null_rows < 2:
        return
    keys = sql.SQL(", ").join(sql.Identifier(c.column) for c in key)
    _, has_null = _key_expr(key)
    row_hash = _row_hash(data_columns)
    branches: list[sql.Composable] = []
    if colliding:
        # A join (not IN) lets the planner hash the few colliding keys and
        # stream the table past them; USING merges the key columns so the
        # row hash reads the same columns as everywhere else.
        branches.append(
            sql.SQL(
                "SELECT {hash} AS h FROM {rel} JOIN (SELECT {keys} FROM {rel} WHERE {where} "
                "GROUP BY {keys} HAVING count(*) > 1) d USING ({keys}) WHERE {where}"
            ).format(hash=row_hash, rel=target.relation, where=target.where, keys=keys)
        )
    if null_rows >= 2:
        branches.append(
            sql.SQL("SELECT {} AS h FROM {} WHERE {} AND {}").format(
                row_hash, target.relation, target.where, has_null
            )
        )
    query = sql.SQL("SELECT count(*), count(DISTINCT h) FROM ({}) s").format(
        sql.SQL(" UNION ALL ").join(branches)
    )
    with conn.cursor() as cur:
        sorted_keys = len(key) == 1 and not key[0].is_text
        if sorted_keys:
            # Keys usually arrive in order: sorting them to find the colliding
            # ones is then cheaper than a hash table over every key.
            cur.execute("SELECT current_setting('enable_hashagg'), set_config('enable_hashagg', 'off', true)")
            previous = (cur.fetchone() or ("on",))[0]
        cur.execute(query)
        suspects, distinct = cur.fetchone() or (0, 0)
        if sorted_keys:
            cur.execute("SELECT set_config('enable_hashagg', %s, true)", (previous,))
    dups.distinct_rows = dups.rows - int(suspects) + int(distinct)


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
