"""Pipeline speed: atlas_ingest of a 1M-row × 20-column CSV against a bare PostgreSQL COPY of it.

Prints both times, the ratios (pipeline ÷ COPY), each stage's seconds and the
pipeline's peak memory. Two pipelines are timed: the whole chain, and the
chain alone, i.e. an ``atlas_ingest`` whose chain leaves out the PII and
quality stages (run, not estimated: a chain without the PII stage does not
build the detector either). Each size is measured ``--repeat`` times (3),
COPY and the two ingests alternating, and the medians compared.
``--rows 1000000 3000000`` also shows that the peak does not grow with the file.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.common import ROOT, bare_copy_seconds, bench_csv, run_measured, setup_django  # noqa: E402

# The chain on its own (explore, chart, profile, navigate, catalog, lineage) and with PII and quality.
TARGET_RATIO = 3.5
TARGET_RATIO_WHOLE = 4.5
CHECKING_STAGES = ("pii", "quality", "pii_masking")
TARGET_PEAK_BYTES = 1 << 30
# ``manage.py`` with the checking stages taken out of settings.ATLAS_PIPELINE_STAGES.
WITHOUT_CHECKING = """
import os, sys
sys.path.insert(0, {root!r})
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atlas.settings")
import django
django.setup()
from django.conf import settings
from django.core.management import execute_from_command_line
from django.utils.module_loading import import_string
settings.ATLAS_PIPELINE_STAGES = [
    path for path in settings.ATLAS_PIPELINE_STAGES if import_string(path).name not in {checking!r}
]
execute_from_command_line(["manage.py", *sys.argv[1:]])
"""


def drop_dataset(name: str) -> None:
    from atlas import warehouse
    from catalog.models import Dataset

    dataset = Dataset.objects.filter(name=name).first()
    if dataset is None:
        return
    cursor = warehouse.raw_cursor()
    for schema, table in (
        ("explore", dataset.table_name),
        ("chart", dataset.table_name),
        ("chart", dataset.rejected_table_name),
        ("navigate", dataset.table_name),
    ):
        warehouse.drop_table(cursor, schema, table)
    dataset.runs.all().delete()
    dataset.delete()


def measure(rows: int, repeat: int) -> dict:
    """Medians of ``repeat`` bare COPYs and ingests of each kind, alternating (a machine's speed drifts)."""
    copies, runs, alone = [], [], []
    for _ in range(repeat):
        copies.append(bare_copy_seconds(bench_csv(rows)))
        runs.append(ingest_once(rows))
        alone.append(ingest_once(rows, checking=False)["pipeline"])
    run = sorted(runs, key=lambda m: m["pipeline"])[len(runs) // 2]
    return {
        **run,
        "copy": statistics.median(copies),
        "alone": statistics.median(alone),
        "peak": max(m["peak"] for m in runs),
    }


def ingest_once(rows: int, *, checking: bool = True) -> dict:
    path = bench_csv(rows)
    size_mb = path.stat().st_size / 1e6
    name = f"bench_ingest_{rows}_{time.time_ns()}"
    manage = [str(ROOT / "manage.py")]
    if not checking:
        manage = ["-c", WITHOUT_CHECKING.format(root=str(ROOT), checking=CHECKING_STAGES)]
    command = [sys.executable, *manage, "atlas_ingest", str(path), "--dataset", name, "--format", "json"]
    command.append("--force")
    try:
        seconds, peak, result = run_measured(command)
    finally:
        drop_dataset(name)
    if result.returncode != 0:
        raise SystemExit(f"atlas_ingest failed: {result.stderr.decode()[-2000:]}")
    report = json.loads(result.stdout)
    if not checking:
        assert not set(CHECKING_STAGES) & set(report["timings"]), report["timings"]
    return {
        "rows": rows,
        "size_mb": size_mb,
        "pipeline": seconds,
        "peak": peak,
        "timings": report["timings"],
        "report_rows": report["rows"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000])
    parser.add_argument("--repeat", type=int, default=3, help="COPYs and ingests per size (medians)")
    args = parser.parse_args()
    setup_django()
    ok = True
    peaks = []
    for rows in args.rows:
        m = measure(rows, args.repeat)
        whole = m["pipeline"] / m["copy"]
        checking = sum(m["timings"].get(stage, 0.0) for stage in CHECKING_STAGES)
        ratio = m["alone"] / m["copy"]
        peaks.append(m["peak"])
        ok &= ratio <= TARGET_RATIO and whole <= TARGET_RATIO_WHOLE and m["peak"] <= TARGET_PEAK_BYTES
        print(f"ingest {rows:,} rows × 20 columns ({m['size_mb']:.0f} MB)")
        print(f"  bare COPY            {m['copy']:8.2f} s   (median of {args.repeat})")
        print(f"  atlas_ingest         {m['pipeline']:8.2f} s   (median of {args.repeat})")
        print(f"  chain alone          {m['alone']:8.2f} s   (median of {args.repeat}; no PII, no quality)")
        print(f"  ratio, whole chain   {whole:8.2f}   (target ≤ {TARGET_RATIO_WHOLE})")
        print(f"  ratio, chain alone   {ratio:8.2f}   (target ≤ {TARGET_RATIO})")
        print(f"  PII and quality      {checking:8.2f} s   (their stages, in the whole chain)")
        print(
            f"  peak memory          {m['peak'] / 2**20:8.0f} MiB "
            f"(target ≤ {TARGET_PEAK_BYTES / 2**20:.0f} MiB)"
        )
        print("  stages               " + ", ".join(f"{k} {v:.2f}s" for k, v in m["timings"].items()))
        print("  rows                 " + ", ".join(f"{k} {v:,}" for k, v in m["report_rows"].items()))
    if len(peaks) > 1:
        growth = peaks[-1] / peaks[0]
        ok &= growth < 1.5
        print(f"  peak memory growth   {growth:8.2f}×  from {args.rows[0]:,} to {args.rows[-1]:,} rows")
    print("ingest benchmark: " + ("within target" if ok else "OUTSIDE target"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
