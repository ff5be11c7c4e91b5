"""Turn the counts of a measurement into dimension scores.

Each function here is the written formula of one dimension (see
``docs/quality.md``); they are pure and take the counts the SQL passes
returned, keyed ``"<what>:<warehouse column>"``.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from typing import Any

from .formats import format_for
from .passes import DuplicateCounts, RobustStats
from .result import DimensionResult, mean, ratio
from .rules import CompiledRule
from .spec import ColumnIndex, ColumnSpec, QualityConfig

MAD_SCALE = 1.4826  # makes the MAD estimate the standard deviation of normal data
RULE_VIOLATION_WEIGHT = 1 << 32  # see the rule sums built in dimensions._build_aggregate


def _dimension(name: str, score: float, config: QualityConfig, **parts: Any) -> DimensionResult:
    return DimensionResult(name=name, score=score, threshold=config.thresholds[name], **parts)


def completeness(
    columns: list[ColumnSpec], counts: dict[str, Any], rows: int, config: QualityConfig
) -> DimensionResult:
    """Mean over columns of the share of rows holding a non-blank value."""
    scores: dict[str, float] = {}
    missing: dict[str, int] = {}
    for spec in columns:
        present = int(counts[f"present:{spec.column}"])
        missing[spec.name] = rows - present
        scores[spec.name] = ratio(rows - present, rows)
    return _dimension(
        "completeness",
        mean(list(scores.values())),
        config,
        columns=scores,
        details={"rows": rows, "missing": missing},
    )


def uniqueness(key: list[ColumnSpec], dups: DuplicateCounts, config: QualityConfig) -> DimensionResult:
    """The lower of key uniqueness and row uniqueness.

    Row uniqueness is ``distinct rows / rows``. Key uniqueness is
    ``distinct non-null keys / rows``: a row with a missing key part cannot
    be told apart, and every extra row sharing a key is a duplicate. Exact
    copies are key duplicates too, so with a key the key figure decides.
    """
    rows = dups.rows
    row_score = ratio(rows - dups.distinct_rows, rows)
    rules = {"distinct rows": row_score}
    details: dict[str, Any] = {
        "rows": rows,
        "distinct_rows": dups.distinct_rows,
        "duplicate_rows": rows - dups.distinct_rows,
        "duplicate_row_share": 1.0 - row_score,
        "key": [c.name for c in key],
    }
    score = row_score
    columns: dict[str, float] = {}
    if key and dups.distinct_keys is not None:
        key_score = ratio(rows - dups.distinct_keys, rows)
        rules["distinct key"] = key_score
        details.update(
            distinct_keys=dups.distinct_keys,
            duplicate_keys=rows - dups.distinct_keys - (dups.null_key_rows or 0),
            null_key_rows=dups.null_key_rows,
            duplicate_key_share=1.0 - key_score,
        )
        score = min(row_score, key_score)
        columns = {c.name: key_score for c in key}
    return _dimension("uniqueness", score, config, columns=columns, rules=rules, details=details)


def _age_days(newest: Any, now: datetime) -> float | None:
    if newest is None:
        return None
    if isinstance(newest, datetime):
        return (now - newest).total_seconds() / 86400.0
    if isinstance(newest, date):
        return float((now.date() - newest).days)
    return None


def timeliness(
    candidates: list[list[ColumnSpec]],
    counts: dict[str, Any],
    rows: int,
    config: QualityConfig,
    now: datetime,
) -> DimensionResult:
    """Share of dated rows whose timestamp lies within ``max_age_days`` of now.

    Candidates come in groups by name (updated before created before other
    dates); the first group holding any value is used, and inside it the
    column with the newest value. With no candidate, the load time
    ``_atlas_loaded_at`` stands in.
    """
    chosen: ColumnSpec | None = None
    newest: Any = None
    for group in candidates:
        for spec in group:
            value = counts[f"newest:{spec.column}"]
            if value is not None and (newest is None or _as_utc(value) > _as_utc(newest)):
                chosen, newest = spec, value
        if chosen is not None:
            break
    if chosen is None and candidates:
        chosen = candidates[0][0]
    column = chosen.column if chosen else "_atlas_loaded_at"
    dated = int(counts[f"present:{column}"] if chosen else counts[f"dated:{column}"])
    fresh = int(counts[f"fresh:{column}"])
    if rows == 0:
        score = 1.0
    elif dated == 0:
        score = 0.0  # nothing shows the data is recent
    else:
        score = fresh / dated
    age = _age_days(counts[f"newest:{column}"], now)
    label = chosen.name if chosen else "_atlas_loaded_at"
    return _dimension(
        "timeliness",
        score,
        config,
        columns={label: score},
        details={
            "column": label,
            "max_age_days": config.max_age_days,
            "newest": counts[f"newest:{column}"],
            "newest_age_days": age,
            "newest_within_window": age is not None and age <= config.max_age_days,
            "dated_rows": dated,
            "rows_in_window": fresh,
            "stale_rows": dated - fresh,
            "stale_share": (dated - fresh) / dated if dated else 0.0,
            "candidates": [c.name for group in candidates for c in group],
        },
    )


def _as_utc(value: Any) -> datetime:
    if isinstance(value, datetime):
        return value
    return datetime(value.year, value.month, value.day, tzinfo=UTC)


def validity(
    columns: list[ColumnSpec],
    counts: dict[str, Any],
    rejected_by_column: dict[str, int],
    rejected_total: int,
    config: QualityConfig,
) -> DimensionResult:
    """Mean over assessed columns of ``1 - invalid / (present + rejected)``.

    A column is assessed when something can make its values invalid: a cast
    to a non-text type, a format (semantic type), a code list, a date range,
    or rows rejected on it.
    """
    scores: dict[str, float] = {}
    per_column: dict[str, dict[str, Any]] = {}
    for spec in columns:
        rejected = rejected_by_column.get(spec.column, 0)
        checks: dict[str, int] = {}
        if not spec.is_text or rejected:
            checks["cast"] = rejected
        if format_for(spec.semantic_type):
            checks[f"format {spec.semantic_type}"] = int(counts[f"format:{spec.column}"])
        if spec.allowed_values:
            checks["allowed values"] = int(counts[f"allowed:{spec.column}"])
        if spec.is_temporal:
            checks["date range"] = int(counts[f"range:{spec.column}"])
        if not checks:
            continue
        present = int(counts[f"present:{spec.column}"])
        invalid = sum(checks.values())
        assessed = present + rejected
        scores[spec.name] = ratio(invalid, assessed)
        per_column[spec.name] = {
            "assessed": assessed,
            "invalid": invalid,
            "invalid_share": 1.0 - scores[spec.name],
        }
        per_column[spec.name].update({f"invalid {name}": n for name, n in checks.items()})
    known = {c.column for c in columns}
    unattributed = sum(n for col, n in rejected_by_column.items() if col not in known)
    return _dimension(
        "validity",
        mean(list(scores.values())),
        config,
        columns=scores,
        details={
            "rejected_rows": rejected_total,
            "unattributed_rejects": unattributed,
            "per_column": per_column,
        },
    )


def accuracy_bounds(
    columns: list[ColumnSpec], stats: dict[str, RobustStats], config: QualityConfig
) -> dict[str, tuple[float | None, float | None]]:
    """Plausible range per numeric column: robust bounds narrowed by a declared range.

    Robust bounds are ``median ± k * 1.4826 * MAD``; when the MAD is 0 (over
    half the values are equal) Tukey's fences ``Q1 - 1.5 IQR .. Q3 + 1.5 IQR``
    stand in; when the IQR is 0 too there is no spread to judge by.
    """
    bounds: dict[str, tuple[float | None, float | None]] = {}
    for spec in columns:
        low, high = robust_bounds(stats.get(spec.column), config)
        if spec.min_value is not None:
            low = float(spec.min_value) if low is None else max(low, float(spec.min_value))
        if spec.max_value is not None:
            high = float(spec.max_value) if high is None else min(high, float(spec.max_value))
        if low is not None or high is not None:
            bounds[spec.column] = (low, high)
    return bounds


def robust_bounds(stat: RobustStats | None, config: QualityConfig) -> tuple[float | None, float | None]:
    if stat is None or stat.median is None:
        return None, None
    if stat.mad:
        spread = config.mad_k * MAD_SCALE * stat.mad
        return stat.median - spread, stat.median + spread
    if stat.q1 is not None and stat.q3 is not None and stat.q3 > stat.q1:
        iqr = stat.q3 - stat.q1
        return stat.q1 - config.iqr_k * iqr, stat.q3 + config.iqr_k * iqr
    return None, None


def _method(stat: RobustStats | None) -> str:
    if stat is None or stat.median is None:
        return "none"
    if stat.mad:
        return "mad"
    if stat.q1 is not None and stat.q3 is not None and stat.q3 > stat.q1:
        return "iqr"
    return "none"


def accuracy(
    columns: list[ColumnSpec],
    counts: dict[str, Any],
    stats: dict[str, RobustStats],
    bounds: dict[str, tuple[float | None, float | None]],
    config: QualityConfig,
    sample_step: int = 1,
) -> DimensionResult:
    """Mean over assessed numeric columns of the share of values inside their bounds."""
    scores: dict[str, float] = {}
    per_column: dict[str, dict[str, Any]] = {}
    for spec in columns:
        if spec.column not in bounds:
            continue
        present = int(counts[f"present:{spec.column}"])
        outside = int(counts[f"outside:{spec.column}"])
        scores[spec.name] = ratio(outside, present)
        stat = stats.get(spec.column)
        low, high = bounds[spec.column]
        per_column[spec.name] = {
            "method": _method(stat),
            "median": stat.median if stat else None,
            "mad": stat.mad if stat else None,
            "q1": stat.q1 if stat else None,
            "q3": stat.q3 if stat else None,
            "lower": low,
            "upper": high,
            "min_value": spec.min_value,
            "max_value": spec.max_value,
            "assessed": present,
            "outside": outside,
            "outside_share": 1.0 - scores[spec.name],
        }
    return _dimension(
        "accuracy",
        mean(list(scores.values())),
        config,
        columns=scores,
        details={
            "mad_k": config.mad_k,
            "iqr_k": config.iqr_k,
            "bounds_from": "all rows" if sample_step == 1 else f"a hashed sample of 1 row in {sample_step}",
            "per_column": per_column,
        },
    )


def consistency(
    rules: list[CompiledRule],
    errors: dict[str, str],
    counts: dict[str, Any],
    index: ColumnIndex,
    config: QualityConfig,
) -> DimensionResult:
    """Mean over rules of ``1 - violations / applicable rows``.

    A column's score is the lowest score of the rules that read it.
    """
    scores: dict[str, float] = {}
    per_rule: dict[str, dict[str, Any]] = {}
    columns: dict[str, float] = {}
    for n, compiled in enumerate(rules):
        packed = int(counts[f"rule:{n}"] or 0)
        violations, passes = divmod(packed, RULE_VIOLATION_WEIGHT)
        applicable = violations + passes
        score = ratio(violations, applicable)
        name = compiled.rule.name
        scores[name] = score
        per_rule[name] = {
            "kind": compiled.rule.kind,
            "automatic": compiled.rule.automatic,
            "applicable": applicable,
            "violations": violations,
            "violation_share": 1.0 - score,
        }
        for column in compiled.columns:
            label = index.resolve(column).name
            columns[label] = min(columns.get(label, 1.0), score)
    return _dimension(
        "consistency",
        mean(list(scores.values())),
        config,
        columns=columns,
        rules=scores,
        details={"per_rule": per_rule, "rule_errors": dict(errors)},
    )
