"""Pipeline choices."""
from django.db import models


class RunStatus(models.TextChoices):
    QUEUED = "queued", "Queued"
    RUNNING = "running", "Running"
    SUCCEEDED = "succeeded", "Succeeded"
    FAILED = "failed", "Failed"
    CANCELLED = "cancelled", "Cancelled"

    @classmethod
    def finished(cls) -> tuple[str, ...]:
        return (cls.SUCCEEDED, cls.FAILED, cls.CANCELLED)


class SourceFormat(models.TextChoices):
    CSV = "csv", "CSV"
    JSONL = "jsonl", "JSON Lines"
    PARQUET = "parquet", "Parquet"
    XLSX = "xlsx", "Excel (.xlsx)"


class SourceKind(models.TextChoices):
    UPLOAD = "upload", "Uploaded file"
    PATH = "path", "Local path (CLI)"
    CONNECTOR = "connector", "Connector sync"
