"""How long the six dimensions take next to a bare COPY of the same data.

Generates a 1M-row x 20-column CSV (~250 MB: text, integers, decimals,
timestamps, booleans, dates) with generate_series, times a plain psycopg
COPY of it into an all-text table (the baseline), builds the typed
chart-shaped table from that, then times ``measure()`` and prints the ratio.
The target is a ratio of at most 1.5; COPY and measure() are run in turns
and their medians compared, so background load hits both alike.

    python bench/quality/speed.py [--rows 1000000] [--repeat 3] [--keep]

DSN from ``ATLAS_BENCH_DSN`` (default: the database Atlas uses, DATABASE_URL or the embedded one).
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

import psycopg
from psycopg import sql

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from quality.engine import ColumnSpec, CrossFieldRule, QualityConfig, measure  # noqa: E402

SCHEMA = "bench_quality_speed"
TABLE = "orders"
RUN_ID = 1

# (column, type, SQL producing its value from i and the random draws r1..r3)
COLUMNS: list[tuple[str, str, str]] = [
    ("id", "bigint", "i"),
    ("customer_name", "text", "'Customer ' || substr(md5(i::text), 1, 20)"),
    ("email", "text", "'user' || i || '.' || substr(md5(i::text), 1, 6) || '@example' || (i % 50) || '.com'"),
    ("phone", "text", "'+44 20 ' || lpad((floor(r1 * 100000000))::bigint::text, 8, '0')"),
    (
        "city",
        "text",
        "(ARRAY['London','Paris','Berlin','Madrid','Rome','Amsterdam','Vienna','Dublin'])[1 + i % 8]",
    ),
    ("country", "text", "(ARRAY['GB','FR','DE','ES','IT','NL','AT','IE'])[1 + i % 8]"),
    ("status", "text", "(ARRAY['new','paid','shipped','cancelled'])[1 + (i / 7) % 4]"),
    ("iban", "text", "'GB' || lpad((i % 97)::text, 2, '0') || 'NWBK' || lpad(i::text, 14, '0')"),
    ("qty", "bigint", "1 + floor(r2 * 10)::int"),
    ("unit_price", "numeric", "round((1 + r3 * 99)::numeric, 2)"),
    ("total", "numeric", "round(((1 + floor(r2 * 10)::int) * round((1 + r3 * 99)::numeric, 2)), 2)"),
    ("discount", "numeric", "round((r1 * 20)::numeric, 2)"),
    ("score", "numeric", "round((r2 * 100)::numeric, 3)"),
    ("points", "bigint", "floor(r3 * 5000)::int"),
    ("is_active", "boolean", "(i % 3 <> 0)"),
    ("is_vip", "boolean", "(i % 17 = 0)"),
    ("start_date", "date", "date '2025-01-01' + (i % 300)"),
    ("end_date", "date", "date '2025-01-01' + (i % 300) + (i % 60)"),
    ("created_at", "timestamptz", "now() - make_interval(secs => 3600 + floor(r1 * 500000))"),
    (
        "updated_at",
        "timestamptz",
        "now() - make_interval(secs => 3600 + floor(r1 * 500000)) + make_interval(secs => i % 3600)",
    ),
]

SEMANTIC = {"email": "email", "phone": "phone", "iban": "iban"}
ALLOWED = {
    "status": ["new", "paid", "shipped", "cancelled"],
    "country": ["GB", "FR", "DE", "ES", "IT", "NL", "AT", "IE"],
}


def generate_csv(conn: psycopg.Connection, rows: int, path: Path) -> int:
    """Write the CSV with COPY ... TO STDOUT; returns its size in bytes."""
    exprs = sql.SQL(", ").join(sql.SQL(expr) for _, _, expr in COLUMNS)
    query = sql.SQL(
        "COPY (SELECT {} FROM (SELECT i, random() AS r1, random() AS r2, random() AS r3 "
        "FROM generate_series(1, {}) AS i) g) TO STDOUT (FORMAT csv)"
    ).format(exprs, sql.Literal(rows))
    conn.execute("SELECT setseed(0.42)")
    with path.open("wb") as out, conn.cursor() as cur, cur.copy(query) as copy:
        for chunk in copy:
            out.write(chunk)
    return path.stat().st_size


def copy_baseline(conn: psycopg.Connection, path: Path) -> float:
    """Time a bare COPY of the CSV into an all-text table."""
    text_cols = sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(name)) for name, _, _ in COLUMNS)
    raw = sql.Identifier(SCHEMA, "raw_text")
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(raw))
    conn.execute(sql.SQL("CREATE TABLE {} ({})").format(raw, text_cols))
    started = time.perf_counter()
    with path.open("rb") as src, conn.cursor() as cur:
        with cur.copy(sql.SQL("COPY {} FROM STDIN (FORMAT csv)").format(raw)) as copy:
            while chunk := src.read(1 << 20):
                copy.write(chunk)
    return time.perf_counter() - started


def build_chart_table(conn: psycopg.Connection) -> None:
    """Cast the text rows into a chart-shaped typed table, as the pipeline would."""
    chart = sql.Identifier(SCHEMA, TABLE)
    defs = sql.SQL(", ").join(sql.SQL("{} {}").format(sql.Identifier(n), sql.SQL(t)) for n, t, _ in COLUMNS)
    casts = sql.SQL(", ").join(sql.SQL("{}::{}").format(sql.Identifier(n), sql.SQL(t)) for n, t, _ in COLUMNS)
    conn.execute(sql.SQL("DROP TABLE IF EXISTS {}").format(chart))
    conn.execute(
        sql.SQL(
            "CREATE TABLE {} (_atlas_run_id bigint NOT NULL, _atlas_row bigint NOT NULL, "
            "_atlas_loaded_at timestamptz NOT NULL, {})"
        ).format(chart, defs)
    )
    conn.execute(
        sql.SQL("INSERT INTO {} SELECT {}, row_number() OVER (), now(), {} FROM {}").format(
            chart, sql.Literal(RUN_ID), casts, sql.Identifier(SCHEMA, "raw_text")
        )
    )
    # The pipeline analyzes after loading; VACUUM also sets hint bits so the
    # first measurement does not pay for writing them.
    conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(chart))


def column_specs() -> list[ColumnSpec]:
    return [
        ColumnSpec(
            name=name.replace("_", " ").title(),
            column=name,
            pg_type=pg_type,
            semantic_type=SEMANTIC.get(name),
            allowed_values=ALLOWED.get(name),
        )
        for name, pg_type, _ in COLUMNS
    ]


def time_colliding_keys(
    conn: psycopg.Connection, share: float, config: QualityConfig, copy_seconds: float
) -> None:
    """Clean keys let measure() skip row hashing; show the cost when keys do collide."""
    every = max(2, round(1 / share))
    conn.execute(
        sql.SQL("UPDATE {} SET id = id - 1 WHERE id % {} = 0").format(
            sql.Identifier(SCHEMA, TABLE), sql.Literal(every)
        )
    )
    conn.execute(sql.SQL("VACUUM (ANALYZE) {}").format(sql.Identifier(SCHEMA, TABLE)))
    started = time.perf_counter()
    result = measure(conn, table=TABLE, run_id=RUN_ID, columns=column_specs(), config=config, schema=SCHEMA)
    seconds = time.perf_counter() - started
    print(
        f"with 1 row in {every} re-using another's id: measure() {seconds:.2f}s "
        f"(ratio {seconds / copy_seconds:.2f}), uniqueness {result.dimensions['uniqueness'].score:.4f}, "
        f"passes {result.timings}"
    )


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3, help="COPY/measure pairs; medians are compared")
    parser.add_argument("--keep", action="store_true", help="keep the scratch schema")
    parser.add_argument(
        "--colliding-keys",
        type=float,
        default=0.01,
        help="afterwards, give this share of rows an existing id and time measure() again (0 skips)",
    )
    args = parser.parse_args()
    from bench.common import atlas_dsn

    dsn = atlas_dsn()

    with psycopg.connect(dsn, autocommit=True) as conn:
        conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SCHEMA)))
        conn.execute(sql.SQL("CREATE SCHEMA {}").format(sql.Identifier(SCHEMA)))
        workdir = Path(tempfile.mkdtemp(prefix="atlas-speed-"))
        csv_path = workdir / "orders.csv"
        try:
            started = time.perf_counter()
            size = generate_csv(conn, args.rows, csv_path)
            print(
                f"generated {args.rows:,} rows x {len(COLUMNS)} columns, {size / 1e6:.0f} MB CSV "
                f"in {time.perf_counter() - started:.1f}s"
            )
            copy_baseline(conn, csv_path)
            started = time.perf_counter()
            build_chart_table(conn)
            print(
                f"typed chart table built (not part of the comparison): {time.perf_counter() - started:.1f}s"
            )

            config = QualityConfig(
                key=["id"],
                rules=[
                    CrossFieldRule(
                        "total = qty * unit_price", "equation", expression="total = qty * unit_price"
                    )
                ],
            )
            # Alternate the two so background load on the machine hits both alike.
            copies: list[float] = []
            runs: list[float] = []
            result = None
            for n in range(max(1, args.repeat)):
                conn.execute("CHECKPOINT")
                copies.append(copy_baseline(conn, csv_path))
                started = time.perf_counter()
                result = measure(
                    conn, table=TABLE, run_id=RUN_ID, columns=column_specs(), config=config, schema=SCHEMA
                )
                runs.append(time.perf_counter() - started)
                print(f"#{n + 1}: COPY {copies[-1]:.2f}s  measure() {runs[-1]:.2f}s  passes {result.timings}")
            assert result is not None
            print("scores:", {d: round(r.score, 4) for d, r in result.dimensions.items()})
            copy_median, measure_median = statistics.median(copies), statistics.median(runs)
            ratio = measure_median / copy_median
            print(
                f"median COPY {copy_median:.2f}s, median measure() {measure_median:.2f}s"
                f" -> ratio {ratio:.2f} (target <= 1.50: {'OK' if ratio <= 1.5 else 'TOO SLOW'})"
            )
            if args.colliding_keys > 0:
                time_colliding_keys(conn, args.colliding_keys, config, copy_median)
        finally:
            csv_path.unlink(missing_ok=True)
            workdir.rmdir()
            if not args.keep:
                conn.execute(sql.SQL("DROP SCHEMA IF EXISTS {} CASCADE").format(sql.Identifier(SCHEMA)))
    return 0


if __name__ == "__main__":
    sys.exit(main())
