"""Retry forwarding the lineage events that are pending or whose forwarding failed."""
from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from lineage.services.forwarding import due_for_forwarding, forward_due


class Command(BaseCommand):
    help = "Send pending and failed OpenLineage events to OPENLINEAGE_URL, oldest first."

    def add_arguments(self, parser):
        parser.add_argument("--limit", type=int, help="send at most this many events")
        parser.add_argument("--dry-run", action="store_true", help="only count the events that are due")

    def handle(self, *args, limit: int | None, dry_run: bool, **options):
        due = due_for_forwarding().count()
        if dry_run:
            self.stdout.write(f"{due} event{'s' * (due != 1)} due for forwarding.")
            return
        if not settings.OPENLINEAGE_URL:
            raise CommandError("OPENLINEAGE_URL is not set: there is nowhere to forward events to.")
        sent, failed = forward_due(limit)
        self.stdout.write(f"{sent} sent, {failed} failed, {max(due - sent - failed, 0)} left for later.")
        if failed:
            raise CommandError(
                f"{failed} event{'s' * (failed != 1)} could not be forwarded; see forward_error "
                "in the admin, fix the cause and run this again."
            )
