"""The quality stage inside the real pipeline, against a bare COPY of the same 1M-row × 20-column file.

Ingests the bench CSV with ``atlas_ingest`` (a fresh dataset whose rules carry
a few SodaCL checks and history metrics, as a steward would set them) and
prints: the bare COPY, the whole pipeline and its ratio (target ≤ 4.5×), the
quality stage and, inside it, the six dimensions alone (target ≤ 1.5× the
COPY), SodaCL and the history check, with the engine's own pass timings.

    DATABASE_URL=… python bench/quality/pipeline.py [--rows 1000000] [--repeat 1] [--no-soda]

The machine's other load shows up directly in these numbers: take the best of
``--repeat`` runs on a busy machine.
"""
from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.common import ROOT, bare_copy_seconds, bench_csv, run_measured, setup_django  # noqa: E402

PIPELINE_TARGET = 4.5
DIMENSIONS_TARGET = 1.5
SODACL = """checks for {table}:
  - row_count > 0
  - missing_count(order_id) = 0
  - duplicate_count(order_id) = 0
  - invalid_percent(status) < 1 %:
      valid values: [echo, foxtrot, golf, hotel]
  - avg(quantity) between 1 and 50
  - max(unit_price) <= 500
"""
HISTORY = [
    {"metric": "row_count"}, {"metric": "mean", "column": "total"}, {"metric": "null_share", "column": "sku"},
]


def prepare_dataset(name: str, soda: bool) -> None:
    """Create the dataset with rules before its first run, as a steward would."""
    from pipeline.services.submit import get_or_create_dataset
    from quality.models import QualityRuleSet

    dataset = get_or_create_dataset(name)
    rules = QualityRuleSet(dataset=dataset, history_metrics=HISTORY)
    if soda:
        rules.sodacl = SODACL.format(table=dataset.table_name)
    rules.full_clean()
    rules.save()


def one_run(path: Path, soda: bool) -> dict:
    from bench.ingest import drop_dataset

    name = f"bench_quality_{int(time.time() * 1000)}"
    prepare_dataset(name, soda)
    command = [sys.executable, str(ROOT / "manage.py"), "atlas_ingest", str(path), "--dataset", name,
               "--format", "json", "--force"]
    try:
        seconds, _, result = run_measured(command)
    finally:
        drop_dataset(name)
    if result.returncode != 0:
        raise SystemExit(f"atlas_ingest failed: {result.stderr.decode()[-2000:]}")
    report = json.loads(result.stdout)
    quality = report["quality"]
    return {
        "pipeline": seconds,
        "stages": report["timings"],
        "quality": report["timings"]["quality"],
        "dimensions": quality["timings"]["dimensions"],
        "sodacl": quality["timings"]["sodacl"],
        "history": quality["timings"]["history"],
        "passes": {k: v for k, v in quality["timings"].items()
                   if k not in ("dimensions", "sodacl", "history")},
        "checks": [(c["kind"], c["name"], c["outcome"]) for c in quality["checks"]],
        "overall": quality["overall_score"],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs to make; the fastest pipeline counts")
    parser.add_argument("--no-soda", action="store_true", help="measure without SodaCL checks")
    args = parser.parse_args()
    setup_django()
    path = bench_csv(args.rows)
    copy = min(bare_copy_seconds(path) for _ in range(max(1, args.repeat)))
    runs = [one_run(path, soda=not args.no_soda) for _ in range(max(1, args.repeat))]
    best = min(runs, key=lambda r: r["pipeline"])
    dims = min(r["dimensions"] for r in runs)
    pipeline_ratio, dims_ratio = best["pipeline"] / copy, dims / copy
    print(f"quality in the pipeline, {args.rows:,} rows × 20 columns ({path.stat().st_size / 1e6:.0f} MB), "
          f"best of {len(runs)}")
    print(f"  bare COPY            {copy:8.2f} s")
    print(f"  atlas_ingest         {best['pipeline']:8.2f} s   ratio {pipeline_ratio:5.2f}  "
          f"(target ≤ {PIPELINE_TARGET})")
    print(f"  quality stage        {best['quality']:8.2f} s   ratio {best['quality'] / copy:5.2f}")
    print(f"    six dimensions     {dims:8.2f} s   ratio {dims_ratio:5.2f}  (target ≤ {DIMENSIONS_TARGET})")
    soda_checks = sum(1 for kind, _, _ in best["checks"] if kind == "soda")
    print(f"    SodaCL             {best['sodacl']:8.2f} s   ({soda_checks} checks)")
    print(f"    history            {best['history']:8.2f} s")
    print("  engine passes        " + ", ".join(f"{k} {v:.2f}s" for k, v in best["passes"].items()))
    print("  stages               " + ", ".join(f"{k} {v:.2f}s" for k, v in best["stages"].items()))
    print("  checks               " + ", ".join(f"{n}: {o}" for _, n, o in best["checks"]))
    ok = pipeline_ratio <= PIPELINE_TARGET and dims_ratio <= DIMENSIONS_TARGET
    print("quality pipeline benchmark: " + ("within target" if ok else "OUTSIDE target"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
