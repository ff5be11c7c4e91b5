"""Run the web server, a Celery worker and Celery beat together; Ctrl-C stops all three."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from django.conf import settings
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Serve Atlas with a Celery worker and beat; stops all three on Ctrl-C."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")
        parser.add_argument("--concurrency", type=int, default=2, help="worker processes")

    def handle(self, *args, addrport: str, concurrency: int, **options):
        python = sys.executable
        manage = os.path.join(settings.BASE_DIR, "manage.py")
        beat_schedule = settings.DATA_DIR / "celerybeat-schedule"
        settings.DATA_DIR.mkdir(parents=True, exist_ok=True)
        commands = {
            "web": [python, manage, "runserver", addrport, "--noreload"],
            "worker": [python, "-m", "celery", "-A", "atlas", "worker", "--loglevel", "INFO",
                       "--concurrency", str(concurrency), "--hostname", "atlas@%h"],
            "beat": [python, "-m", "celery", "-A", "atlas", "beat", "--loglevel", "INFO",
                     "--scheduler", settings.CELERY_BEAT_SCHEDULER, "--schedule", str(beat_schedule)],
        }
        processes: dict[str, subprocess.Popen] = {}
        stopping = False

        def _stop(signum, frame):
            nonlocal stopping
            stopping = True

        # Installed before the children start, so an early Ctrl-C cannot orphan them.
        signal.signal(signal.SIGINT, _stop)
        signal.signal(signal.SIGTERM, _stop)
        for name, command in commands.items():
            processes[name] = subprocess.Popen(command, cwd=settings.BASE_DIR)
            self.stdout.write(f"started {name} (pid {processes[name].pid})")
        self.stdout.write(self.style.SUCCESS(f"Atlas is serving on http://{addrport}/ — Ctrl-C stops it."))
        try:
            while not stopping:
                for name, process in processes.items():
                    if process.poll() is not None:
                        self.stderr.write(f"{name} exited with status {process.returncode}; stopping Atlas.")
                        stopping = True
                        break
                time.sleep(0.5)
        finally:
            self._stop_all(processes)

    def _stop_all(self, processes: dict[str, subprocess.Popen]) -> None:
        for process in processes.values():
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + 15
        for name, process in processes.items():
            try:
                process.wait(timeout=max(0.1, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                process.kill()
            self.stdout.write(f"stopped {name}")
