"""The SQL passes a measurement runs, each over one run's rows of one table.

1. the sorted pass (serial): quartiles of every assessed numeric column and
   the distinct key (or row) count, in one SELECT;
2. the MAD pass (serial): median absolute deviations, which need the
   medians from 1. first;
3. the main aggregate (parallel): every count the six dimensions need
   (present values, format violations, values outside the bounds from 1.
   and 2., timestamps in the window, rule violations) as
   ``count(*) FILTER (...)`` columns of a single SELECT, i.e. one scan
   whatever the column count;
4. only when keys collide: exact-copy counting among the colliding rows;
5. rejected values: a GROUP BY over the small ``__rejected`` table.

Nothing is fetched but the aggregates.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import psycopg
from psycopg import sql

from .spec import ColumnSpec

RUN_COLUMN = "_atlas_run_id"
ROW_COLUMN = "_atlas_row"

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
    value = idents[0] if len(idents) == 1 else sql.SQL("ROW({})").format(sql.SQL(", ").join(idents))
    has_null = sql.SQL(" OR ").join(sql.SQL("{} IS NULL").format(i) for i in idents)
    return value, sql.SQL("({})").format(has_null)


def count_rows(conn: psycopg.Connection, target: Target) -> int:
    """Rows of the run (a parallel scan; sizes the sample of the sorted passes)."""
    with conn.cursor() as cur:
        cur.execute(sql.SQL("SELECT count(*) FROM {} WHERE {}").format(target.relation, target.where))
        return int((cur.fetchone() or (0,))[0])


def sample_step(rows: int, sample_rows: int) -> int:
    """Keep about one row in ``step`` so that at most ~``sample_rows`` are sorted."""
    if sample_rows <= 0 or rows <= sample_rows:
        return 1
    return -(-rows // sample_rows)


def _sample_predicate(step: int) -> sql.Composable:
    # A hash of the row number rather than "every n-th row", so a file whose
    # rows repeat with a period cannot line up with the sample.
    return sql.SQL("hashint8extended({}, 0) % {} = 0").format(sql.Identifier(ROW_COLUMN), sql.Literal(step))


def _percentile(fractions: sql.Composable, value: sql.Composable, step: int) -> sql.Composable:
    agg = sql.SQL("percentile_cont({}) WITHIN GROUP (ORDER BY {})").format(fractions, value)
    if step > 1:
        agg = sql.SQL("{} FILTER (WHERE {})").format(agg, _sample_predicate(step))
    return agg


def sorted_pass(
    conn: psycopg.Connection,
    target: Target,
    numeric: list[ColumnSpec],
    data_columns: list[ColumnSpec],
    key: list[ColumnSpec],
    step: int = 1,
) -> tuple[dict[str, RobustStats], DuplicateCounts]:
    """One scan for everything that needs a sort: quartiles and distinct counts.

    Ordered-set and DISTINCT aggregates cannot run in parallel workers, so
    they share this serial scan and leave the wide aggregate free to go
    parallel. Quartiles are taken over a hashed sample of one row in
    ``step`` (all rows when ``step`` is 1): sorting every value of every
    numeric column would dominate the measurement, and bounds estimated
    from 100,000 values move by a fraction of a percent of the spread.

    With a key, distinct keys are counted over all rows (cheap: keys usually
    arrive sorted); rows can only be exact copies of each other when their
    keys collide, so row hashing is left to :func:`suspect_row_duplicates`,
    which runs only when keys do collide. Without a key every row is hashed
    here.
    """
    exprs: list[sql.Composable] = [sql.SQL("count(*)")]
    # float8 is what percentile_cont computes in; casting up front keeps
    # numeric columns on the fast float8 sort.
    exprs += [
        _percentile(
            sql.SQL("ARRAY[0.25, 0.5, 0.75]"), sql.SQL("{}::float8").format(sql.Identifier(c.column)), step
        )
        for c in numeric
    ]
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
        row = list(cur.fetchone() or ())
    rows = int(row.pop(0))
    stats: dict[str, RobustStats] = {}
    for spec in numeric:
        q = row.pop(0) or [None, None, None]
        stats[spec.column] = RobustStats(q1=q[0], median=q[1], q3=q[2])
    if key:
        distinct_keys, null_key_rows = int(row[0]), int(row[1])
        # Until proven otherwise: rows with distinct keys are distinct rows.
        dups = DuplicateCounts(rows, rows, distinct_keys, null_key_rows)
    else:
        dups = DuplicateCounts(rows, int(row[0]))
    return stats, dups


def mad_pass(
    conn: psycopg.Connection,
    target: Target,
    numeric: list[ColumnSpec],
    stats: dict[str, RobustStats],
    step: int = 1,
) -> None:
    """Fill in the median absolute deviation of each column (needs its median first).

    Uses the same sample as :func:`sorted_pass`, as a WHERE clause here
    since every aggregate of this pass wants it.
    """
    with_median = [c for c in numeric if stats[c.column].median is not None]
    if not with_median:
        return
    mads = [
        sql.SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY abs({}::float8 - {}))").format(
            sql.Identifier(c.column), sql.Literal(stats[c.column].median)
        )
        for c in with_median
    ]
    where = target.where
    if step > 1:
        where = sql.SQL("{} AND {}").format(where, _sample_predicate(step))
    with conn.cursor() as cur:
        cur.execute(
            sql.SQL("SELECT {} FROM {} WHERE {}").format(sql.SQL(", ").join(mads), target.relation, where)
        )
        row = cur.fetchone() or ()
    for spec, mad in zip(with_median, row, strict=False):
        stats[spec.column].mad = mad


def suspect_row_duplicates(
    conn: psycopg.Connection,
    target: Target,
    data_columns: list[ColumnSpec],
    key: list[ColumnSpec],
    dups: DuplicateCounts,
) -> None:
    """Count exact copies among rows whose key is shared or incomplete.

    Only those rows can equal another row, so distinct rows =
    (rows outside that set) + (distinct row hashes inside it).
    """
    if dups.distinct_keys is None or dups.distinct_keys + (dups.null_key_rows or 0) == dups.rows:
        return
    idents = sql.SQL(", ").join(sql.Identifier(c.column) for c in key)
    _, has_null = _key_expr(key)
    query = sql.SQL(
        "SELECT count(*), count(DISTINCT {hash}) FROM {rel} WHERE {where} AND ({has_null} OR ({keys}) IN "
        "(SELECT {keys} FROM {rel} WHERE {where} GROUP BY {keys} HAVING count(*) > 1))"
    ).format(
        hash=_row_hash(data_columns), rel=target.relation, where=target.where, has_null=has_null, keys=idents
    )
    with conn.cursor() as cur:
        cur.execute(query)
        suspects, distinct = cur.fetchone() or (0, 0)
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
