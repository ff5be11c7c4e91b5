"""The catalog: datasets, their columns, tags and schema history."""
from __future__ import annotations

from django.conf import settings
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from catalog.choices import ColumnType, LoadMode, TagKind


class Tag(models.Model):
    """A label on datasets and columns; system tags are applied by Atlas (e.g. from PII findings)."""

    name = models.CharField(max_length=100, unique=True)
    kind = models.CharField(max_length=10, choices=TagKind.choices, default=TagKind.FREE)
    description = models.CharField(max_length=300, blank=True)

    class Meta:
        ordering = ("name",)

    def __str__(self) -> str:
        return self.name


class Dataset(models.Model):
    """A named body of data landed in the warehouse, one table per layer."""

    name = models.CharField(max_length=200, unique=True, help_text="The dataset's name as users know it.")
    table_name = models.CharField(
        max_length=63, unique=True, help_text="The sanitised table name used in explore, chart and navigate."
    )
    description = models.TextField(blank=True)
    owners = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="owned_datasets")
    tags = models.ManyToManyField(Tag, blank=True, related_name="datasets", help_text="Tags people set.")
    system_tags = models.ManyToManyField(
        Tag, blank=True, related_name="system_datasets",
        help_text="Tags Atlas applies (e.g. from PII findings); every run recomputes them.",
    )
    source = models.CharField(max_length=300, blank=True, help_text="Where the data comes from.")
    load_mode = models.CharField(max_length=10, choices=LoadMode.choices, default=LoadMode.APPEND)
    key_columns = models.JSONField(
        default=list, blank=True, help_text="Original column names forming the dataset key."
    )
    key_inferred = models.BooleanField(default=False)
    declared_types = models.JSONField(
        default=dict, blank=True, help_text="Original column name → type; declared types win over inference."
    )
    explore_rows = models.BigIntegerField(default=0)
    chart_rows = models.BigIntegerField(default=0)
    rejected_rows = models.BigIntegerField(default=0)
    navigate_rows = models.BigIntegerField(default=0)
    last_run = models.ForeignKey(
        "pipeline.PipelineRun", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    quality_score = models.FloatField(null=True, blank=True)
    pii_summary = models.JSONField(default=dict, blank=True)
    breaking_change = models.BooleanField(
        default=False, help_text="The latest schema change removed or retyped a column."
    )
    # Kept by catalog.services.search.index_dataset: names, descriptions and tags of the
    # dataset and its columns, weighted for full-text search, and as plain text for trigrams.
    search_vector = SearchVectorField(null=True, editable=False)
    search_text = models.TextField(blank=True, editable=False)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("name",)
        indexes = [GinIndex(fields=["search_vector"], name="catalog_dataset_search_gin")]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("catalog:dataset_detail", args=[self.pk])

    @property
    def rejected_table_name(self) -> str:
        return f"{self.table_name}__rejected"

    @property
    def layer_tables(self) -> dict[str, str]:
        """Qualified warehouse table per layer: ``{"explore": "explore.orders", ...}``."""
        return {
            "explore": f"explore.{self.table_name}",
            "chart": f"chart.{self.table_name}",
            "rejected": f"chart.{self.rejected_table_name}",
            "navigate": f"navigate.{self.table_name}",
        }


class Column(models.Model):
    """One column of a dataset: its original name, warehouse name and type."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="columns")
    name = models.CharField(max_length=1000, help_text="The column's name exactly as received.")
    warehouse_name = models.CharField(max_length=63)
    position = models.PositiveIntegerField(default=0)
    data_type = models.CharField(max_length=20, choices=ColumnType.choices, default=ColumnType.TEXT)
    description = models.TextField(blank=True)
    tags = models.ManyToManyField(Tag, blank=True, related_name="columns", help_text="Tags people set.")
    system_tags = models.ManyToManyField(
        Tag, blank=True, related_name="system_columns", help_text="Tags Atlas applies from PII findings."
    )
    is_key = models.BooleanField(default=False)
    present = models.BooleanField(default=True, help_text="False when the latest file no longer had it.")
    pii_entity = models.CharField(max_length=50, blank=True)
    pii_confidence = models.FloatField(null=True, blank=True)
    stats = models.JSONField(default=dict, blank=True)
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dataset", "position")
        constraints = [
            models.UniqueConstraint(
                fields=("dataset", "warehouse_name"), name="catalog_column_unique_warehouse_name"
            ),
        ]
        indexes = [models.Index(fields=("dataset", "name"))]

    def __str__(self) -> str:
        return f"{self.dataset.name}.{self.name}"


class SchemaVersion(models.Model):
    """A dataset's schema as one run saw it, with what changed since the version before."""

    dataset = models.ForeignKey(Dataset, on_delete=models.CASCADE, related_name="schema_versions")
    version = models.PositiveIntegerField()
    run = models.ForeignKey("pipeline.PipelineRun", null=True, blank=True, on_delete=models.SET_NULL,
                            related_name="schema_versions")
    columns = models.JSONField(help_text="[{name, warehouse_name, type}] in order.")
    changes = models.JSONField(default=list, blank=True, help_text="[{change, column, from, to}]")
    breaking = models.BooleanField(default=False)
    created = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ("dataset", "-version")
        constraints = [
            models.UniqueConstraint(fields=("dataset", "version"), name="catalog_schema_version_unique")
        ]

    def __str__(self) -> str:
        return f"{self.dataset.name} v{self.version}"
