"""Pipeline admin: runs (with retry and cancel actions) and the files they were given, read-only."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.urls import reverse
from django.utils.html import format_html

from pipeline.models import PipelineRun, SourceFile
from pipeline.services.inspect import ordered_timings
from pipeline.services.submit import SubmitError, cancel, enqueue, retry

COUNT_FIELDS = ("rows_received", "rows_explore", "rows_chart", "rows_rejected", "rows_navigate")


class ReadOnlyAdminMixin:
    """Records Atlas writes itself: shown, never added or edited by hand."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        # Viewing stays allowed through the "view" permission; the change form is read-only.
        return False


@admin.register(PipelineRun)
class PipelineRunAdmin(admin.ModelAdmin):
    """Runs: what was loaded, how it went; retry and cancel go through the same services as the API."""

    list_display = (
        "id",
        "dataset",
        "status",
        "stage",
        "percent",
        "load_mode",
        "rows_received",
        "rows_rejected",
        "rows_navigate",
        "duration_display",
        "started_by",
        "created",
    )
    list_display_links = ("id",)
    list_filter = ("status", "load_mode", "source_kind", ("dataset", admin.RelatedOnlyFieldListFilter))
    search_fields = ("=id", "dataset__name", "source_description", "error", "message")
    list_select_related = ("dataset", "started_by")
    date_hierarchy = "created"
    ordering = ("-created",)
    actions = ("retry_runs", "cancel_runs")
    fieldsets = (
        (None, {"fields": ("dataset", "status", "stage", "percent", "message", "error", "page_link")}),
        (
            "Source",
            {
                "fields": (
                    "source_kind",
                    "source_file",
                    "source_description",
                    "load_mode",
                    "key_columns",
                    "options",
                )
            },
        ),
        ("Rows", {"fields": COUNT_FIELDS}),
        (
            "Timings",
            {"fields": ("timings_display", "created", "started_at", "finished_at", "duration_display")},
        ),
        ("Report", {"classes": ("collapse",), "fields": ("warnings", "report_display")}),
        (
            "Bookkeeping",
            {"classes": ("collapse",), "fields": ("started_by", "retry_of", "task_id", "cancel_requested")},
        ),
    )
    readonly_fields = (
        "dataset",
        "status",
        "stage",
        "percent",
        "message",
        "error",
        "page_link",
        "source_kind",
        "source_file",
        "source_description",
        "load_mode",
        "key_columns",
        "options",
        *COUNT_FIELDS,
        "timings_display",
        "created",
        "started_at",
        "finished_at",
        "duration_display",
        "warnings",
        "report_display",
        "started_by",
        "retry_of",
        "task_id",
        "cancel_requested",
    )

    def has_add_permission(self, request) -> bool:
        # Runs start from an upload, the API, the CLI or a connector, never from an empty admin form.
        return False

    @admin.display(description="duration")
    def duration_display(self, run: PipelineRun) -> str:
        return "" if run.duration is None else f"{run.duration:.1f} s"

    @admin.display(description="seconds per stage")
    def timings_display(self, run: PipelineRun) -> str:
        return ", ".join(f"{stage} {seconds:.2f} s" for stage, seconds in ordered_timings(run)) or "—"

    @admin.display(description="report")
    def report_display(self, run: PipelineRun) -> str:
        return format_html("<pre>{}</pre>", json.dumps(run.report or {}, indent=2, default=str))

    @admin.display(description="page")
    def page_link(self, run: PipelineRun) -> str:
        return format_html(
            '<a href="{}">Open the run\'s page</a>', reverse("pipeline:run_detail", args=[run.pk])
        )

    @admin.action(description="Retry selected runs", permissions=("change",))
    def retry_runs(self, request, queryset: QuerySet) -> None:
        started, refused = [], []
        for run in queryset.select_related("dataset", "source_file"):
            try:
                started.append(enqueue(retry(run, user=request.user)).pk)
            except SubmitError as exc:
                refused.append(str(exc))
        self._report(request, "Started retry run(s)", started, refused)

    @admin.action(description="Cancel selected runs", permissions=("change",))
    def cancel_runs(self, request, queryset: QuerySet) -> None:
        cancelled, refused = [], []
        for run in queryset:
            try:
                cancelled.append(cancel(run).pk)
            except SubmitError as exc:
                refused.append(str(exc))
        self._report(request, "Cancelled (or asked to stop) run(s)", cancelled, refused)

    def _report(self, request, done_text: str, done: list[int], refused: list[str]) -> None:
        if done:
            self.message_user(request, f"{done_text} {', '.join(map(str, done))}.", messages.SUCCESS)
        for reason in refused:
            self.message_user(request, reason, messages.WARNING)


@admin.register(SourceFile)
class SourceFileAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    """Files as received, kept for retries and erasure; read-only."""

    list_display = ("id", "original_name", "format", "size", "sha256", "uploaded_by", "created")
    list_filter = ("format",)
    search_fields = ("original_name", "=sha256")
    list_select_related = ("uploaded_by",)
    readonly_fields = ("file", "original_name", "sha256", "size", "format", "uploaded_by", "created")
    ordering = ("-created",)
