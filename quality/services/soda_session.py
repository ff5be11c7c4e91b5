"""Running Soda Core inside the run's own transaction.

The run's chart rows are not committed while the quality stage runs, so a
Soda scan on a connection of its own would see none of them (or, for a
dataset loaded before, only the earlier runs). Soda therefore runs on the
run's connection:

* a ``TEMP VIEW`` named after the dataset's table selects this run's rows
  from ``chart``; temporary objects belong to the session, and the run's
  session is exactly where Soda's queries go;
* :class:`RunConnection` is the PEP 249 connection Soda asks for, over the
  run's psycopg connection: ``commit`` does nothing (the run commits or
  rolls back as a whole), ``rollback`` returns to a savepoint taken before
  the scan, so a check whose query fails cannot poison the run's
  transaction, and ``close`` leaves the connection open;
* the Soda data source is created by hand with that connection and handed
  to the scan, so Soda never opens a connection (or reads a password) of
  its own.

Soda only ever reads: the scan runs in a read-only savepoint that is
rolled back afterwards (see :func:`sandbox`).
"""
from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import psycopg
from psycopg import sql

from quality.engine.soda_offline import prepare_soda_offline

DATA_SOURCE = "atlas"
SANDBOX = sql.Identifier("atlas_soda")
CHECKS = sql.Identifier("atlas_soda_checks")
SYSTEM_COLUMNS = ("_atlas_run_id", "_atlas_row", "_atlas_loaded_at")
STATEMENT_TIMEOUT_MS = 300_000


class RunConnection:
    """A PEP 249 connection for Soda over the run's psycopg connection, bound to a savepoint."""

    def __init__(self, connection: psycopg.Connection) -> None:
        self._connection = connection

    def cursor(self) -> psycopg.Cursor:
        return self._connection.cursor()

    def commit(self) -> None:
        """The run's transaction commits as a whole, later, or not at all."""

    def rollback(self) -> None:
        """Undo a failed query: back to the savepoint taken before the checks, which stays in place."""
        self._connection.execute(sql.SQL("ROLLBACK TO SAVEPOINT {}").format(CHECKS))

    def close(self) -> None:
        """The connection belongs to the run; Soda does not get to close it."""


@contextmanager
def sandbox(connection: psycopg.Connection, table: str, run_id: int, columns: list[str],
            statement_timeout_ms: int = STATEMENT_TIMEOUT_MS) -> Iterator[str]:
    """A read-only corner of the run's transaction with a view ``<table>`` of the run's chart rows.

    Yields the session's temporary schema, where the view lives. Inside,
    the transaction is read-only (SodaCL may carry hand-written SQL) with a
    statement timeout; on the way out everything is rolled back to the
    savepoint taken first, which drops the view and restores the run's
    settings, whatever Soda did or failed to do.
    """
    view = sql.Identifier(table)
    select = sql.SQL(", ").join(sql.Identifier(c) for c in (*SYSTEM_COLUMNS, *columns))
    connection.execute(sql.SQL("SAVEPOINT {}").format(SANDBOX))
    try:
        connection.execute(
            sql.SQL("CREATE TEMP VIEW {} AS SELECT {} FROM {} WHERE _atlas_run_id = {}").format(
                view, select, sql.Identifier("chart", table), sql.Literal(run_id)
            )
        )
        schema = connection.execute(
            "SELECT nspname FROM pg_namespace WHERE oid = pg_my_temp_schema()"
        ).fetchone()[0]
        connection.execute("SELECT set_config('transaction_read_only', 'on', true), "
                           "set_config('statement_timeout', %s, true)", [str(int(statement_timeout_ms))])
        connection.execute(sql.SQL("SAVEPOINT {}").format(CHECKS))
        yield schema
    finally:
        connection.execute(sql.SQL("ROLLBACK TO SAVEPOINT {}").format(SANDBOX))
        connection.execute(sql.SQL("RELEASE SAVEPOINT {}").format(SANDBOX))


def new_scan(connection: psycopg.Connection, schema: str) -> Any:
    """A Soda scan whose only data source is the run's connection, offline and without samples."""
    prepare_soda_offline()
    from soda.data_sources.postgres_data_source import PostgresDataSource
    from soda.scan import Scan

    scan = Scan()
    scan.disable_telemetry()
    scan.set_data_source_name(DATA_SOURCE)
    scan.set_scan_definition_name("atlas")
    properties = {"type": "postgres", "schema": schema, "sampler": {"disable_samples": True}}
    scan._configuration.data_source_properties_by_name[DATA_SOURCE] = properties
    scan._configuration.samples_limit = 0
    data_source = PostgresDataSource(scan._logs, DATA_SOURCE, {**properties, "connection_type": "postgres"})
    data_source.connection = RunConnection(connection)
    scan._data_source_manager.data_sources[DATA_SOURCE] = data_source
    return scan


def table_check_cfgs(scan: Any) -> Iterator[Any]:
    """Every parsed table-level and column-level check configuration of a scan."""
    for data_source_cfg in scan._sodacl_cfg.data_source_scan_cfgs.values():
        for table_cfg in data_source_cfg.tables_cfgs.values():
            for partition_cfg in table_cfg.partition_cfgs:
                yield from partition_cfg.check_cfgs
                for column_cfg in partition_cfg.column_checks_cfgs.values():
                    yield from column_cfg.check_cfgs


def drop_check_cfg(scan: Any, check_cfg: Any) -> None:
    """Take a parsed check out of the scan (one Atlas will not run, e.g. a Soda Cloud one)."""
    for data_source_cfg in scan._sodacl_cfg.data_source_scan_cfgs.values():
        for table_cfg in data_source_cfg.tables_cfgs.values():
            for partition_cfg in table_cfg.partition_cfgs:
                columns = partition_cfg.column_checks_cfgs.values()
                lists = [partition_cfg.check_cfgs] + [c.check_cfgs for c in columns]
                for checks in lists:
                    if check_cfg in checks:
                        checks.remove(check_cfg)
