"""The warehouse: the explore, chart and navigate schemas in PostgreSQL.

Every identifier that comes from data is quoted with ``psycopg.sql``; names
are sanitised once (``safe_identifier``) and the catalog keeps the mapping from
original names, so a column keeps its warehouse name across runs.
"""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

from psycopg import pq, sql

from atlas.choices import Layer

SCHEMAS: tuple[str, ...] = tuple(Layer.values)
MAX_IDENTIFIER_BYTES = 63
# Room kept at the end of a table name for suffixes such as "__rejected".
TABLE_SUFFIX_ROOM = 10
SYSTEM_PREFIX = "_atlas_"

# Words PostgreSQL reserves; quoting would make them legal, but a BI user who
# has to quote a column named "select" will not thank us.
RESERVED = frozenset(
    """all analyse analyze and any array as asc asymmetric authorization binary both case cast check
    collate collation column concurrently constraint create cross current_catalog current_date
    current_role current_schema current_time current_timestamp current_user default deferrable desc
    distinct do else end except false fetch for foreign freeze from full grant group having ilike in
    initially inner intersect into is isnull join lateral leading left like limit localtime
    localtimestamp natural not notnull null offset on only or order outer overlaps placing primary
    references returning right select session_user similar some symmetric system_user table tablesample
    then to trailing true union unique user using variadic verbose when where window with
    oid ctid xmin xmax cmin cmax tableoid""".split()
)


# Letters that Unicode decomposition leaves alone; without these "beløb" would become "belb".
TRANSLITERATE = str.maketrans({
    "ß": "ss", "ø": "o", "Ø": "O", "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ł": "l", "Ł": "L",
    "đ": "d", "Đ": "D", "ð": "d", "Ð": "D", "þ": "th", "Þ": "TH", "ı": "i",
})


def safe_identifier(name: str, taken: Iterable[str] = (), *, max_bytes: int = MAX_IDENTIFIER_BYTES) -> str:
    """A lowercase ASCII identifier for ``name`` that is not in ``taken``.

    Unicode is transliterated where it can be (``Straße`` → ``strasse``), anything
    else becomes ``_``; reserved words and Atlas's own ``_atlas_`` prefix get a
    trailing underscore; the result fits PostgreSQL's 63-byte limit even after a
    numeric suffix is added to make it unique.
    """
    text = unicodedata.normalize("NFKD", name.translate(TRANSLITERATE)).encode("ascii", "ignore").decode()
    text = re.sub(r"[^a-z0-9]+", "_", text.lower()).strip("_")
    if not text:
        text = "column"
    if text[0].isdigit():
        text = f"c_{text}"
    if text in RESERVED or f"_{text}".startswith(SYSTEM_PREFIX):
        text = f"{text}_"
    text = text[:max_bytes]
    taken_set = set(taken)
    candidate, counter = text, 1
    while candidate in taken_set:
        counter += 1
        suffix = f"_{counter}"
        candidate = f"{text[: max_bytes - len(suffix)]}{suffix}"
    return candidate


def safe_table_name(name: str, taken: Iterable[str] = ()) -> str:
    """A warehouse table name for a dataset, leaving room for ``__rejected``."""
    return safe_identifier(name, taken, max_bytes=MAX_IDENTIFIER_BYTES - TABLE_SUFFIX_ROOM)


def table(schema: str, name: str) -> sql.Composed:
    """``"schema"."name"``, quoted."""
    return sql.Identifier(schema, name)


def column_list(columns: Sequence[str]) -> sql.Composed:
    return sql.SQL(", ").join(sql.Identifier(c) for c in columns)


def _regclass(schema: str, name: str) -> str:
    """``"schema"."name"`` as text for ``to_regclass``, double quotes inside doubled."""
    return ".".join('"{}"'.format(part.replace('"', '""')) for part in (schema, name))


def table_exists(cursor, schema: str, name: str) -> bool:
    cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [_regclass(schema, name)])
    return bool(cursor.fetchone()[0])


def has_index_on(cursor, schema: str, name: str, column: str) -> bool:
    """True when an index of the table starts with ``column``."""
    cursor.execute(
        """SELECT EXISTS (
               SELECT 1 FROM pg_index i
                 JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = i.indkey[0]
                WHERE i.indrelid = to_regclass(%s) AND a.attname = %s)""",
        [_regclass(schema, name), column],
    )
    return bool(cursor.fetchone()[0])


def table_columns(cursor, schema: str, name: str) -> dict[str, str]:
    """Column name → PostgreSQL type for an existing table, in table order."""
    cursor.execute(
        """SELECT a.attname, format_type(a.atttypid, a.atttypmod)
             FROM pg_attribute a
            WHERE a.attrelid = to_regclass(%s) AND a.attnum > 0 AND NOT a.attisdropped
            ORDER BY a.attnum""",
        [_regclass(schema, name)],
    )
    return dict(cursor.fetchall())


def create_table(
    cursor, schema: str, name: str, columns: Sequence[tuple[str, str]], *, unlogged: bool = False
) -> None:
    """Create ``schema.name`` with ``(column, type)`` pairs unless it exists.

    Types are Atlas's own vocabulary (see ``pipeline.types``), never user text.
    """
    definition = sql.SQL(", ").join(
        sql.SQL("{} {}").format(sql.Identifier(col), sql.SQL(pg_type)) for col, pg_type in columns
    )
    cursor.execute(
        sql.SQL("CREATE {unlogged}TABLE IF NOT EXISTS {table} ({definition})").format(
            unlogged=sql.SQL("UNLOGGED " if unlogged else ""),
            table=table(schema, name),
            definition=definition,
        )
    )


def add_columns(cursor, schema: str, name: str, columns: Sequence[tuple[str, str]]) -> list[str]:
    """Add missing ``(column, type)`` pairs as nullable columns; returns the names added."""
    existing = table_columns(cursor, schema, name)
    added = []
    for col, pg_type in columns:
        if col in existing:
            continue
        cursor.execute(
            sql.SQL("ALTER TABLE {} ADD COLUMN IF NOT EXISTS {} {}").format(
                table(schema, name), sql.Identifier(col), sql.SQL(pg_type)
            )
        )
        added.append(col)
    return added


def copy_text(cursor, schema: str, name: str, columns: Sequence[str], chunks: Iterator[bytes]) -> None:
    """``COPY … FROM STDIN`` in PostgreSQL's text format from pre-encoded chunks."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(table(schema, name), column_list(columns))
    with cursor.copy(statement) as copy:
        for chunk in chunks:
            copy.write(chunk)


def copy_rows(cursor, schema: str, name: str, columns: Sequence[str], rows: Iterable[Sequence]) -> None:
    """``COPY`` Python rows in; psycopg adapts each value."""
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(table(schema, name), column_list(columns))
    with cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row)


@contextmanager
def local_settings(cursor, settings: dict[str, str]) -> Iterator[None]:
    """Transaction-local settings for a block, then the previous values back.

    ``set_config(..., true)`` lasts until the transaction ends; a run goes on
    after the block, so the values the block replaced are put back (unless the
    block failed, in which case the transaction or savepoint is rolled back anyway).
    """
    previous = {}
    for name, value in settings.items():
        cursor.execute("SELECT current_setting(%s), set_config(%s, %s, true)", (name, name, value))
        previous[name] = (cursor.fetchone() or (None,))[0]
    try:
        yield
    finally:
        if cursor.connection.info.transaction_status == pq.TransactionStatus.INTRANS:
            for name, value in previous.items():
                cursor.execute("SELECT set_config(%s, %s, true)", (name, value))


# Tables past min_parallel_table_scan_size are read by parallel workers whenever the server has them.
PARALLEL_SELECT = {"parallel_setup_cost": "0", "parallel_tuple_cost": "0"}


def select_into(
    cursor,
    schema: str,
    name: str,
    columns: Sequence[tuple[str, str]],
    select: sql.Composable,
    *,
    create: bool,
) -> int:
    """Write the rows of ``select`` (one output per ``(column, type)``, in order); returns the count.

    PostgreSQL never computes the SELECT of an ``INSERT`` in parallel workers,
    but does for ``CREATE TABLE … AS``: with ``create`` the table is created
    that way, without constraints or indexes (the caller adds them). Otherwise
    the rows are appended with ``INSERT … SELECT``. (Computing them in parallel
    into a temporary table and appending from it was measured on two cores:
    no faster.)
    """
    aliases = [f"c{i}" for i in range(len(columns))]
    typed = sql.SQL("SELECT {} FROM ({}) AS s ({})").format(
        sql.SQL(", ").join(
            sql.SQL("s.{}::{} AS {}").format(sql.Identifier(alias), sql.SQL(pg_type), sql.Identifier(col))
            for alias, (col, pg_type) in zip(aliases, columns, strict=True)
        ),
        select,
        column_list(aliases),
    )
    if not create:
        names = column_list([col for col, _ in columns])
        cursor.execute(sql.SQL("INSERT INTO {} ({}) {}").format(table(schema, name), names, typed))
        return cursor.rowcount
    with local_settings(cursor, PARALLEL_SELECT):
        cursor.execute(sql.SQL("CREATE TABLE {} AS {}").format(table(schema, name), typed))
        return cursor.rowcount


def delete_run(cursor, schema: str, name: str, run_id: int) -> int:
    """Remove one run's rows from a layer table; returns how many went."""
    if not table_exists(cursor, schema, name):
        return 0
    cursor.execute(sql.SQL("DELETE FROM {} WHERE _atlas_run_id = %s").format(table(schema, name)), [run_id])
    return cursor.rowcount


def drop_table(cursor, schema: str, name: str) -> None:
    cursor.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(table(schema, name)))


def row_count(cursor, schema: str, name: str, run_id: int | None = None) -> int:
    if not table_exists(cursor, schema, name):
        return 0
    query = sql.SQL("SELECT count(*) FROM {}").format(table(schema, name))
    if run_id is None:
        cursor.execute(query)
    else:
        cursor.execute(query + sql.SQL(" WHERE _atlas_run_id = %s"), [run_id])
    return cursor.fetchone()[0]


def raw_cursor(using: str = "default"):
    """A psycopg cursor on Django's connection, inside whatever transaction is open."""
    from django.db import connections

    connection = connections[using]
    connection.ensure_connection()
    return connection.connection.cursor()
