"""Rebuild the catalog's search index (after a bulk change made outside Atlas, or a restore)."""
from __future__ import annotations

from django.core.management.base import BaseCommand

from catalog.models import Dataset
from catalog.services.search import index_datasets, trigram_available


class Command(BaseCommand):
    help = "Recompute every dataset's full-text search vector and trigram text."

    def add_arguments(self, parser):
        parser.add_argument("--dataset", action="append", default=[], help="only this dataset (repeatable)")

    def handle(self, *args, dataset: list[str], **options):
        queryset = Dataset.objects.filter(name__in=dataset) if dataset else Dataset.objects.all()
        count = index_datasets(queryset)
        typo = "with" if trigram_available() else "without (pg_trgm is not installed)"
        self.stdout.write(f"Indexed {count} dataset{'s' * (count != 1)}; search runs {typo} typo tolerance.")
