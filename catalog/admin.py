"""Catalog admin: datasets with their columns and schema history, columns, tags, schema versions."""

from __future__ import annotations

import json

from django.contrib import admin
from django.utils.html import format_html

from catalog.models import Column, Dataset, SchemaVersion, Tag

# What the pipeline writes: shown, never typed in (renaming a warehouse table would orphan it).
DATASET_MANAGED_FIELDS = (
    "table_name",
    "key_inferred",
    "explore_rows",
    "chart_rows",
    "rejected_rows",
    "navigate_rows",
    "last_run",
    "quality_score",
    "pii_summary",
    "breaking_change",
    "system_tags",
    "created",
    "updated",
)
COLUMN_MANAGED_FIELDS = (
    "dataset",
    "name",
    "warehouse_name",
    "position",
    "data_type",
    "is_key",
    "present",
    "pii_entity",
    "pii_confidence",
    "system_tags",
    "stats",
    "created",
    "updated",
)


class ColumnInline(admin.TabularInline):
    """A dataset's columns; only descriptions and tags are edited here."""

    model = Column
    fields = (
        "position",
        "name",
        "warehouse_name",
        "data_type",
        "is_key",
        "present",
        "pii_entity",
        "description",
    )
    readonly_fields = ("position", "name", "warehouse_name", "data_type", "is_key", "present", "pii_entity")
    extra = 0
    can_delete = False
    show_change_link = True

    def has_add_permission(self, request, obj=None) -> bool:
        return False


class SchemaVersionInline(admin.TabularInline):
    """The dataset's schema history, newest first; read-only."""

    model = SchemaVersion
    fields = ("version", "run", "breaking", "changes_display", "created")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    ordering = ("-version",)

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="changes")
    def changes_display(self, version: SchemaVersion) -> str:
        return describe_changes(version.changes)


def describe_changes(changes: list[dict] | None) -> str:
    """``added: email; type changed: age (integer → text)`` from a schema version's diff."""
    parts = []
    for change in changes or []:
        text = f"{str(change.get('change', '')).replace('_', ' ')}: {change.get('column', '')}"
        if change.get("from") or change.get("to"):
            text += f" ({change.get('from') or '—'} → {change.get('to') or '—'})"
        parts.append(text)
    return "; ".join(parts) or "—"


@admin.register(Dataset)
class DatasetAdmin(admin.ModelAdmin):
    """Datasets: description, owners, tags, load mode, key and declared types are edited here."""

    list_display = (
        "name",
        "table_name",
        "load_mode",
        "key_display",
        "navigate_rows",
        "rejected_rows",
        "quality_score",
        "breaking_change",
        "last_run",
        "updated",
    )
    list_filter = ("load_mode", "breaking_change", "tags")
    search_fields = ("name", "table_name", "description", "source")
    filter_horizontal = ("owners", "tags")
    readonly_fields = DATASET_MANAGED_FIELDS
    inlines = (ColumnInline, SchemaVersionInline)
    fieldsets = (
        (None, {"fields": ("name", "description", "source", "owners", "tags")}),
        ("Loading", {"fields": ("load_mode", "key_columns", "key_inferred", "declared_types")}),
        (
            "Warehouse",
            {
                "fields": (
                    "table_name",
                    "explore_rows",
                    "chart_rows",
                    "rejected_rows",
                    "navigate_rows",
                    "last_run",
                    "quality_score",
                    "pii_summary",
                    "breaking_change",
                    "system_tags",
                    "created",
                    "updated",
                )
            },
        ),
    )

    @admin.display(description="key")
    def key_display(self, dataset: Dataset) -> str:
        key = ", ".join(dataset.key_columns or [])
        return f"{key} (inferred)" if key and dataset.key_inferred else key or "—"


@admin.register(Column)
class ColumnAdmin(admin.ModelAdmin):
    """Columns across datasets: original and warehouse names, type, PII; descriptions and tags are edited."""

    list_display = ("name", "dataset", "warehouse_name", "data_type", "is_key", "present", "pii_entity")
    list_filter = (
        "data_type",
        "is_key",
        "present",
        "pii_entity",
        ("dataset", admin.RelatedOnlyFieldListFilter),
    )
    search_fields = ("name", "warehouse_name", "description", "dataset__name")
    list_select_related = ("dataset",)
    filter_horizontal = ("tags",)
    readonly_fields = COLUMN_MANAGED_FIELDS

    def has_add_permission(self, request) -> bool:
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    """Labels on datasets and columns; system tags come from Atlas itself."""

    list_display = ("name", "kind", "description")
    list_filter = ("kind",)
    search_fields = ("name", "description")


@admin.register(SchemaVersion)
class SchemaVersionAdmin(admin.ModelAdmin):
    """Each schema a dataset had, with its diff; read-only."""

    list_display = ("dataset", "version", "breaking", "changes_display", "run", "created")
    list_filter = ("breaking", ("dataset", admin.RelatedOnlyFieldListFilter))
    search_fields = ("dataset__name",)
    list_select_related = ("dataset", "run")
    readonly_fields = (
        "dataset",
        "version",
        "run",
        "columns_display",
        "changes_display",
        "breaking",
        "created",
    )
    exclude = ("columns", "changes")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    @admin.display(description="changes")
    def changes_display(self, version: SchemaVersion) -> str:
        return describe_changes(version.changes)

    @admin.display(description="columns")
    def columns_display(self, version: SchemaVersion) -> str:
        return format_html("<pre>{}</pre>", json.dumps(version.columns, indent=2, ensure_ascii=False))
