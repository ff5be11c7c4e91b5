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

import re
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg import conninfo

from .soda_offline import prepare_soda_offline

OUTCOMES = ("pass", "warn", "fail", "error")
HISTORY_HINT = (
    "Atlas runs Soda Core without Soda Cloud, which keeps the history this check needs; "
    "use an Atlas history check instead (quality.engine.history: row count, mean or null share "
    "outside mean ± 3σ of recent runs)"
)


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


# -- parsing ---------------------------------------------------------------


def _new_scan(data_source_name: str) -> Any:
    prepare_soda_offline()
    from soda.scan import Scan

    scan = Scan()
    scan.set_data_source_name(data_source_name)
    return scan


def _line_of(text: str, log: Any) -> int | None:
    location = getattr(log, "location", None)
    if location is not None and location.line:
        return int(location.line)
    # Soda's check-grammar errors carry no location but quote the check.
    quoted = re.search(r'"([^"]+)"', log.message)
    if quoted:
        for number, line in enumerate(text.splitlines(), start=1):
            if quoted.group(1) in line:
                return number
    return None


def _error_messages(scan: Any, text: str) -> list[tuple[int | None, str]]:
    messages: list[tuple[int | None, str]] = []
    for log in scan.get_error_logs():
        message = log.message
        if log.exception is not None and message == "YAML syntax error":
            problem = getattr(log.exception, "problem", None) or str(log.exception).splitlines()[0]
            message = f"YAML syntax error: {problem}"
        messages.append((_line_of(text, log), message))
    return messages


def _format(line: int | None, message: str) -> str:
    return f"line {line}: {message}" if line else message


def _cloud_only_classes() -> tuple[type, ...]:
    from soda.sodacl.anomaly_detection_metric_check_cfg import AnomalyDetectionMetricCheckCfg
    from soda.sodacl.anomaly_metric_check_cfg import AnomalyMetricCheckCfg
    from soda.sodacl.change_over_time_metric_check_cfg import ChangeOverTimeMetricCheckCfg
    from soda.sodacl.distribution_check_cfg import DistributionCheckCfg

    return (
        AnomalyDetectionMetricCheckCfg,
        AnomalyMetricCheckCfg,
        ChangeOverTimeMetricCheckCfg,
        DistributionCheckCfg,
    )


def needs_cloud(check_cfg: Any) -> bool:
    """Whether a parsed check can only be evaluated against Soda Cloud history or reference data."""
    from soda.sodacl.group_evolution_check_cfg import GroupEvolutionCheckCfg
    from soda.sodacl.schema_check_cfg import SchemaCheckCfg

    if isinstance(check_cfg, _cloud_only_classes()):
        return True
    if isinstance(check_cfg, (SchemaCheckCfg, GroupEvolutionCheckCfg)):
        return bool(check_cfg.has_change_validations())
    return False


def _table_checks(scan: Any) -> Iterator[tuple[str, list[Any]]]:
    """(table name, the list holding each check cfg) for every table-level check list."""
    for ds_cfg in scan._sodacl_cfg.data_source_scan_cfgs.values():
        for table_cfg in ds_cfg.tables_cfgs.values():
            for partition_cfg in table_cfg.partition_cfgs:
                yield table_cfg.table_name, partition_cfg.check_cfgs
                for column_cfg in partition_cfg.column_checks_cfgs.values():
                    yield table_cfg.table_name, column_cfg.check_cfgs


def _same_table(name: str, table: str) -> bool:
    return name.strip('"').lower() == table.lower()


def _header_line(text: str, name: str) -> int | None:
    pattern = re.compile(rf"^\s*checks\s+for\s+\"?{re.escape(name.strip(chr(34)))}\"?\b", re.IGNORECASE)
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def _unsupported(scan: Any, text: str, table: str | None) -> list[tuple[int | None, str, Any]]:
    """Parsed content Atlas will not run: (line, message, check cfg or None)."""
    problems: list[tuple[int | None, str, Any]] = []
    cfg = scan._sodacl_cfg
    if cfg.for_each_dataset_cfgs or cfg.for_each_column_cfgs:
        problems.append(
            (None, "'for each' sections are not supported: write checks for this dataset's table", None)
        )
    for ds_cfg in cfg.data_source_scan_cfgs.values():
        if ds_cfg.data_source_cfgs:
            problems.append(
                (
                    None,
                    "discover/profile/sample/automated monitoring sections are not supported in Atlas",
                    None,
                )
            )
        for check_cfg in ds_cfg.check_cfgs:
            line = check_cfg.location.line if check_cfg.location else None
            problems.append(
                (line, "checks outside 'checks for <table>' are not supported in Atlas", check_cfg)
            )
        if table is not None:
            for name in ds_cfg.tables_cfgs:
                if not _same_table(name, table):
                    problems.append(
                        (
                            _header_line(text, name),
                            f"checks for '{name}', but this dataset's table is '{table}'",
                            None,
                        )
                    )
    for _, check_cfgs in _table_checks(scan):
        for check_cfg in check_cfgs:
            if needs_cloud(check_cfg):
                line = check_cfg.location.line if check_cfg.location else None
                problems.append(
                    (line, f'"{check_cfg.source_line}" needs Soda Cloud. {HISTORY_HINT}', check_cfg)
                )
    return problems


def validate_sodacl(text: str, *, table: str | None = None, data_source_name: str = "atlas") -> list[str]:
    """Check a SodaCL document without running it; return human-readable problems.

    Reports YAML and SodaCL syntax errors with their line, checks Atlas
    cannot run (Soda Cloud ones, other tables when ``table`` is given,
    data-source-wide sections). An empty list means the document is fine.
    """
    if not text.strip():
        return ["the SodaCL document is empty: write at least one 'checks for <table>:' section"]
    scan = _new_scan(data_source_name)
    scan.add_sodacl_yaml_str(text)
    messages = [_format(line, message) for line, message in _error_messages(scan, text)]
    messages += [_format(line, message) for line, message, _ in _unsupported(scan, text, table)]
    if not messages and not any(check_cfgs for _, check_cfgs in _table_checks(scan)):
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


def _configuration_yaml(params: Mapping[str, Any], schema: str, data_source_name: str) -> str:
    import json

    # JSON is YAML: json.dumps quotes every value safely.
    host = params.get("host") or "127.0.0.1"
    fields = {
        "type": "postgres",
        "host": str(host),
        "port": str(params.get("port") or 5432),
        "username": str(params.get("user") or ""),
        "password": str(params.get("password") or ""),
        "database": str(params.get("dbname") or ""),
        "schema": schema,
        "sampler": {"disable_samples": True},
    }
    if params.get("sslmode"):
        fields["sslmode"] = str(params["sslmode"])
    return json.dumps({f"data_source {data_source_name}": fields})


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
    scan = _new_scan(data_source_name)
    scan.set_scan_definition_name(f"atlas_{table}")
    scan.add_sodacl_yaml_str(sodacl)
    parse_errors = _error_messages(scan, sodacl)
    if parse_errors or not sodacl.strip():
        problems = parse_errors or [(None, "the SodaCL document is empty")]
        return [
            CheckOutcome(
                name="SodaCL", outcome="error", value=None, definition="", message=_format(ln, msg), line=ln
            )
            for ln, msg in problems
        ]

    outcomes: list[CheckOutcome] = []
    skipped = _unsupported(scan, sodacl, table)
    for line, message, check_cfg in skipped:
        outcomes.append(
            CheckOutcome(
                name=(check_cfg.name or check_cfg.source_line) if check_cfg is not None else "SodaCL",
                outcome="error",
                value=None,
                definition=check_cfg.source_line if check_cfg is not None else "",
                message=_format(line, message),
                line=line,
                needs_cloud=check_cfg is not None and needs_cloud(check_cfg),
            )
        )
    _drop_unsupported(scan, table, {id(cfg) for _, _, cfg in skipped if cfg is not None})
    if not any(check_cfgs for _, check_cfgs in _table_checks(scan)):
        return outcomes

    if run_id is not None:
        _restrict_to_run(scan, run_id)
    scan.add_configuration_yaml_str(
        _configuration_yaml(connection_params(connection), schema, data_source_name)
    )
    scan.disable_telemetry()
    scan.sampler = _CountingSampler()
    # Soda would otherwise fetch up to 100 failing rows per check as samples.
    scan._configuration.samples_limit = 0
    failure = _open_read_only(scan, data_source_name, statement_timeout_ms)
    if failure:
        return outcomes + [
            CheckOutcome(name="SodaCL", outcome="error", value=None, definition="", message=failure)
        ]
    scan.execute()

    errors: dict[int, list[str]] = {}
    for log in scan.get_error_logs():
        line = log.location.line if log.location is not None and log.location.line else -1
        errors.setdefault(line, []).append(log.message)
    outcomes += [_outcome_of(check, errors) for check in scan._checks]
    return outcomes


def _drop_unsupported(scan: Any, table: str, skipped: set[int]) -> None:
    """Remove what Atlas will not run from the parsed document before execution."""
    cfg = scan._sodacl_cfg
    cfg.for_each_dataset_cfgs.clear()
    cfg.for_each_column_cfgs.clear()
    for ds_cfg in cfg.data_source_scan_cfgs.values():
        ds_cfg.data_source_cfgs.clear()
        ds_cfg.check_cfgs.clear()
        for name in [n for n in ds_cfg.tables_cfgs if not _same_table(n, table)]:
            del ds_cfg.tables_cfgs[name]
    for _, check_cfgs in _table_checks(scan):
        check_cfgs[:] = [c for c in check_cfgs if id(c) not in skipped]
