"""Shared benchmark helpers: Django set-up, the bench file, a bare COPY baseline, peak memory."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.csv as pacsv

ROOT = Path(__file__).resolve().parent.parent
OUT = Path(os.environ.get("ATLAS_BENCH_DIR", ROOT / "bench" / "out"))


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atlas.settings")
    import django

    django.setup()


def atlas_dsn() -> str:
    """``ATLAS_BENCH_DSN`` if set, else the database Atlas itself uses (DATABASE_URL or the embedded one)."""
    if os.environ.get("ATLAS_BENCH_DSN"):
        return os.environ["ATLAS_BENCH_DSN"]
    from psycopg.conninfo import make_conninfo

    setup_django()
    from django.db import connection

    params = connection.get_connection_params()
    keep = {k: v for k, v in params.items() if k in ("host", "port", "user", "password", "dbname") and v}
    return make_conninfo(**keep)


def bench_csv(rows: int, seed: int = 7) -> Path:
    """A rows × 20 CSV of text, integers, decimals, timestamps and booleans (about 250 bytes a row)."""
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"bench_{rows}.csv"
    if path.exists():
        return path
    rng = np.random.default_rng(seed)
    chunk = 250_000
    words = np.array(
        ["alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel", "india", "juliet"]
    )
    cities = np.array(["Copenhagen", "Aarhus", "Berlin", "Paris", "Madrid", "Lisbon", "Oslo", "Dublin"])
    base = np.datetime64("2026-01-01T00:00:00")
    with open(path, "wb") as handle:
        for start in range(0, rows, chunk):
            n = min(chunk, rows - start)
            ids = np.arange(start + 1, start + n + 1)
            stamps = base + rng.integers(0, 300 * 86400, n).astype("timedelta64[s]")
            columns = {
                "order_id": ids,
                "customer_id": rng.integers(1, 200_000, n),
                "product": words[rng.integers(0, len(words), n)],
                "city": cities[rng.integers(0, len(cities), n)],
                "quantity": rng.integers(1, 50, n),
                "unit_price": np.round(rng.uniform(1, 500, n), 2),
                "discount": np.round(rng.uniform(0, 0.3, n), 3),
                "total": np.round(rng.uniform(1, 20_000, n), 2),
                "ordered_at": np.datetime_as_string(stamps, unit="s"),
                "shipped_at": np.datetime_as_string(stamps + np.timedelta64(86400, "s"), unit="s"),
                "is_gift": rng.integers(0, 2, n).astype(bool),
                "is_returned": rng.integers(0, 2, n).astype(bool),
                "channel": words[rng.integers(0, 4, n)],
                "note": np.char.add(
                    np.char.add(
                        words[rng.integers(0, len(words), n)],
                        " customer asked for delivery before noon, ref ",
                    ),
                    rng.integers(0, 10**9, n).astype(str),
                ),
                "warehouse": rng.integers(1, 40, n),
                "weight_kg": np.round(rng.uniform(0.1, 40, n), 3),
                "rating": rng.integers(1, 6, n),
                "score": np.round(rng.normal(50, 10, n), 4),
                "sku": np.char.add("SKU-", rng.integers(10**5, 10**6, n).astype(str)),
                "status": words[rng.integers(4, 8, n)],
            }
            table = pa.table({k: pa.array(v) for k, v in columns.items()})
            pacsv.write_csv(table, handle, pacsv.WriteOptions(include_header=start == 0))
    return path


def checkpoint() -> None:
    """Write out what earlier measurements left dirty, so that no measurement pays for another's writes.

    The bare COPY writes its rows to the WAL, and the checkpoint that follows
    lands on whatever runs next. Skipped when the role may not CHECKPOINT.
    """
    from django.db import DatabaseError, connection

    try:
        with connection.cursor() as cursor:
            cursor.execute("CHECKPOINT")
    except DatabaseError:
        pass


def bare_copy_seconds(path: Path) -> float:
    """Seconds for psycopg to COPY the file into a plain text table on the same server (the baseline)."""
    import psycopg
    from django.db import connection
    from psycopg import sql

    params = connection.get_connection_params()
    params.pop("context", None)
    params.pop("cursor_factory", None)
    with open(path, encoding="utf-8") as handle:
        header = handle.readline().strip().split(",")
    with psycopg.connect(**params) as conn:
        conn.execute("DROP TABLE IF EXISTS public.atlas_bench_copy")
        conn.execute(
            sql.SQL("CREATE TABLE public.atlas_bench_copy ({})").format(
                sql.SQL(", ").join(sql.SQL("{} text").format(sql.Identifier(h)) for h in header)
            )
        )
        conn.commit()
        checkpoint()
        started = time.perf_counter()
        with conn.cursor() as cursor, open(path, "rb") as data:
            with cursor.copy("COPY public.atlas_bench_copy FROM STDIN (FORMAT csv, HEADER true)") as copy:
                while chunk := data.read(8 << 20):
                    copy.write(chunk)
        conn.commit()
        elapsed = time.perf_counter() - started
        conn.execute("DROP TABLE public.atlas_bench_copy")
        conn.commit()
    return elapsed


def run_measured(command: list[str]) -> tuple[float, int, subprocess.CompletedProcess]:
    """Run ``command`` from a checkpointed server; returns wall seconds and peak resident memory in bytes.

    The peak covers the process and its children.
    """
    import psutil

    checkpoint()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    peak = 0
    stop = threading.Event()

    def sample() -> None:
        nonlocal peak
        try:
            proc = psutil.Process(process.pid)
            while not stop.is_set():
                rss = proc.memory_info().rss + sum(c.memory_info().rss for c in proc.children(recursive=True))
                peak = max(peak, rss)
                time.sleep(0.05)
        except psutil.Error:
            pass

    watcher = threading.Thread(target=sample, daemon=True)
    watcher.start()
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    stop.set()
    watcher.join()
    return elapsed, peak, subprocess.CompletedProcess(command, process.returncode, stdout, stderr)
