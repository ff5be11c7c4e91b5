"""Lineage admin: stored events (with forwarding retries), and the graph's nodes and edges."""
from __future__ import annotations

import json

from django.contrib import admin, messages
from django.utils.html import format_html

from atlas.choices import Role
from atlas.roles import has_role
from lineage.choices import ForwardStatus
from lineage.models import LineageEdge, LineageEvent, LineageNode


@admin.register(LineageEvent)
class LineageEventAdmin(admin.ModelAdmin):
    """Events as emitted or received; the JSON is read-only, forwarding can be retried."""

    list_display = (
        "event_time",
        "event_type",
        "kind",
        "job_namespace",
        "job_name",
        "origin",
        "forward_status",
        "forward_attempts",
    )
    list_filter = ("origin", "event_type", "kind", "forward_status")
    search_fields = ("job_name", "job_namespace", "run_id", "producer")
    date_hierarchy = "event_time"
    readonly_fields = (
        "kind",
        "event_type",
        "event_time",
        "run_id",
        "job_namespace",
        "job_name",
        "producer",
        "schema_url",
        "origin",
        "received_at",
        "pipeline_run",
        "forward_status",
        "forward_attempts",
        "forward_error",
        "forwarded_at",
        "document",
    )
    exclude = ("payload",)
    actions = ("retry_forwarding",)

    @admin.display(description="Event")
    def document(self, obj: LineageEvent) -> str:
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', json.dumps(obj.payload, indent=2))

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_forward_permission(self, request) -> bool:
        return has_role(request.user, (Role.OPERATOR,))

    @admin.action(description="Retry forwarding to OPENLINEAGE_URL", permissions=["forward"])
    def retry_forwarding(self, request, queryset) -> None:
        from lineage.services.forwarding import forward  # openlineage-python is slow to import

        sent = failed = 0
        for event in queryset.exclude(forward_status=ForwardStatus.SENT):
            if forward(event.pk).sent:
                sent += 1
            else:
                failed += 1
        level = messages.WARNING if failed else messages.SUCCESS
        self.message_user(request, f"{sent} forwarded, {failed} failed (see forward error).", level)


class EdgeInline(admin.TabularInline):
    model = LineageEdge
    fk_name = "source"
    fields = ("kind", "target", "label", "job", "last_seen")
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = "Downstream edges"

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(LineageNode)
class LineageNodeAdmin(admin.ModelAdmin):
    """Datasets and jobs of the merged graph."""

    list_display = ("display_name", "kind", "layer", "namespace", "dataset", "last_seen")
    list_filter = ("kind", "layer")
    search_fields = ("name", "namespace", "label")
    readonly_fields = ("kind", "namespace", "name", "layer", "first_seen", "last_seen", "schema", "facets")
    raw_id_fields = ("dataset",)
    inlines = (EdgeInline,)


@admin.register(LineageEdge)
class LineageEdgeAdmin(admin.ModelAdmin):
    """Edges of the merged graph, with the transformation label."""

    list_display = ("source", "kind", "target", "label", "last_seen")
    list_filter = ("kind",)
    search_fields = ("source__name", "target__name", "label")
    readonly_fields = (
        "kind",
        "source",
        "target",
        "job",
        "label",
        "detail",
        "last_event",
        "first_seen",
        "last_seen",
    )
