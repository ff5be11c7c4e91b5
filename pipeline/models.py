"""Runs, and the files they were given."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse

from catalog.choices import LoadMode
from pipeline.choices import RunStatus, SourceFormat, SourceKind


def _upload_to(instance: SourceFile, filename: str) -> str:
    return f"uploads/{instance.sha256[:2]}/{instance.sha256}/{filename}"


class SourceFile(models.Model):
    """A file as it was received, kept so a run can be retried and a person erased from it."""

    file = models.FileField(upload_to=_upload_to, max_length=500)
    original_name = models.CharField(max_length=500)
    sha256 = models.CharField(max_length=64, db_index=True)
    size = models.BigIntegerField()
    format = models.CharField(max_length=10, choices=SourceFormat.choices, blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL
    )
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return self.original_name


class PipelineRun(models.Model):
    """One pass of a source through the chain: explore → chart → … → navigate."""

    dataset = models.ForeignKey("catalog.Dataset", on_delete=models.CASCADE, related_name="runs")
    source_kind = models.CharField(max_length=10, choices=SourceKind.choices, default=SourceKind.UPLOAD)
    source_file = models.ForeignKey(
        SourceFile, null=True, blank=True, on_delete=models.PROTECT, related_name="runs"
    )
    source_description = models.CharField(max_length=500, blank=True)
    load_mode = models.CharField(max_length=10, choices=LoadMode.choices, default=LoadMode.APPEND)
    key_columns = models.JSONField(default=list, blank=True)
    options = models.JSONField(
        default=dict, blank=True, help_text="Reader options such as delimiter or sheet."
    )
    status = models.CharField(
        max_length=10, choices=RunStatus.choices, default=RunStatus.QUEUED, db_index=True
    )
    stage = models.CharField(max_length=30, blank=True)
    percent = models.FloatField(default=0)
    message = models.CharField(max_length=500, blank=True)
    rows_received = models.BigIntegerField(default=0)
    rows_explore = models.BigIntegerField(default=0)
    rows_chart = models.BigIntegerField(default=0)
    rows_rejected = models.BigIntegerField(default=0)
    rows_navigate = models.BigIntegerField(default=0)
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per stage.")
    report = models.JSONField(default=dict, blank=True)
    warnings = models.JSONField(default=list, blank=True)
    error = models.TextField(blank=True)
    cancel_requested = models.BooleanField(default=False)
    retry_of = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="retries"
    )
    task_id = models.CharField(max_length=100, blank=True)
    started_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created = models.DateTimeField(auto_now_add=True, db_index=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ("-created",)

    def __str__(self) -> str:
        return f"Run {self.pk} of {self.dataset.name}"

    def get_absolute_url(self) -> str:
        return reverse("pipeline:run_detail", args=[self.pk])

    @property
    def finished(self) -> bool:
        return self.status in RunStatus.finished()

    @property
    def can_retry(self) -> bool:
        return self.status in (RunStatus.FAILED, RunStatus.CANCELLED) and (
            self.source_file_id is not None or self.source_kind != SourceKind.UPLOAD
        )

    @property
    def can_cancel(self) -> bool:
        return self.status in (RunStatus.QUEUED, RunStatus.RUNNING)

    @property
    def duration(self) -> float | None:
        if self.started_at and self.finished_at:
            return (self.finished_at - self.started_at).total_seconds()
        return None
