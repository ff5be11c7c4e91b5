"""Checking a dataset's latest run again, from its chart rows, without ingesting anything.

Used by ``manage.py atlas_quality``. The rules in force now apply (a steward
changed a threshold or added SodaCL), a new ``QualityReport`` (source
``recheck``) is stored and the dataset's score follows it. Nothing is
published or withdrawn: a blocking gate only makes the command fail.
"""
from __future__ import annotations

from django.db import transaction

from atlas import warehouse
from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun
from quality.services.checking import QualityOutcome, check_target
from quality.services.target import CheckTarget


class RecheckError(Exception):
    """The dataset cannot be checked again; the message says why."""


def find_dataset(ref: str) -> Dataset:
    """A dataset by exact name, else by id."""
    dataset = Dataset.objects.filter(name=ref).first()
    if dataset is None and ref.isdigit():
        dataset = Dataset.objects.filter(pk=int(ref)).first()
    if dataset is None:
        raise RecheckError(f"No dataset named {ref!r}. The Catalog lists the datasets; "
                           "`manage.py atlas_ingest` creates one.")
    return dataset


def latest_run(dataset: Dataset) -> PipelineRun:
    run = dataset.runs.filter(status=RunStatus.SUCCEEDED).order_by("-created", "-pk").first()
    if run is None:
        raise RecheckError(f"Dataset {dataset.name} has no succeeded run to check; ingest a file first.")
    return run


def recheck(ref: str) -> QualityOutcome:
    """Check the latest succeeded run of dataset ``ref`` again and store the report."""
    dataset = find_dataset(ref)
    run = latest_run(dataset)
    if not dataset.columns.filter(present=True).exists():
        raise RecheckError(f"Dataset {dataset.name} has no columns in the catalog to check.")
    with transaction.atomic():
        cursor = warehouse.raw_cursor()
        cursor.execute("SET LOCAL TimeZone = 'UTC'")
        if not warehouse.table_exists(cursor, "chart", dataset.table_name):
            raise RecheckError(f"chart.{dataset.table_name} does not exist; ingest {dataset.name} again.")
        outcome = check_target(CheckTarget.from_catalog(dataset, run, cursor))
        Dataset.objects.filter(pk=dataset.pk).update(quality_score=outcome.quality["overall_score"])
    return outcome
