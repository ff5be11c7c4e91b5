"""Scanning a run's chart rows for personal data: sample in SQL, detect in Python, confirm in SQL.

1. **Sample.** One pass over the run's rows picks, per column, the non-null
   values whose row has the smallest ``hashint8extended(_atlas_row, seed)``:
   a uniform sample that is the same on every scan of the same rows. A hash
   threshold per column (from the profile's non-null count) keeps the pass
   from fetching more than about 1.25 × the sample size per column.
2. **Detect.** ``PiiDetector.detect`` classifies each sample; a structured
   column keeps its winning entity, a free-text column every entity found.
3. **Confirm.** One aggregate query counts, over all the run's rows, the
   values matching each finding's ``pg_pattern`` (cells containing it, for
   free text), and ``finalize`` turns that share into the final confidence.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from psycopg import sql

from atlas import warehouse
from catalog.choices import ColumnType

SEED = 0x41544C53  # fixed: a rescan of the same rows draws the same sample
HASH_RANGE = 1 << 24
HASH = sql.SQL("(hashint8extended(_atlas_row, {}) & {})").format(
    sql.Literal(SEED), sql.Literal(HASH_RANGE - 1))
MARGIN = 1.25  # fetch a quarter more than needed, so a column rarely needs a second look
SKIPPED_TYPES = {ColumnType.BOOLEAN}  # true/false is never personal data

Progress = Callable[[float, str], None]


@dataclass
class ScanTarget:
    """A column to scan: its original name (the detector's context), warehouse name, type, non-null count."""

    name: str
    warehouse_name: str
    data_type: str
    non_null: int


@dataclass
class ColumnScan:
    """What one column's scan found; ``findings`` are finalized over all rows."""

    target: ScanTarget
    sample_size: int = 0
    findings: list = field(default_factory=list)

    @property
    def winner(self) -> str:
        return self.findings[0].entity if self.findings else ""


def scannable(targets: Sequence[ScanTarget]) -> list[ScanTarget]:
    """The targets worth reading: not boolean, at least two values."""
    return [t for t in targets if t.data_type not in SKIPPED_TYPES and t.non_null >= 2]


def _threshold(target: ScanTarget, size: int) -> int:
    share = min(1.0, MARGIN * size / target.non_null) if target.non_null else 1.0
    return HASH_RANGE if share >= 1.0 else max(1, math.ceil(share * HASH_RANGE))


def _as_text(column: str) -> sql.Composable:
    return sql.SQL("{}::text").format(sql.Identifier(column))


def sample_values(cursor, table: str, run_id: int, targets: Sequence[ScanTarget],
                  size: int) -> dict[str, list[str]]:
    """Up to ``size`` non-null values per column as text, the same ones on every scan of these rows."""
    if not targets:
        return {}
    thresholds = [_threshold(t, size) for t in targets]
    wanted = sql.SQL(" OR ").join(
        sql.SQL("({} IS NOT NULL AND _atlas_h < {})").format(
            sql.Identifier(t.warehouse_name), sql.Literal(limit))
        for t, limit in zip(targets, thresholds, strict=True)
    )
    query = sql.SQL(
        "SELECT _atlas_h, _atlas_row, {columns} FROM (SELECT {hash} AS _atlas_h, * FROM {chart} "
        "WHERE _atlas_run_id = %s) s WHERE _atlas_h < {top} AND ({wanted})"
    ).format(
        columns=sql.SQL(", ").join(_as_text(t.warehouse_name) for t in targets), hash=HASH,
        chart=warehouse.table("chart", table), top=sql.Literal(max(thresholds)), wanted=wanted,
    )
    cursor.execute(query, [run_id])
    rows = sorted(cursor.fetchall(), key=lambda row: (row[0], row[1]))
    samples: dict[str, list[str]] = {}
    for index, (target, limit) in enumerate(zip(targets, thresholds, strict=True), start=2):
        values = [row[index] for row in rows if row[0] < limit and row[index] is not None][:size]
        if len(values) < min(size, target.non_null):
            values = _column_sample(cursor, table, run_id, target, size)
        samples[target.warehouse_name] = values
    return samples


def _column_sample(cursor, table: str, run_id: int, target: ScanTarget, size: int) -> list[str]:
    """One column's sample on its own, for the rare column the shared pass under-filled."""
    column = sql.Identifier(target.warehouse_name)
    cursor.execute(
        sql.SQL("SELECT {text} FROM {chart} WHERE _atlas_run_id = %s AND {column} IS NOT NULL "
                "ORDER BY {hash}, _atlas_row LIMIT %s").format(
            text=_as_text(target.warehouse_name), chart=warehouse.table("chart", table), column=column,
            hash=HASH),
        [run_id, size],
    )
    return [row[0] for row in cursor.fetchall()]


def worth_detecting(target: ScanTarget, values: Sequence[str]) -> bool:
    """False for timestamps with a time of day: events, never personal data (a birth date is at midnight).

    Saves the detector its slowest kind of column on event-heavy tables.
    """
    if target.data_type != ColumnType.TIMESTAMP or not values:
        return True
    midnight = sum(1 for value in values if value[11:19] == "00:00:00")
    return midnight >= 0.9 * len(values)


def detect(detector, targets: Sequence[ScanTarget], samples: dict[str, list[str]],
           progress: Progress | None = None) -> dict[str, list]:
    """Raw findings per column: a structured column's winner, or each entity of a free-text column."""
    from compliance.pii import ColumnSample

    found: dict[str, list] = {}
    for number, target in enumerate(targets, start=1):
        values = samples.get(target.warehouse_name, [])
        findings = []
        if worth_detecting(target, values):
            findings = detector.detect(ColumnSample(target.name, values))
        if findings and not findings[0].free_text:
            findings = findings[:1]
        if findings:
            found[target.warehouse_name] = findings
        if progress:
            progress(number / len(targets), f"classified {number} of {len(targets)} columns")
    return found


def count_matches(cursor, table: str, run_id: int, checks: Sequence[tuple[str, str]]) -> list[int]:
    """For each ``(column, pg_pattern)``: the run's rows whose value (as text) matches, in ONE query."""
    if not checks:
        return []
    # Patterns travel as parameters: a literal "%" in one would read as a placeholder.
    counts = sql.SQL(", ").join(
        sql.SQL("count(*) FILTER (WHERE {} ~ %s)").format(_as_text(column)) for column, _ in checks
    )
    cursor.execute(
        sql.SQL("SELECT {} FROM {} WHERE _atlas_run_id = %s").format(counts, warehouse.table("chart", table)),
        [pattern for _, pattern in checks] + [run_id],
    )
    return list(cursor.fetchone())


def confirm(cursor, detector, table: str, run_id: int, targets: Sequence[ScanTarget],
            raw: dict[str, list]) -> dict[str, list]:
    """Findings finalized with all-rows shares: counted in SQL, or (no pattern) estimated from the sample."""
    by_name = {t.warehouse_name: t for t in targets}
    checks = [(column, f.pg_pattern) for column, findings in raw.items() for f in findings if f.pg_pattern]
    counts = iter(count_matches(cursor, table, run_id, checks))
    final: dict[str, list] = {}
    for column, findings in raw.items():
        target = by_name[column]
        done = []
        for finding in findings:
            if finding.pg_pattern:
                matching = next(counts)
            else:
                matching = round(finding.share * target.non_null)
            result = detector.finalize(finding, rows_matching=matching, rows_non_null=target.non_null,
                                       column_name=target.name)
            if not finding.pg_pattern:
                estimated = result.explanation.replace(
                    "% of all rows match", "% of all rows, estimated from the sample (no SQL pattern)")
                result = dataclasses.replace(result, explanation=estimated)
            done.append(result)
        final[column] = sorted(done, key=lambda f: -f.confidence)
    return final


def scan(cursor, detector, table: str, run_id: int, targets: Sequence[ScanTarget], size: int,
         progress: Progress | None = None) -> list[ColumnScan]:
    """Sample, detect and confirm every scannable target; one ``ColumnScan`` per target (empty when clean)."""
    say = progress or (lambda fraction, message: None)
    readable = scannable(targets)
    say(0.05, f"sampling {len(readable)} columns")
    samples = sample_values(cursor, table, run_id, readable, size)
    raw = detect(detector, readable, samples, progress=lambda f, m: say(0.15 + 0.6 * f, m))
    say(0.8, f"confirming {sum(len(v) for v in raw.values())} findings over all rows")
    final = confirm(cursor, detector, table, run_id, readable, raw)
    return [
        ColumnScan(target=t, sample_size=len(samples.get(t.warehouse_name, [])),
                   findings=final.get(t.warehouse_name, []))
        for t in targets
    ]
