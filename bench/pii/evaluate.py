"""Evaluate the PII detector on the labelled corpus, column by column.

    python bench/pii/evaluate.py [CORPUS_DIR] [--sample 500] [--spacy-model NAME] [--errors]

Without CORPUS_DIR a fresh corpus is generated into a temp directory first.
Every column is sampled as the pipeline samples it (up to 500 non-null
values, reproducibly), classified, and compared with labels.csv. Prints
per-entity and overall (micro) precision, recall and F1 at the column level,
the time spent, and whether the target is met: overall F1 >= 0.95 and no
entity below 0.85. ``--strict`` makes a missed target exit with status 1.
"""
from __future__ import annotations

import argparse
import csv
import random
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

if __package__ in (None, ""):
    sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.pii.generate import generate_corpus  # noqa: E402
from compliance.pii import ColumnSample, PiiDetector  # noqa: E402

TARGET_OVERALL_F1 = 0.95
TARGET_ENTITY_F1 = 0.85
csv.field_size_limit(10_000_000)


def read_columns(path: Path) -> dict[str, list[str]]:
    """Column name -> its non-empty cells, in file order."""
    with path.open(newline="", encoding="utf-8") as fh:
        reader = csv.reader(fh)
        header = next(reader)
        columns: dict[str, list[str]] = {name: [] for name in header}
        for row in reader:
            for name, cell in zip(header, row, strict=False):
                if cell.strip():
                    columns[name].append(cell)
    return columns


def sample(values: list[str], size: int, key: str) -> list[str]:
    """A reproducible sample, as the pipeline takes it."""
    if len(values) <= size:
        return list(values)
    return random.Random(key).sample(values, size)


def _prf(tp: int, fp: int, fn: int) -> tuple[float, float, float]:
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def evaluate(corpus: Path, detector: PiiDetector, sample_size: int) -> dict:
    """Run the detector over the corpus; return counts, errors and timings."""
    with (corpus / "labels.csv").open(newline="", encoding="utf-8") as fh:
        labels = list(csv.DictReader(fh))
    by_file: dict[str, list[dict]] = defaultdict(list)
    for row in labels:
        by_file[row["file"]].append(row)
    counts: dict[str, list[int]] = defaultdict(lambda: [0, 0, 0])  # tp, fp, fn
    errors, seconds, cpu_seconds, n_columns = [], 0.0, 0.0, 0
    for file_name, rows in sorted(by_file.items()):
        columns = read_columns(corpus / file_name)
        for row in rows:
            truth = set() if row["entities"] == "none" else set(row["entities"].split("|"))
            values = sample(columns[row["column"]], sample_size, f"{file_name}:{row['column']}")
            started, cpu_started = time.perf_counter(), time.process_time()
            findings = detector.detect(ColumnSample(row["column"], values))
            seconds += time.perf_counter() - started
            cpu_seconds += time.process_time() - cpu_started
            n_columns += 1
            predicted = {f.entity for f in findings}
            for entity in truth | predicted:
                slot = counts[entity]
                if entity in truth and entity in predicted:
                    slot[0] += 1
                elif entity in predicted:
                    slot[1] += 1
                    errors.append(("FP", entity, file_name, row["column"], row["kind"], findings))
                else:
                    slot[2] += 1
                    errors.append(("FN", entity, file_name, row["column"], row["kind"], findings))
    return {"counts": counts, "errors": errors, "seconds": seconds, "cpu_seconds": cpu_seconds,
            "columns": n_columns}


def report(result: dict, build_seconds: float, show_errors: bool) -> bool:
    """Print the table; return whether the target is met."""
    counts = result["counts"]
    print(f"{'entity':<16}{'TP':>5}{'FP':>5}{'FN':>5}{'precision':>11}{'recall':>8}{'F1':>7}")
    total = [0, 0, 0]
    worst = 1.0
    for entity in sorted(counts):
        tp, fp, fn = counts[entity]
        total = [total[0] + tp, total[1] + fp, total[2] + fn]
        p, r, f1 = _prf(tp, fp, fn)
        worst = min(worst, f1)
        print(f"{entity:<16}{tp:>5}{fp:>5}{fn:>5}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
    p, r, f1 = _prf(*total)
    print(f"{'OVERALL (micro)':<16}{total[0]:>5}{total[1]:>5}{total[2]:>5}{p:>11.3f}{r:>8.3f}{f1:>7.3f}")
    n = result["columns"]
    wall, cpu = result["seconds"], result["cpu_seconds"]
    print(f"\ncolumns: {n}; detection: {wall:.2f} s wall, {cpu:.2f} s CPU; per column "
          f"{1000 * wall / max(n, 1):.1f} ms wall, {1000 * cpu / max(n, 1):.1f} ms CPU; "
          f"20 columns ~{20 * cpu / max(n, 1):.2f} s CPU; detector build: {build_seconds:.2f} s")
    if show_errors:
        for kind, entity, file_name, column, col_kind, findings in result["errors"]:
            found = ", ".join(f"{f.entity}:{f.confidence}" for f in findings) or "-"
            print(f"  {kind} {entity:<14} {file_name}:{column} (kind {col_kind}) -> {found}")
    met = f1 >= TARGET_OVERALL_F1 and worst >= TARGET_ENTITY_F1
    print(f"\ntarget (overall F1 >= {TARGET_OVERALL_F1}, every entity >= {TARGET_ENTITY_F1}): "
          f"{'MET' if met else 'NOT MET'} (overall F1 {f1:.3f}, lowest entity F1 {worst:.3f})")
    return met


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("corpus", nargs="?", help="corpus directory with labels.csv (default: generate one)")
    parser.add_argument("--sample", type=int, default=500, help="values sampled per column")
    parser.add_argument("--spacy-model", default=None, help="installed spaCy model to use (default: none)")
    parser.add_argument("--errors", action="store_true", help="list every false positive and negative")
    parser.add_argument("--strict", action="store_true", help="exit 1 when the target is not met")
    args = parser.parse_args(argv)
    if args.corpus:
        corpus = Path(args.corpus)
    else:
        corpus = Path(tempfile.mkdtemp(prefix="atlas-pii-corpus-"))
        generate_corpus(corpus)
        print(f"generated corpus in {corpus}")
    started = time.perf_counter()
    detector = PiiDetector(spacy_model=args.spacy_model)
    build_seconds = time.perf_counter() - started
    met = report(evaluate(corpus, detector, args.sample), build_seconds, args.errors)
    return 1 if args.strict and not met else 0


if __name__ == "__main__":
    sys.exit(main())
