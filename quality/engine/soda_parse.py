"""Reading SodaCL with Soda Core's own parser, and what Atlas will not run.

Helpers for :mod:`quality.engine.soda`. They work on a parsed Soda ``Scan``
(its ``_sodacl_cfg`` tree: Soda 3.5 offers no public walk over parsed
checks) and never touch a database.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from .soda_offline import prepare_soda_offline

HISTORY_HINT = (
    "Atlas runs Soda Core without Soda Cloud, which keeps the history this check needs; "
    "use an Atlas history check instead (quality.engine.history: row count, mean or null share "
    "outside mean ± 3σ of recent runs)"
)


def new_scan(data_source_name: str) -> Any:
    prepare_soda_offline()
    from soda.scan import Scan

    scan = Scan()
    scan.set_data_source_name(data_source_name)
    return scan


def line_of(text: str, log: Any) -> int | None:
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


def error_messages(scan: Any, text: str) -> list[tuple[int | None, str]]:
    messages: list[tuple[int | None, str]] = []
    for log in scan.get_error_logs():
        message = log.message
        if log.exception is not None and message == "YAML syntax error":
            problem = getattr(log.exception, "problem", None) or str(log.exception).splitlines()[0]
            message = f"YAML syntax error: {problem}"
        messages.append((line_of(text, log), message))
    return messages


def format_message(line: int | None, message: str) -> str:
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


def table_checks(scan: Any) -> Iterator[tuple[str, list[Any]]]:
    """(table name, the list holding each check cfg) for every table-level check list."""
    for ds_cfg in scan._sodacl_cfg.data_source_scan_cfgs.values():
        for table_cfg in ds_cfg.tables_cfgs.values():
            for partition_cfg in table_cfg.partition_cfgs:
                yield table_cfg.table_name, partition_cfg.check_cfgs
                for column_cfg in partition_cfg.column_checks_cfgs.values():
                    yield table_cfg.table_name, column_cfg.check_cfgs


def same_table(name: str, table: str) -> bool:
    return name.strip('"').lower() == table.lower()


def header_line(text: str, name: str) -> int | None:
    pattern = re.compile(rf"^\s*checks\s+for\s+\"?{re.escape(name.strip(chr(34)))}\"?\b", re.IGNORECASE)
    for number, line in enumerate(text.splitlines(), start=1):
        if pattern.search(line):
            return number
    return None


def unsupported(scan: Any, text: str, table: str | None) -> list[tuple[int | None, str, Any]]:
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
                if not same_table(name, table):
                    problems.append(
                        (
                            header_line(text, name),
                            f"checks for '{name}', but this dataset's table is '{table}'",
                            None,
                        )
                    )
    for _, check_cfgs in table_checks(scan):
        for check_cfg in check_cfgs:
            if needs_cloud(check_cfg):
                line = check_cfg.location.line if check_cfg.location else None
                problems.append(
                    (line, f'"{check_cfg.source_line}" needs Soda Cloud. {HISTORY_HINT}', check_cfg)
                )
    return problems


def drop_unsupported(scan: Any, table: str, skipped: set[int]) -> None:
    """Remove what Atlas will not run from the parsed document before execution."""
    cfg = scan._sodacl_cfg
    cfg.for_each_dataset_cfgs.clear()
    cfg.for_each_column_cfgs.clear()
    for ds_cfg in cfg.data_source_scan_cfgs.values():
        ds_cfg.data_source_cfgs.clear()
        ds_cfg.check_cfgs.clear()
        for name in [n for n in ds_cfg.tables_cfgs if not same_table(n, table)]:
            del ds_cfg.tables_cfgs[name]
    for _, check_cfgs in table_checks(scan):
        check_cfgs[:] = [c for c in check_cfgs if id(c) not in skipped]
