"""SodaCL checks on a chart table, validated and run with Soda Core, offline.

* :func:`validate_sodacl` parses a SodaCL document with Soda's own parser,
  without touching a database, and returns messages such as
  ``line 3: Invalid check "rowcount >> 0": ...``.
* :func:`run_sodacl` runs the checks against ``<schema>.<table>`` with
  soda-core-postgres and returns one :class:`CheckOutcome` per check.

Atlas never configures Soda Cloud. Checks that only work with it (anomaly
detection, ``change for``, distribution checks, schema/group evolution)
come back with ``needs_cloud=True`` and a pointer to
:mod:`quality.engine.history`. Telemetry is disabled by
:mod:`quality.engine.soda_offline` before ``soda.scan`` is imported, failed-row
samples are not collected, and the Soda connection is read-only.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg import conninfo

from .soda_parse import (
    HISTORY_HINT,
    drop_unsupported,
    error_messages,
    format_message,
    needs_cloud,
    new_scan,
    table_checks,
    unsupported,
)

__all__ = ["HISTORY_HINT", "OUTCOMES", "CheckOutcome", "needs_cloud", "run_sodacl", "validate_sodacl"]

OUTCOMES = ("pass", "warn", "fail", "error")


@dataclass
class CheckOutcome:
    """Result of one SodaCL check.

    ``outcome`` is one of pass, warn, fail, error. ``needs_cloud`` marks an
    error caused by a check that requires Soda Cloud.
    """

    name: str
    outcome: str
    value: Any
    definition: str
    message: str = ""
    line: int | None = None
    needs_cloud: bool = False

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def validate_sodacl(text: str, *, table: str | None = None, data_source_name: str = "atlas") -> list[str]:
    """Check a SodaCL document without running it; return human-readable problems.

    Reports YAML and SodaCL syntax errors with their line, checks Atlas
    cannot run (Soda Cloud ones, other tables when ``table`` is given,
    data-source-wide sections). An empty list means the document is fine.
    """
    if not text.strip():
        return ["the SodaCL document is empty: write at least one 'checks for <table>:' section"]
    scan = new_scan(data_source_name)
    scan.add_sodacl_yaml_str(text)
    messages = [format_message(line, message) for line, message in error_messages(scan, text)]
    messages += [format_message(line, message) for line, message, _ in unsupported(scan, text, table)]
    if not messages and not any(check_cfgs for _, check_cfgs in table_checks(scan)):
        messages.append("no checks found: write them under 'checks for <table>:'")
    return messages


# -- running ---------------------------------------------------------------

ConnectionSpec = str | Mapping[str, Any] | psycopg.Connection


def connection_params(connection: ConnectionSpec) -> dict[str, Any]:
    """libpq parameters from a DSN, a mapping of them, or an open psycopg connection."""
    if isinstance(connection, psycopg.Connection):
        info = connection.info
        params: dict[str, Any] = {
            "host": info.host,
            "port": info.port,
            "user": info.user,
            "password": info.password,
            "dbname": info.dbname,
        }
    elif isinstance(connection, str):
        params = dict(conninfo.conninfo_to_dict(connection))
    else:
        params = dict(connection)
    return params


def _data_source_properties(params: Mapping[str, Any], schema: str) -> dict[str, Any]:
    """soda-core-postgres properties for the warehouse connection.

    They are handed to the scan directly rather than as configuration YAML,
    which Soda would run through Jinja and environment-variable expansion:
    a password containing ``{{`` or ``${`` must stay a password.
    """
    properties: dict[str, Any] = {
        "type": "postgres",
        "host": str(params.get("host") or "127.0.0.1"),
        "port": str(params.get("port") or 5432),
        "username": str(params.get("user") or ""),
        "password": str(params.get("password") or ""),
        "database": str(params.get("dbname") or ""),
        "schema": schema,
    }
    if params.get("sslmode"):
        properties["sslmode"] = str(params["sslmode"])
    return properties


class _CountingSampler:
    """Counts failing rows for Soda's metrics and stores none of them."""

    def __init__(self) -> None:
        self.logs: Any = None

    def store_sample(self, sample_context: Any) -> Any:
        from soda.sampler.sample_ref import SampleRef

        rows = sample_context.sample.get_rows_count()
        return SampleRef(
            name=sample_context.sample_name,
            schema=None,
            total_row_count=rows,
            stored_row_count=0,
            type=SampleRef.TYPE_NOT_PERSISTED,
            message="Atlas does not keep failed-row samples",
        )


def _restrict_to_run(scan: Any, run_id: int) -> None:
    """Filter every check of the dataset to one run's rows (``_atlas_run_id``)."""
    run_filter = f"_atlas_run_id = {int(run_id)}"
    for ds_cfg in scan._sodacl_cfg.data_source_scan_cfgs.values():
        for table_cfg in ds_cfg.tables_cfgs.values():
            for partition_cfg in table_cfg.partition_cfgs:
                existing = partition_cfg.sql_partition_filter
                partition_cfg.sql_partition_filter = (
                    f"({existing}) AND {run_filter}" if existing else run_filter
                )


def _open_read_only(scan: Any, data_source_name: str, statement_timeout_ms: int) -> str | None:
    """Connect Soda's data source up front and make its session read-only.

    SodaCL allows user-written SQL (failed-rows queries, user-defined
    metrics); a read-only session with a statement timeout keeps those from
    changing or hogging the warehouse. Returns an error message on failure.
    """
    data_source = scan._data_source_manager.get_data_source(data_source_name)
    if data_source is None or data_source.connection is None:
        errors = [log.message for log in scan.get_error_logs()]
        return "; ".join(errors) or f"could not connect data source {data_source_name!r}"
    connection = data_source.connection
    connection.set_session(readonly=True)
    with connection.cursor() as cur:
        cur.execute("SELECT set_config('statement_timeout', %s, false)", (str(int(statement_timeout_ms)),))
    connection.commit()
    return None


def _close(scan: Any) -> None:
    # Soda 3.5 only closes connections it registered by name, never the data
    # source's own: left open, it idles in transaction and blocks DDL.
    for data_source in scan._data_source_manager.data_sources.values():
        connection = getattr(data_source, "connection", None)
        if connection is not None and not connection.closed:
            connection.close()


def _outcome_of(check: Any, errors: dict[int, list[str]]) -> CheckOutcome:
    line = check.check_cfg.location.line if check.check_cfg.location else None
    outcome = check.outcome.value if check.outcome is not None else "error"
    message = ""
    if outcome == "error":
        message = "; ".join(errors.get(line or -1, [])) or "Soda could not evaluate this check"
    elif outcome in ("fail", "warn"):
        diagnostics = check.get_log_diagnostic_dict() if hasattr(check, "get_log_diagnostic_dict") else {}
        message = ", ".join(f"{k}: {v}" for k, v in diagnostics.items() if k != "failed_rows_sample_ref")
    value = getattr(check, "check_value", None)
    return CheckOutcome(
        name=check.name,
        outcome=outcome,
        value=value,
        definition=check.check_cfg.source_line,
        message=message,
        line=line,
    )


def run_sodacl(
    connection: ConnectionSpec,
    *,
    schema: str,
    table: str,
    sodacl: str,
    data_source_name: str = "atlas",
    run_id: int | None = None,
    statement_timeout_ms: int = 300_000,
) -> list[CheckOutcome]:
    """Run the SodaCL checks of ``table`` against ``schema.table``; one outcome per check.

    ``sodacl`` refers to the table by its warehouse name (``checks for
    orders:``). With ``run_id`` every check sees only that run's rows.
    Documents that do not parse come back as error outcomes, one per
    problem, without touching the database; checks Atlas cannot run (Soda
    Cloud ones, other tables) come back as errors while the rest run.
    """
    scan = new_scan(data_source_name)
    scan.set_scan_definition_name(f"atlas_{table}")
    scan.add_sodacl_yaml_str(sodacl)
    parse_errors = error_messages(scan, sodacl)
    if parse_errors or not sodacl.strip():
        problems = parse_errors or [(None, "the SodaCL document is empty")]
        return [
            CheckOutcome(
                name="SodaCL",
                outcome="error",
                value=None,
                definition="",
                message=format_message(ln, msg),
                line=ln,
            )
            for ln, msg in problems
        ]

    outcomes: list[CheckOutcome] = []
    skipped = unsupported(scan, sodacl, table)
    for line, message, check_cfg in skipped:
        outcomes.append(
            CheckOutcome(
                name=(check_cfg.name or check_cfg.source_line) if check_cfg is not None else "SodaCL",
                outcome="error",
                value=None,
                definition=check_cfg.source_line if check_cfg is not None else "",
                message=format_message(line, message),
                line=line,
                needs_cloud=check_cfg is not None and needs_cloud(check_cfg),
            )
        )
    drop_unsupported(scan, table, {id(cfg) for _, _, cfg in skipped if cfg is not None})
    if not any(check_cfgs for _, check_cfgs in table_checks(scan)):
        return outcomes

    if run_id is not None:
        _restrict_to_run(scan, run_id)
    properties = _data_source_properties(connection_params(connection), schema)
    scan._configuration.data_source_properties_by_name[data_source_name] = properties
    scan.disable_telemetry()
    scan.sampler = _CountingSampler()
    # Soda would otherwise fetch up to 100 failing rows per check as samples.
    scan._configuration.samples_limit = 0
    try:
        failure = _open_read_only(scan, data_source_name, statement_timeout_ms)
        if failure:
            return outcomes + [
                CheckOutcome(name="SodaCL", outcome="error", value=None, definition="", message=failure)
            ]
        scan.execute()
    finally:
        _close(scan)

    errors: dict[int, list[str]] = {}
    for log in scan.get_error_logs():
        line = log.location.line if log.location is not None and log.location.line else -1
        errors.setdefault(line, []).append(log.message)
    outcomes += [_outcome_of(check, errors) for check in scan._checks]
    return outcomes
