"""History checks: is this run's metric unusual compared with recent runs?

Atlas's answer to Soda Cloud's anomaly detection and ``change for`` checks,
in the style of Deequ's ``OnlineNormalStrategy``: a metric (row count, a
column's mean, a column's null share) is flagged when it falls outside
``mean ± k·σ`` of its values in the last ``window`` runs.

:func:`check_history` is a pure function over past values; the caller
(quality history in the Django app) supplies them. :func:`current_metrics`
computes this run's values in one SQL aggregate.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from typing import Any, Literal

import psycopg
from psycopg import sql

from .passes import Target, count_present
from .spec import ColumnSpec

MetricKind = Literal["row_count", "mean", "null_share"]
_NAME = re.compile(r"^(row_count|mean|null_share)(?:\((.+)\))?$")


@dataclass(frozen=True)
class Metric:
    """A metric tracked across runs; ``column`` is the warehouse column for mean/null_share."""

    kind: MetricKind
    column: str | None = None

    def __post_init__(self) -> None:
        if self.kind not in ("row_count", "mean", "null_share"):
            raise ValueError(f"unknown history metric {self.kind!r}; use row_count, mean or null_share")
        if (self.kind == "row_count") != (self.column is None):
            raise ValueError("row_count takes no column; mean and null_share need one")

    @property
    def name(self) -> str:
        """Stable name to store values under, e.g. ``mean(amount)``."""
        return self.kind if self.column is None else f"{self.kind}({self.column})"

    @classmethod
    def parse(cls, name: str) -> Metric:
        match = _NAME.match(name.strip())
        if not match:
            raise ValueError(f"cannot read metric {name!r}; expected row_count, mean(col) or null_share(col)")
        return cls(match.group(1), match.group(2))  # type: ignore[arg-type]


@dataclass
class HistoryOutcome:
    """Verdict on one metric: pass, fail, or skipped when history is too short."""

    metric: str
    value: float | None
    outcome: str
    mean: float | None = None
    stddev: float | None = None
    lower: float | None = None
    upper: float | None = None
    history_size: int = 0
    message: str = ""

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def check_history(
    metric: str,
    value: float | None,
    history: Sequence[float | None],
    *,
    window: int = 10,
    sigmas: float = 3.0,
    min_history: int = 3,
) -> HistoryOutcome:
    """Flag ``value`` when it lies outside mean ± ``sigmas``·σ of the last ``window`` values.

    ``history`` is oldest first and excludes the current run; missing values
    (None, NaN) are ignored. σ is the sample standard deviation. With fewer
    than ``min_history`` usable past values the check is skipped rather
    than guessed. A perfectly stable history (σ = 0) flags any change.
    """
    past = [float(v) for v in history if v is not None and not math.isnan(float(v))][-window:]
    if value is None or math.isnan(float(value)):
        return HistoryOutcome(metric, None, "fail", history_size=len(past), message="no value for this run")
    current = float(value)
    if len(past) < max(min_history, 2):
        return HistoryOutcome(
            metric,
            current,
            "skipped",
            history_size=len(past),
            message=f"needs at least {max(min_history, 2)} earlier runs, has {len(past)}",
        )
    mean = sum(past) / len(past)
    stddev = math.sqrt(sum((v - mean) ** 2 for v in past) / (len(past) - 1))
    lower, upper = mean - sigmas * stddev, mean + sigmas * stddev
    inside = lower <= current <= upper
    message = "" if inside else f"{current:g} is outside {lower:g} .. {upper:g} (mean {mean:g} ± {sigmas:g}σ)"
    return HistoryOutcome(
        metric,
        current,
        "pass" if inside else "fail",
        mean=mean,
        stddev=stddev,
        lower=lower,
        upper=upper,
        history_size=len(past),
        message=message,
    )


def current_metrics(
    conn: psycopg.Connection,
    *,
    table: str,
    run_id: int,
    metrics: Sequence[Metric],
    columns: Sequence[ColumnSpec],
    schema: str = "chart",
) -> dict[str, float | None]:
    """This run's value of each metric, computed in one aggregate query.

    ``null_share`` counts blank text as missing, like completeness; ``mean``
    is over non-null values and None when there are none.
    """
    by_column = {c.column: c for c in columns}
    target = Target(schema, table, run_id)
    exprs: list[sql.Composable] = [sql.SQL("count(*)")]
    for metric in metrics:
        if metric.kind == "row_count":
            exprs.append(sql.SQL("NULL"))
            continue
        spec = by_column.get(metric.column or "")
        if spec is None:
            raise ValueError(f"metric {metric.name}: unknown column {metric.column!r}")
        if metric.kind == "mean":
            if not spec.is_numeric:
                raise ValueError(
                    f"metric {metric.name}: mean needs a numeric column, {spec.name!r} is {spec.pg_type}"
                )
            exprs.append(sql.SQL("avg({})::float8").format(sql.Identifier(spec.column)))
        else:
            exprs.append(count_present(spec))
    query = sql.SQL("SELECT {} FROM {} WHERE {}").format(
        sql.SQL(", ").join(exprs), target.relation, target.where
    )
    with conn.cursor() as cur:
        cur.execute(query)
        row = list(cur.fetchone() or ())
    rows = int(row.pop(0))
    values: dict[str, float | None] = {}
    for metric, raw in zip(metrics, row, strict=True):
        if metric.kind == "row_count":
            values[metric.name] = float(rows)
        elif metric.kind == "mean":
            values[metric.name] = None if raw is None else float(raw)
        else:
            values[metric.name] = None if rows == 0 else 1.0 - int(raw) / rows
    return values
