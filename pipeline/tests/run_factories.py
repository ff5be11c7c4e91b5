"""Factories for runs and kept files that the pages, API and admin tests show without running the chain.

run = PipelineRunFactory(status=RunStatus.FAILED, error="…")
upload = csv_upload("sales.csv", [["id", "amount"], [1, 2]])   # for client.post(…, {"file": upload})
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence

import factory
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from pipeline.choices import RunStatus
from pipeline.models import PipelineRun, SourceFile
from pipeline.tests.factories import DatasetFactory, csv_text


def csv_upload(name: str, rows: Iterable[Sequence[object]]) -> SimpleUploadedFile:
    """An uploaded CSV file as a browser or an API client would send it."""
    return SimpleUploadedFile(name, csv_text(rows).encode(), content_type="text/csv")


class SourceFileFactory(factory.django.DjangoModelFactory):
    """A kept file with real content in storage."""

    class Meta:
        model = SourceFile

    class Params:
        content = factory.Sequence(lambda n: f"id,name\n{n},row {n}\n".encode())

    original_name = factory.Sequence(lambda n: f"file_{n}.csv")
    sha256 = factory.LazyAttribute(lambda f: hashlib.sha256(f.content).hexdigest())
    size = factory.LazyAttribute(lambda f: len(f.content))
    format = "csv"
    file = factory.LazyAttribute(lambda f: ContentFile(f.content, name=f.original_name))


class PipelineRunFactory(factory.django.DjangoModelFactory):
    """A run in any state; finished ones get counts and timings unless told otherwise."""

    class Meta:
        model = PipelineRun

    dataset = factory.SubFactory(DatasetFactory)
    source_file = factory.SubFactory(SourceFileFactory)
    source_description = factory.LazyAttribute(lambda r: r.source_file.original_name if r.source_file else "")
    status = RunStatus.SUCCEEDED
    stage = factory.LazyAttribute(lambda r: "done" if r.status == RunStatus.SUCCEEDED else "")
    percent = factory.LazyAttribute(lambda r: 100 if r.status == RunStatus.SUCCEEDED else 0)
    rows_received = factory.LazyAttribute(lambda r: 10 if r.status == RunStatus.SUCCEEDED else 0)
    rows_explore = factory.LazyAttribute(lambda r: r.rows_received)
    rows_chart = factory.LazyAttribute(lambda r: r.rows_received)
    rows_navigate = factory.LazyAttribute(lambda r: r.rows_received)
    timings = factory.LazyAttribute(
        lambda r: {"explore": 0.1, "chart": 0.2, "navigate": 0.1} if r.status == RunStatus.SUCCEEDED else {}
    )
    started_at = factory.LazyAttribute(lambda r: None if r.status == RunStatus.QUEUED else timezone.now())
    finished_at = factory.LazyAttribute(
        lambda r: timezone.now() if r.status in RunStatus.finished() and r.started_at else None
    )
