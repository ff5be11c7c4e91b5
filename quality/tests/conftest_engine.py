"""Database access for the quality-engine tests, kept in one place.

The engine tests are plain pytest against the PostgreSQL named by
``ATLAS_TEST_DSN``; each test gets a fresh schema that is dropped
afterwards. When these move to the Django test database only ``conn`` and
``schema`` below need to change.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from typing import Any

import psycopg
import pytest
from psycopg import conninfo, sql

DEFAULT_DSN = "postgresql://root@127.0.0.1:5432/atlas_quality_dev"
LOADED_AT = datetime(2025, 1, 1, tzinfo=UTC)


def test_dsn() -> str:
    return os.environ.get("ATLAS_TEST_DSN", DEFAULT_DSN)


test_dsn.__test__ = False  # type: ignore[attr-defined]  # a helper, not a test


def _ensure_database(dsn: str) -> None:
    """Create the scratch database on first use so a fresh machine just works."""
    try:
        psycopg.connect(dsn, connect_timeout=5).close()
        return
    except psycopg.OperationalError as exc:
        if "does not exist" not in str(exc):
            raise
    params = conninfo.conninfo_to_dict(dsn)
    name = params.get("dbname")
    admin = conninfo.make_conninfo(dsn, dbname="postgres")
    with psycopg.connect(admin, autocommit=True) as admin_conn:
        admin_conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(str(name))))


@pytest.fixture
def conn() -> Iterator[psycopg.Connection]:
    dsn = test_dsn()
    _ensure_database(dsn)
    with psycopg.connect(dsn, autocommit=True) as connection:
        yield connection


@pytest.fixture
def schema(conn: psycopg.Connection) -> Iterator[str]:
    name = f"qe_{uuid.uuid4().hex[:12]}"
    conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(name)))
    try:
        yield name
    finally:
        conn.execute(sql.SQL("DROP SCHEMA {} CASCADE").format(sql.Identifier(name)))


def make_chart_table(
    conn: psycopg.Connection,
    schema: str,
    table: str,
    columns: Sequence[tuple[str, str]],
    rows: Sequence[Sequence[Any]],
    run_id: int = 1,
    first_row: int = 1,
) -> None:
    """Create (if needed) a chart-shaped table and append ``rows`` for ``run_id``."""
    ident = sql.Identifier(schema, table)
    defs = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t in columns)
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (_atlas_run_id bigint NOT NULL, _atlas_row bigint NOT NULL, "
            "_atlas_loaded_at timestamptz NOT NULL, {})"
        ).format(ident, defs)
    )
    names = ["_atlas_run_id", "_atlas_row", "_atlas_loaded_at", *(n for n, _ in columns)]
    copy = sql.SQL("COPY {} ({}) FROM STDIN").format(ident, sql.SQL(", ").join(map(sql.Identifier, names)))
    with conn.cursor() as cur, cur.copy(copy) as writer:
        for n, row in enumerate(rows, start=first_row):
            writer.write_row((run_id, n, LOADED_AT, *row))


def make_rejected(
    conn: psycopg.Connection,
    schema: str,
    table: str,
    rejects: Sequence[tuple[int, str, str]],
    run_id: int = 1,
) -> None:
    """Create the ``__rejected`` companion and add (row, column, value) rejects."""
    ident = sql.Identifier(schema, f"{table}__rejected")
    conn.execute(
        sql.SQL(
            "CREATE TABLE IF NOT EXISTS {} (_atlas_run_id bigint, _atlas_row bigint, column_name text, "
            "value text, reason text, record jsonb)"
        ).format(ident)
    )
    with conn.cursor() as cur:
        for row, column, value in rejects:
            cur.execute(
                sql.SQL("INSERT INTO {} VALUES (%s, %s, %s, %s, %s, %s)").format(ident),
                (run_id, row, column, value, "invalid input", psycopg.types.json.Jsonb({column: value})),
            )
