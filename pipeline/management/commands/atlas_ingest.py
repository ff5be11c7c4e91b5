"""Run the whole chain on a local file, synchronously, and print a report."""

from __future__ import annotations

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from catalog.choices import LoadMode
from pipeline.choices import RunStatus, SourceKind
from pipeline.report import build_report, ordered
from pipeline.services.runner import execute_run
from pipeline.services.submit import SubmitError, create_run, store_path


class ProgressBar:
    """A one-line progress bar on a terminal, or plain lines when stderr is not one."""

    def __init__(self, stream) -> None:
        self.stream = stream
        self.tty = stream.isatty()
        self._last = (None, -1)

    def __call__(self, stage: str, percent: float, message: str) -> None:
        if self.tty:
            filled = int(percent / 100 * 30)
            line = f"\r[{'#' * filled}{'.' * (30 - filled)}] {percent:5.1f}% {stage:<9} {message[:60]:<60}"
            self.stream.write(line)
            self.stream.flush()
            return
        step = int(percent // 10)
        if (stage, step) != self._last:
            self._last = (stage, step)
            self.stream.write(f"{percent:5.1f}% {stage}: {message}\n")

    def done(self) -> None:
        if self.tty:
            self.stream.write("\n")


class Command(BaseCommand):
    help = "Ingest a file (CSV, JSON Lines, Parquet, Excel) through explore, chart and navigate."
    # A data command run by scripts and schedulers: `manage.py check` covers the project's checks.
    requires_system_checks: list = []

    def add_arguments(self, parser):
        parser.add_argument("path")
        parser.add_argument("--dataset", required=True, help="dataset name (created on first use)")
        parser.add_argument(
            "--key", action="append", default=[], help="key column (repeat for a composite key)"
        )
        parser.add_argument("--mode", choices=LoadMode.values, help="how navigate is updated")
        parser.add_argument("--format", dest="output", choices=("text", "json"), default="text")
        parser.add_argument("--force", action="store_true", help="load even if this file was ingested before")
        parser.add_argument("--delimiter", help="CSV delimiter (sniffed when omitted)")
        parser.add_argument("--sheet", help="Excel sheet name (the first sheet when omitted)")

    def handle(
        self,
        *args,
        path: str,
        dataset: str,
        key: list[str],
        mode: str | None,
        output: str,
        force: bool,
        delimiter: str | None,
        sheet: str | None,
        **options,
    ):
        keys = [part.strip() for value in key for part in value.split(",") if part.strip()]
        reader_options = {k: v for k, v in {"delimiter": delimiter, "sheet": sheet}.items() if v}
        try:
            source = store_path(path)
            run = create_run(
                dataset_name=dataset,
                source=source,
                mode=mode,
                key=keys,
                force=force,
                options=reader_options,
                source_kind=SourceKind.PATH,
            )
        except SubmitError as exc:
            raise CommandError(str(exc)) from exc
        bar = ProgressBar(sys.stderr) if output == "text" else None
        run = execute_run(run.pk, echo=bar)
        if bar:
            bar.done()
        report = ordered(run.report or build_report(run))
        if output == "json":
            self.stdout.write(json.dumps(report, indent=2, default=str))
        else:
            self._print_text(run, report)
        if run.status != RunStatus.SUCCEEDED:
            raise CommandError(run.error.splitlines()[0] if run.error else f"run {run.pk} {run.status}")

    def _print_text(self, run, report: dict) -> None:
        if run.status != RunStatus.SUCCEEDED:
            return
        rows = report.get("rows", {})
        self.stdout.write(self.style.SUCCESS(f"Run {run.pk} {run.status}: {run.dataset.name}"))
        self.stdout.write("rows: " + ", ".join(f"{k} {v:,}" for k, v in rows.items()))
        self.stdout.write(
            "seconds: " + ", ".join(f"{k} {v:.2f}" for k, v in report.get("timings", {}).items())
        )
        for warning in report.get("warnings", []):
            self.stdout.write(self.style.WARNING(f"warning: {warning}"))
