"""What the quality engine is asked to measure: columns, rules and thresholds.

These are plain dataclasses so the pipeline, the catalog and the tests can
build them without Django. Column references in a config (key, timeliness
column, rule operands) may use either the original header or the warehouse
column name; :func:`ColumnIndex.resolve` maps both to the spec.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

DIMENSIONS: tuple[str, ...] = (
    "completeness",
    "uniqueness",
    "timeliness",
    "validity",
    "accuracy",
    "consistency",
)

DEFAULT_THRESHOLDS: dict[str, float] = {
    "completeness": 0.95,
    "uniqueness": 0.98,
    "timeliness": 0.90,
    "validity": 0.90,
    "accuracy": 0.90,
    "consistency": 0.90,
}

PG_TYPES: frozenset[str] = frozenset({"bigint", "numeric", "boolean", "date", "timestamptz", "text"})
NUMERIC_TYPES: frozenset[str] = frozenset({"bigint", "numeric"})
TEMPORAL_TYPES: frozenset[str] = frozenset({"date", "timestamptz"})

# Spellings PostgreSQL itself reports (information_schema, format_type) for the
# six warehouse types, so callers can pass what the catalog read back.
_TYPE_ALIASES: dict[str, str] = {
    "int8": "bigint",
    "integer": "bigint",
    "int": "bigint",
    "int4": "bigint",
    "smallint": "bigint",
    "decimal": "numeric",
    "bool": "boolean",
    "timestamp with time zone": "timestamptz",
    "character varying": "text",
    "varchar": "text",
}


class QualityConfigError(ValueError):
    """A column spec, rule or config that cannot be measured as written."""


def normalise_pg_type(pg_type: str) -> str:
    """Map a PostgreSQL type spelling to one of the six warehouse types."""
    name = pg_type.strip().lower()
    if name.startswith(("numeric(", "decimal(")):
        name = "numeric"
    name = _TYPE_ALIASES.get(name, name)
    if name not in PG_TYPES:
        raise QualityConfigError(
            f"column type {pg_type!r} is not a warehouse type; expected one of {', '.join(sorted(PG_TYPES))}"
        )
    return name


@dataclass
class ColumnSpec:
    """One data column of a chart table.

    ``name`` is the header as received (what stewards see), ``column`` the
    sanitised warehouse identifier. ``semantic_type`` selects a format rule
    (see :mod:`quality.engine.formats`); ``allowed_values`` is a code list
    checked under validity; ``min_value``/``max_value`` a reference range
    checked under accuracy.
    """

    name: str
    column: str
    pg_type: str
    semantic_type: str | None = None
    allowed_values: list[str] | None = None
    min_value: Decimal | None = None
    max_value: Decimal | None = None

    def __post_init__(self) -> None:
        self.pg_type = normalise_pg_type(self.pg_type)
        if self.semantic_type:
            self.semantic_type = self.semantic_type.strip().lower()
        for attr in ("min_value", "max_value"):
            value = getattr(self, attr)
            if value is not None and not isinstance(value, Decimal):
                setattr(self, attr, Decimal(str(value)))

    @property
    def is_text(self) -> bool:
        return self.pg_type == "text"

    @property
    def is_numeric(self) -> bool:
        return self.pg_type in NUMERIC_TYPES

    @property
    def is_temporal(self) -> bool:
        return self.pg_type in TEMPORAL_TYPES


RuleKind = Literal["order", "equation", "sql"]


@dataclass
class CrossFieldRule:
    """A rule relating several columns of the same row.

    * ``order``: ``left <op> right`` where both sides are arithmetic
      expressions over columns (usually just a column) and ``op`` is one of
      ``< <= > >= = <>``.
    * ``equation``: ``expression`` is ``"lhs = rhs"`` (e.g.
      ``"total = qty * unit_price"``); a row passes when
      ``abs(lhs - rhs) <= tolerance``.
    * ``sql``: ``expression`` is a boolean condition in Atlas's small
      SQL-like grammar (comparisons, AND/OR/NOT, IS NULL, IN, BETWEEN, a few
      functions). It is parsed and rebuilt from known column identifiers, so
      no user text ever reaches PostgreSQL verbatim.

    A row where the rule evaluates to NULL (a side is missing) is not
    applicable and counts neither way.
    """

    name: str
    kind: RuleKind
    left: str | None = None
    right: str | None = None
    op: str = "<="
    expression: str | None = None
    tolerance: Decimal = Decimal("0.01")
    automatic: bool = False

    def __post_init__(self) -> None:
        if self.kind not in ("order", "equation", "sql"):
            raise QualityConfigError(
                f"rule {self.name!r}: kind must be order, equation or sql, not {self.kind!r}"
            )
        if not isinstance(self.tolerance, Decimal):
            self.tolerance = Decimal(str(self.tolerance))


def _default_thresholds() -> dict[str, float]:
    return dict(DEFAULT_THRESHOLDS)


@dataclass
class QualityConfig:
    """Thresholds and knobs for one measurement.

    ``thresholds`` may name only the dimensions that differ from the
    defaults. Timeliness passes when the share of rows whose timestamp lies
    within ``max_age_days`` of ``now`` reaches its threshold. ``now`` pins the
    clock for reproducible tests; it defaults to the time of measurement.
    Runs larger than ``robust_sample_rows`` estimate the robust bounds of
    accuracy from a hashed sample of about that many rows (the counts
    against those bounds still cover every row); 0 disables sampling.
    """

    thresholds: dict[str, float] = field(default_factory=_default_thresholds)
    max_age_days: float = 7.0
    mad_k: float = 3.5
    iqr_k: float = 1.5
    timeliness_column: str | None = None
    key: list[str] = field(default_factory=list)
    rules: list[CrossFieldRule] = field(default_factory=list)
    automatic_rules: bool = True
    now: datetime | None = None
    earliest_date: date = date(1900, 1, 1)
    future_days: int = 365
    robust_sample_rows: int = 100_000
    work_mem: str = "256MB"
    # Parallel workers per scan; None keeps the server's max_parallel_workers_per_gather.
    parallel_workers: int | None = None

    def __post_init__(self) -> None:
        unknown = set(self.thresholds) - set(DIMENSIONS)
        if unknown:
            raise QualityConfigError(
                f"unknown quality dimension(s) in thresholds: {', '.join(sorted(unknown))}"
            )
        merged = _default_thresholds()
        merged.update({k: float(v) for k, v in self.thresholds.items()})
        self.thresholds = merged
        if self.now is not None and self.now.tzinfo is None:
            raise QualityConfigError("QualityConfig.now must be timezone-aware")
        if self.max_age_days <= 0:
            raise QualityConfigError("max_age_days must be positive")


class ColumnIndex:
    """Look columns up by original header or warehouse name."""

    def __init__(self, columns: list[ColumnSpec]) -> None:
        if not columns:
            raise QualityConfigError("no columns to measure")
        self.columns = list(columns)
        self._by_column = {c.column: c for c in columns}
        self._by_name = {c.name: c for c in columns}
        if len(self._by_column) != len(columns):
            raise QualityConfigError("warehouse column names must be unique")

    def resolve(self, ref: str) -> ColumnSpec:
        """Return the spec a reference names; warehouse names win over headers."""
        spec = self._by_column.get(ref) or self._by_name.get(ref)
        if spec is None:
            raise QualityConfigError(f"unknown column {ref!r}")
        return spec

    def get(self, ref: str) -> ColumnSpec | None:
        return self._by_column.get(ref) or self._by_name.get(ref)
