"""Catalog choices."""
from django.db import models


class ColumnType(models.TextChoices):
    """Atlas's column types; each maps to one PostgreSQL type in chart and navigate."""

    INTEGER = "integer", "Integer"
    DECIMAL = "decimal", "Decimal"
    BOOLEAN = "boolean", "Boolean"
    DATE = "date", "Date"
    TIMESTAMP = "timestamp", "Timestamp with time zone"
    TEXT = "text", "Text"


class LoadMode(models.TextChoices):
    """How a run's rows become navigate's current state."""

    APPEND = "append", "Append every run"
    REPLACE = "replace", "Replace with the latest run"
    MERGE = "merge", "Merge on the key (latest wins)"


class TagKind(models.TextChoices):
    FREE = "free", "Free-form"
    SYSTEM = "system", "System"


class SchemaChange(models.TextChoices):
    ADDED = "added", "Column added"
    REMOVED = "removed", "Column removed"
    TYPE_CHANGED = "type_changed", "Type changed"
