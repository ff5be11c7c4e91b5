"""Starting runs: keeping the received file, finding or creating the dataset, queueing, retry, cancel."""

from __future__ import annotations

import hashlib
import os
from dataclasses import dataclass
from pathlib import Path

from django.core.files import File
from django.db import IntegrityError, transaction

from atlas.warehouse import safe_identifier, safe_table_name
from catalog.choices import LoadMode
from catalog.models import Dataset
from pipeline.choices import RunStatus, SourceKind
from pipeline.models import PipelineRun, SourceFile

CHUNK = 8 << 20
UNTRUNCATED = 10_000


class SubmitError(ValueError):
    """The request to start a run is wrong; the message says how to fix it."""


@dataclass
class DuplicateUpload(SubmitError):
    """The same content was already ingested into this dataset."""

    previous: PipelineRun

    def __str__(self) -> str:
        when = self.previous.created.strftime("%Y-%m-%d %H:%M")
        return (
            f"This file was already ingested into '{self.previous.dataset.name}' by run {self.previous.pk} "
            f"on {when} UTC. Upload it again with force to load it once more."
        )


def validate_dataset_name(name: str) -> str:
    name = (name or "").strip()
    if not name:
        raise SubmitError("Name the dataset: it is how the data is found in the catalog.")
    if len(name) > 200:
        raise SubmitError("The dataset name is longer than 200 characters; choose a shorter one.")
    if any(ord(ch) < 32 for ch in name):
        raise SubmitError("The dataset name contains control characters; use plain text.")
    return name


def get_or_create_dataset(name: str, *, mode: str | None = None, key: list[str] | None = None) -> Dataset:
    """The dataset called ``name``, created on first use; a near-identical name of another is refused."""
    name = validate_dataset_name(name)
    dataset = Dataset.objects.filter(name=name).first()
    if dataset is None:
        base = safe_table_name(name)
        # Names that sanitise to the same words are confusable; long names that only share the
        # truncated table name are not, and get a numbered table instead.
        words = safe_identifier(name, max_bytes=UNTRUNCATED)
        neighbours = Dataset.objects.filter(table_name__startswith=base[:40])
        clash = next((d for d in neighbours if safe_identifier(d.name, max_bytes=UNTRUNCATED) == words), None)
        clash = clash or Dataset.objects.filter(name__iexact=name).first()
        if clash is not None:
            raise SubmitError(
                f"The name '{name}' is too close to the existing dataset '{clash.name}' (both would be the "
                f"warehouse table '{clash.table_name}'). Use '{clash.name}' to add to it, or choose a "
                "clearly different name."
            )
        taken = Dataset.objects.filter(table_name__startswith=base[:40]).values_list("table_name", flat=True)
        try:
            with transaction.atomic():  # a savepoint: another upload may be creating the same dataset now
                return Dataset.objects.create(
                    name=name,
                    table_name=safe_table_name(name, taken),
                    load_mode=mode or LoadMode.APPEND,
                    key_columns=key or [],
                )
        except IntegrityError:
            dataset = Dataset.objects.filter(name=name).first()
            if dataset is None:
                raise SubmitError(
                    f"Another upload is creating a dataset with the table name '{base}' right now; "
                    "try again in a moment."
                ) from None
    changed = []
    if mode and mode != dataset.load_mode:
        dataset.load_mode = mode
        changed.append("load_mode")
    if key and key != dataset.key_columns:
        dataset.key_columns, dataset.key_inferred = key, False
        changed += ["key_columns", "key_inferred"]
    if changed:
        dataset.save(update_fields=[*changed, "updated"])
    return dataset


def store_file(handle, original_name: str, user=None) -> SourceFile:
    """Keep the received bytes, their SHA-256 and size in Django storage; the same content is kept once."""
    digest = hashlib.sha256()
    size = 0
    handle.seek(0)
    for chunk in iter(lambda: handle.read(CHUNK), b""):
        digest.update(chunk)
        size += len(chunk)
    sha = digest.hexdigest()
    existing = SourceFile.objects.filter(sha256=sha, size=size).first()
    if existing is not None and existing.file.storage.exists(existing.file.name):
        return existing
    handle.seek(0)
    source = SourceFile(
        original_name=Path(original_name).name[:500] or "upload",
        sha256=sha,
        size=size,
        uploaded_by=user if user is not None and user.is_authenticated else None,
    )
    source.file.save(source.original_name, File(handle), save=True)
    return source


def store_path(path: str | os.PathLike, user=None) -> SourceFile:
    path = Path(path)
    if not path.is_file():
        raise SubmitError(f"No file at {path}.")
    with open(path, "rb") as handle:
        return store_file(handle, path.name, user)


def previous_ingest(dataset: Dataset, source: SourceFile) -> PipelineRun | None:
    return (
        PipelineRun.objects.filter(
            dataset=dataset, source_file__sha256=source.sha256, status=RunStatus.SUCCEEDED
        )
        .order_by("-created")
        .first()
    )


def create_run(
    *,
    dataset_name: str,
    source: SourceFile,
    mode: str | None = None,
    key: list[str] | None = None,
    user=None,
    force: bool = False,
    options: dict | None = None,
    source_kind: str = SourceKind.UPLOAD,
) -> PipelineRun:
    """A queued run of ``source`` into the dataset; raises ``DuplicateUpload`` unless ``force``."""
    if mode and mode not in LoadMode.values:
        raise SubmitError(f"Unknown mode '{mode}'; use one of {', '.join(LoadMode.values)}.")
    key = [k.strip() for k in (key or []) if k and k.strip()]
    with transaction.atomic():
        dataset = get_or_create_dataset(dataset_name, mode=mode, key=key)
        if not force:
            previous = previous_ingest(dataset, source)
            if previous is not None:
                raise DuplicateUpload(previous)
        return PipelineRun.objects.create(
            dataset=dataset,
            source_kind=source_kind,
            source_file=source,
            source_description=source.original_name,
            load_mode=dataset.load_mode,
            key_columns=dataset.key_columns if not dataset.key_inferred else [],
            options=options or {},
            started_by=user if user is not None and user.is_authenticated else None,
        )


def enqueue(run: PipelineRun) -> PipelineRun:
    """Hand the run to a Celery worker once the surrounding transaction has committed."""
    from pipeline.tasks import execute_run_task

    def _send() -> None:
        result = execute_run_task.delay(run.pk)
        PipelineRun.objects.filter(pk=run.pk, task_id="").update(task_id=result.id or "")

    transaction.on_commit(_send)
    return run


def retry(run: PipelineRun, user=None) -> PipelineRun:
    """A new run of the same kept file, options and mode."""
    if not run.can_retry:
        raise SubmitError(
            f"Run {run.pk} is {run.status}; only failed or cancelled runs with a kept file can be retried."
        )
    return PipelineRun.objects.create(
        dataset=run.dataset,
        source_kind=run.source_kind,
        source_file=run.source_file,
        source_description=run.source_description,
        load_mode=run.load_mode,
        key_columns=run.key_columns,
        options=run.options,
        retry_of=run,
        started_by=user if user is not None and user.is_authenticated else None,
    )


def cancel(run: PipelineRun) -> PipelineRun:
    """Stop a queued run at once, or ask a running one to stop at its next progress report."""
    if not run.can_cancel:
        raise SubmitError(f"Run {run.pk} is {run.status}; only queued or running runs can be cancelled.")
    PipelineRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    PipelineRun.objects.filter(pk=run.pk, status=RunStatus.QUEUED).update(
        status=RunStatus.CANCELLED,
        error="The run was cancelled before it started.",
        message="cancelled before it started",
    )
    run.refresh_from_db()
    return run
