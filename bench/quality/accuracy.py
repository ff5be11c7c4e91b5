"""Does Atlas report the defects that are really in the data, at the right rates?

Builds 100,000 clean order rows, checks that they score exactly 1.0 on every
dimension, then injects known defects at known rates into disjoint sets of
rows (missing values, duplicate keys, exact copies, outliers, invalid
emails, values that failed their cast, stale timestamps, cross-field
violations), loads them chart-shaped into a scratch schema, runs
``measure()`` and prints, per defect, the rate injected next to the rate
Atlas reported, and whether they agree within ±1 percentage point. The
injected rate is the exact count over the population the formula divides
by (chart rows, which include the appended copies), so it differs slightly
from the nominal rate the rows were picked at.

    python bench/quality/accuracy.py [--rows 100000] [--seed 42] [--keep]

DSN from ``ATLAS_BENCH_DSN`` (default: the database Atlas uses, DATABASE_URL or the embedded one).
Exit status 1 when a defect is off by more than a point or clean data does
not score 1.0.
"""

from __future__ import annotations

import argparse
import random
import sys
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from quality.engine import DIMENSIONS, ColumnSpec, CrossFieldRule, QualityConfig, QualityResult, measure  # noqa: E402

SCHEMA = "bench_quality_accuracy"
TABLE = "orders"
NOW = datetime(2025, 6, 1, 12, 0, tzinfo=UTC)
CITIES = ["London", "Paris", "Berlin", "Madrid", "Rome", "Vienna", "Dublin", "Lisbon"]

COLUMNS: list[tuple[str, str, str | None]] = [
    ("id", "bigint", None),
    ("email", "text", "email"),
    ("phone", "text", "phone"),
    ("city", "text", None),
    ("amount", "numeric", None),
    ("qty", "bigint", None),
    ("unit_price", "numeric", None),
    ("total", "numeric", None),
    ("start_date", "date", None),
    ("end_date", "date", None),
    ("created_at", "timestamptz", None),
    ("updated_at", "timestamptz", None),
]
COL = {name: n for n, (name, _, _) in enumerate(COLUMNS)}

# Share of the clean rows each defect is injected into (disjoint sets).
RATES = {
    "missing city": 0.05,
    "invalid email": 0.03,
    "amount outlier": 0.01,
    "stale timestamps": 0.04,
    "start after end": 0.02,
    "total != qty * unit_price": 0.015,
    "duplicate key": 0.02,
    "exact copy": 0.01,
    "amount failed its cast": 0.005,
}


def clean_rows(count: int, rng: random.Random) -> list[list[Any]]:
    rows = []
    for i in range(1, count + 1):
        qty = rng.randint(1, 5)
        unit_price = Decimal(rng.randint(1000, 2000)) / 100
        start = date(2025, 1, 1) + timedelta(days=rng.randint(0, 300))
        created = NOW - timedelta(hours=1, seconds=rng.randint(0, 5 * 86400))
        rows.append(
            [
                i,
                f"user{i}@example.com",
                f"+44 20 {i:08d}",
                CITIES[i % len(CITIES)],
                Decimal(rng.randint(5000, 15000)) / 100,
                qty,
                unit_price,
                qty * unit_price,
                start,
                start + timedelta(days=rng.randint(1, 60)),
                created,
                created + timedelta(seconds=rng.randint(0, 3600)),
            ]
        )
    return rows


@dataclass
class Dataset:
    """Chart rows, rejected rows and the exact number of cells each defect touched."""

    rows: list[list[Any]]
    rejected: list[tuple[int, str, str]]
    injected: dict[str, int]


def inject(rows: list[list[Any]], rng: random.Random) -> Dataset:
    """Apply each defect to its own slice of a shuffled row order."""
    order = list(range(len(rows)))
    rng.shuffle(order)
    sizes = {name: round(rate * len(rows)) for name, rate in RATES.items()}
    picks: dict[str, list[int]] = {}
    at = 0
    for name, size in sizes.items():
        picks[name] = order[at : at + size]
        at += size
    untouched = order[at:]
    # Rows a duplicate key points at, and rows that get exact copies, come
    # from the untouched pool so no other defect changes them.
    key_targets = untouched[: sizes["duplicate key"]]
    copied = untouched[sizes["duplicate key"] : sizes["duplicate key"] + sizes["exact copy"]]

    for i, n in enumerate(picks["missing city"]):
        rows[n][COL["city"]] = None if i % 2 else "   "
    for n in picks["invalid email"]:
        rows[n][COL["email"]] = rows[n][COL["email"]].replace("@", " at ")
    for n in picks["amount outlier"]:
        rows[n][COL["amount"]] *= 100
    for n in picks["stale timestamps"]:
        shift = timedelta(days=rng.randint(30, 60))
        rows[n][COL["created_at"]] -= shift
        rows[n][COL["updated_at"]] -= shift
    for n in picks["start after end"]:
        row = rows[n]
        row[COL["start_date"]], row[COL["end_date"]] = row[COL["end_date"]], row[COL["start_date"]]
    for n in picks["total != qty * unit_price"]:
        rows[n][COL["total"]] += 5
    for n, target in zip(picks["duplicate key"], key_targets, strict=True):
        rows[n][COL["id"]] = rows[target][COL["id"]]

    rejected = [(n + 1, "amount", "12,50 EUR") for n in picks["amount failed its cast"]]
    dropped = set(picks["amount failed its cast"])
    chart = [row for n, row in enumerate(rows) if n not in dropped]
    chart += [list(rows[n]) for n in copied]
    injected = {name: len(picked) for name, picked in picks.items()}
    injected["exact copy"] = len(copied)
    return Dataset(chart, rejected, injected)


def load(conn: psycopg.Connection, data: Dataset) -> None:
    table = sql.Identifier(SCHEMA, TABLE)
    rejected = sql.Identifier(SCHEMA, f"{TABLE}__rejected")
    defs = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t, _ in COLUMNS)
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}, {}").format(table, rejected))
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (_atlas_run_id bigint NOT NULL, _atlas_row bigint NOT NULL, "
            "_atlas_loaded_at timestamptz NOT NULL, {})"
        ).format(table, defs)
    )
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (_atlas_run_id bigint, _atlas_row bigint, column_name text, value text, "
            "reason text, record jsonb)"
        ).format(rejected)
    )
    names = sql.SQL(", ").join(sql.Identifier(n) for n, _, _ in COLUMNS)
    with conn.cursor() as cur:
        with cur.copy(
            sql.SQL("COPY {} (_atlas_run_id, _atlas_row, _atlas_loaded_at, {}) FROM STDIN").format(
                table, names
            )
        ) as copy:
            for n, row in enumerate(data.rows, start=1):
                copy.write_row((1, n, NOW, *row))
        with cur.copy(
            sql.SQL("COPY {} (_atlas_run_id, _atlas_row, column_name, value, reason) FROM STDIN").format(
                rejected
            )
        ) as copy:
            for row_number, column, value in data.rejected:
                copy.write_row(
                    (1, row_number, column, value, f"invalid input syntax for type numeric: {value!r}")
                )
    conn.execute(sql.SQL("ANALYZE {}").format(table))


def run_measure(conn: psycopg.Connection) -> QualityResult:
    columns = [ColumnSpec(name.replace("_", " ").title(), name, t, semantic) for name, t, semantic in COLUMNS]
    config = QualityConfig(
        key=["id"],
        now=NOW,
        rules=[CrossFieldRule("total = qty * unit_price", "equation", expression="total = qty * unit_price")],
    )
    return measure(conn, table=TABLE, run_id=1, columns=columns, config=config, schema=SCHEMA)


def reported_rates(result: QualityResult) -> dict[str, float]:
    """Read each defect's rate back from the details Atlas reports."""
    dims = result.dimensions
    validity = dims["validity"].details["per_column"]
    rules = dims["consistency"].details["per_rule"]
    uniqueness = dims["uniqueness"].details
    return {
        "missing city": 1.0 - dims["completeness"].columns["City"],
        "invalid email": validity["Email"]["invalid_share"],
        "amount outlier": dims["accuracy"].details["per_column"]["Amount"]["outside_share"],
        "stale timestamps": dims["timeliness"].details["stale_share"],
        "start after end": rules["Start Date <= End Date"]["violation_share"],
        "total != qty * unit_price": rules["total = qty * unit_price"]["violation_share"],
        "duplicate key": uniqueness["duplicate_key_share"],
        "exact copy": uniqueness["duplicate_row_share"],
        "amount failed its cast": validity["Amount"]["invalid_share"],
    }


def injected_rates(data: Dataset) -> dict[str, float]:
    """Each defect's true rate over the population its formula divides by."""
    rows = len(data.rows)
    counts = data.injected
    amounts_assessed = rows + counts["amount failed its cast"]
    return {
        "missing city": counts["missing city"] / rows,
        "invalid email": counts["invalid email"] / rows,
        "amount outlier": counts["amount outlier"] / rows,
        "stale timestamps": counts["stale timestamps"] / rows,
        "start after end": counts["start after end"] / rows,
        "total != qty * unit_price": counts["total != qty * unit_price"] / rows,
        # Exact copies share their key too: both count as duplicate keys.
        "duplicate key": (counts["duplicate key"] + counts["exact copy"]) / rows,
        "exact copy": counts["exact copy"] / rows,
        "amount failed its cast": counts["amount failed its cast"] / amounts_assessed,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--keep", action="store_true", help="keep the scratch schema")
    args = parser.parse_args()
    from bench.common import atlas_dsn

    dsn = atlas_dsn()
    ok = True
    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SCHEMA)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SCHEMA)))
        try:
            rows = clean_rows(args.rows, random.Random(args.seed))
            load(conn, Dataset([list(r) for r in rows], [], {}))
            clean = run_measure(conn)
            scores = {d: clean.dimensions[d].score for d in DIMENSIONS}
            clean_ok = all(score == 1.0 for score in scores.values())
            ok &= clean_ok
            print(
                f"clean data, {clean.measured_rows:,} rows: "
                + ", ".join(f"{d} {s:.4f}" for d, s in scores.items())
            )
            print(f"  every dimension exactly 1.0: {'yes' if clean_ok else 'NO'}\n")

            data = inject(rows, random.Random(args.seed + 1))
            load(conn, data)
            dirty = run_measure(conn)
            truth, seen = injected_rates(data), reported_rates(dirty)
            print(
                f"defects injected into {dirty.measured_rows:,} chart rows (+{dirty.rejected_rows} rejected):"
            )
            print(
                f"  {'defect':26s} {'nominal':>8s} {'injected':>9s} {'reported':>9s} {'diff pp':>8s}  ±1 pp"
            )
            for name in RATES:
                diff = (seen[name] - truth[name]) * 100
                within = abs(diff) <= 1.0
                ok &= within
                cells = f"{RATES[name]:8.2%} {truth[name]:9.4%} {seen[name]:9.4%} {diff:+8.4f}"
                print(f"  {name:26s} {cells}  {'yes' if within else 'NO'}")
            print("\nscores:", ", ".join(f"{d} {dirty.dimensions[d].score:.4f}" for d in DIMENSIONS))
            print(f"overall {dirty.overall_score:.4f}; measure() passes: {dirty.timings}")
        finally:
            if not args.keep:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SCHEMA)))
    print("\nresult:", "OK" if ok else "MISMATCH")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
