"""Rescan a dataset's latest chart rows for personal data, without re-ingesting."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from compliance.choices import FindingStatus
from compliance.services.rescan import RescanError, find_dataset, rescan


class Command(BaseCommand):
    help = ("Rescan DATASET's latest chart rows for PII and update the inventory "
            "(masking applies from the next run).")

    def add_arguments(self, parser):
        parser.add_argument("dataset", help="the dataset's name (or id)")
        parser.add_argument("--format", dest="output", choices=("text", "json"), default="text")

    def handle(self, *args, dataset: str, output: str, **options):
        try:
            target = find_dataset(dataset)
            result = rescan(target, progress=self._progress)
        except RescanError as exc:
            raise CommandError(str(exc)) from exc
        findings = sorted((f for f in result.findings if f.current),
                          key=lambda f: (f.column.position, -f.confidence))
        if output == "json":
            self.stdout.write(json.dumps({
                "dataset": target.name, "run_id": result.run_id, "rows": result.rows,
                "findings": [{"column": f.column.name, "entity": f.entity,
                              "confidence": round(f.confidence, 4), "share": f.share, "status": f.status,
                              "explanation": f.explanation} for f in findings],
            }, indent=2))
            return
        self._table(findings)
        self.stdout.write(f"\n{len(findings)} finding(s) in {target.name} "
                          f"(run {result.run_id}, {result.rows:,} rows). "
                          "Masking changes take effect with the next run.")
        if any(f.status == FindingStatus.SUGGESTED for f in findings):
            self.stdout.write("Review suggested findings on the PII page "
                              "or with POST /api/pii/findings/{id}/review/.")

    def _progress(self, fraction: float, message: str) -> None:
        self.stderr.write(f"{fraction * 100:5.1f}% {message}")

    def _table(self, findings) -> None:
        header = ("column", "entity", "confidence", "share", "status", "explanation")
        rows = [(f.column.name, f.entity, f"{f.confidence:.2f}", f"{f.share:.1%}", f.status,
                 f.explanation[:80]) for f in findings]
        widths = [max([len(h)] + [len(r[i]) for r in rows]) for i, h in enumerate(header)]
        line = "  ".join(f"{{:<{w}}}" for w in widths)
        self.stdout.write(line.format(*header))
        self.stdout.write(line.format(*("-" * w for w in widths)))
        for row in rows:
            self.stdout.write(line.format(*row))
        if not rows:
            self.stdout.write("(no personal data found)")
