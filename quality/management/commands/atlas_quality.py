"""Check a dataset's latest run again without re-ingesting: ``manage.py atlas_quality DATASET``."""
from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError

from quality.engine import DIMENSIONS
from quality.services.checking import QualityRulesError
from quality.services.gates import blocked_message
from quality.services.recheck import RecheckError, recheck


class Command(BaseCommand):
    help = ("Score the latest run of DATASET again on the six dimensions and its SodaCL and history checks, "
            "with today's rules. Exits 1 when a blocking gate fails.")

    def add_arguments(self, parser):
        parser.add_argument("dataset", help="dataset name (or id)")
        parser.add_argument("--format", dest="output", choices=("text", "json"), default="text")

    def handle(self, *args, dataset: str, output: str, **options):
        try:
            outcome = recheck(dataset)
        except (RecheckError, QualityRulesError) as exc:
            raise CommandError(str(exc)) from exc
        report, decision = outcome.report, outcome.decision
        if output == "json":
            self.stdout.write(json.dumps(report.as_dict(), indent=2, default=str))
        else:
            self._print_table(report, outcome.notes)
        if decision.blocking:
            raise CommandError(blocked_message(report.dataset.name, decision), returncode=1)

    def _print_table(self, report, notes: list[str]) -> None:
        write = self.stdout.write
        write(f"Quality of {report.dataset.name}, run {report.run_id} (report {report.pk}): "
              f"{report.overall_score:.3f} over {report.measured_rows:,} rows")
        write(f"{'dimension':<14}{'score':>8}{'threshold':>11}  passed")
        for name in DIMENSIONS:
            result = report.dimensions[name]
            passed = "yes" if result["passed"] else "NO"
            line = f"{name:<14}{result['score']:>8.3f}{result['threshold']:>11g}  {passed}"
            write(line if result["passed"] else self.style.ERROR(line))
        checks = list(report.checks.all())
        if checks:
            write(f"{'check':<40}{'kind':<9}{'outcome':<9}value")
            for check in checks:
                value = "" if check.value is None else f"{check.value:g}"
                line = f"{check.name[:39]:<40}{check.kind:<9}{check.outcome:<9}{value}"
                write(self.style.ERROR(line) if check.failed else line)
        write(f"gate: {report.gate}")
        for reason in report.gate_reasons:
            write(self.style.WARNING(f"  {reason}"))
        for note in notes:
            write(self.style.WARNING(f"note: {note}"))
