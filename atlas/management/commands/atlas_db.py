"""Manage the embedded PostgreSQL server: start, stop or show its status."""
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from atlas import embedded_db


class Command(BaseCommand):
    help = "Start, stop or show the embedded PostgreSQL used when DATABASE_URL is unset."

    def add_arguments(self, parser):
        parser.add_argument("action", choices=("start", "stop", "status"))

    def handle(self, *args, action: str, **options):
        if settings.DATABASE_URL:
            raise CommandError("DATABASE_URL is set, so Atlas uses that server, not the embedded one.")
        pgdata = settings.EMBEDDED_PG_DIR
        if action == "start":
            try:
                server = embedded_db.ensure_running(pgdata, settings.EMBEDDED_DB_NAME)
            except embedded_db.EmbeddedDatabaseError as exc:
                raise CommandError(str(exc)) from exc
            self.stdout.write(f"running: pid {server.pid}, socket {server.socket_dir}, data {pgdata}")
        elif action == "stop":
            stopped = embedded_db.stop(pgdata)
            self.stdout.write("stopped" if stopped else "not running")
        else:
            server = embedded_db.status(pgdata)
            if server is None:
                self.stdout.write(f"not running (data {pgdata})")
            else:
                self.stdout.write(f"running: pid {server.pid}, socket {server.socket_dir}, data {pgdata}")
