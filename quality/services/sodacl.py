"""SodaCL checks: validation on save, and a scan of the run's chart rows.

Validation is the engine's (:func:`quality.engine.soda.validate_sodacl`:
syntax with the line, Soda Cloud-only checks, other tables). Running happens
inside the run's transaction, see :mod:`quality.services.soda_session`.
"""
from __future__ import annotations

import logging
import textwrap
from numbers import Number
from typing import Any

from quality.choices import CheckKind, CheckOutcome
from quality.services.checks import CheckRecord
from quality.services.soda_session import drop_check_cfg, new_scan, sandbox, table_check_cfgs
from quality.services.target import CheckTarget

logger = logging.getLogger(__name__)

SODA_OUTCOMES = {"pass": CheckOutcome.PASS, "warn": CheckOutcome.WARN, "fail": CheckOutcome.FAIL}


def validate_sodacl(text: str, table: str | None) -> list[str]:
    """Problems with a rule set's SodaCL (none when it is blank: SodaCL is optional)."""
    if not (text or "").strip():
        return []
    from quality.engine.soda import validate_sodacl as engine_validate

    return engine_validate(text, table=table)


def _definition(check_cfg: Any, text: str) -> str:
    """The check as the steward wrote it: its line and the indented block under it."""
    location = getattr(check_cfg, "location", None)
    lines = text.splitlines()
    number = getattr(location, "line", None)
    if not number or number > len(lines):
        return str(getattr(check_cfg, "source_line", "") or "")
    first = lines[number - 1]
    indent = len(first) - len(first.lstrip())
    block = [first]
    for line in lines[number:]:
        if line.strip() and len(line) - len(line.lstrip()) <= indent:
            break
        block.append(line)
    return textwrap.dedent("\n".join(block).rstrip()).removeprefix("- ")


def _value(check: Any) -> float | None:
    value = getattr(check, "check_value", None)
    if isinstance(value, bool) or not isinstance(value, Number):
        return None
    return float(value)


def _error_for(check: Any, logs: list[Any]) -> str:
    """Why a check was not evaluated: an error logged at its line, else the first failed query, else any."""
    line = getattr(getattr(check.check_cfg, "location", None), "line", None)
    at_line = [log for log in logs if getattr(getattr(log, "location", None), "line", None) == line]
    queries = [log for log in logs if str(log.message).startswith("Query execution error")]
    chosen = (at_line or queries or logs or [None])[0]
    if chosen is None:
        return "Soda could not evaluate this check."
    return str(chosen.message).splitlines()[0]


def _message(check: Any, outcome: str, logs: list[Any]) -> str:
    if outcome == CheckOutcome.ERROR:
        return _error_for(check, logs)
    try:
        diagnostics = check.get_log_diagnostic_dict()
    except Exception:  # diagnostics are a courtesy; never fail a run over them
        return ""
    parts = [f"{k} = {v}" for k, v in diagnostics.items() if k != "check_value" and v not in (None, [], {})]
    return "; ".join(parts)


def _records(scan: Any, text: str) -> list[CheckRecord]:
    logs = list(scan.get_error_logs())
    records = []
    for check in scan._checks:
        if getattr(check, "archetype", None) is not None:
            continue
        outcome = SODA_OUTCOMES.get(str(getattr(check.outcome, "value", check.outcome or "")).lower(),
                                    CheckOutcome.ERROR)
        records.append(CheckRecord(
            kind=CheckKind.SODA, name=str(check.name), outcome=outcome, value=_value(check),
            definition=_definition(check.check_cfg, text), message=_message(check, outcome, logs),
        ))
    return records


def run_soda_checks(target: CheckTarget, text: str) -> list[CheckRecord]:
    """Run ``text`` against this run's chart rows on the run's own connection; one record per check.

    Failed-row samples are off (``samples limit`` forced to 0 on every check);
    Soda Cloud-only checks are not run and come back ``skipped`` with the
    reason. A scan that breaks as a whole yields one ``error`` record.
    """
    if not (text or "").strip():
        return []
    from quality.engine.soda import HISTORY_HINT, needs_cloud

    connection = target.connection
    columns = [c.warehouse_name for c in target.columns]
    records: list[CheckRecord] = []
    try:
        with sandbox(connection, target.table, target.run.pk, columns) as schema:
            scan = new_scan(connection, schema)
            scan.add_sodacl_yaml_str(text, file_name="sodacl.yml")
            for check_cfg in list(table_check_cfgs(scan)):
                if needs_cloud(check_cfg):
                    drop_check_cfg(scan, check_cfg)
                    records.append(CheckRecord(
                        kind=CheckKind.SODA, name=str(check_cfg.source_line), outcome=CheckOutcome.SKIPPED,
                        definition=_definition(check_cfg, text),
                        message=f"This check needs Soda Cloud. {HISTORY_HINT}.",
                    ))
                elif hasattr(check_cfg, "samples_limit"):
                    check_cfg.samples_limit = 0
            scan.execute()
            records.extend(_records(scan, text))
    except Exception as exc:  # Soda's failure must become a check result, not a crash
        logger.exception("SodaCL scan of %s run %s failed", target.table, target.run.pk)
        records.append(CheckRecord(
            kind=CheckKind.SODA, name="SodaCL scan", outcome=CheckOutcome.ERROR, definition=text,
            message=f"Soda Core could not run the checks ({type(exc).__name__}: {str(exc)[:300]}).",
        ))
    return records
