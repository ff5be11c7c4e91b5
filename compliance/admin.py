"""Compliance admin: the PII inventory with bulk review, recognizers, masking policies, overrides, audit."""
from __future__ import annotations

from django.contrib import admin, messages

from compliance.choices import ReviewDecision
from compliance.models import (
    ColumnMaskingOverride,
    CustomRecognizer,
    MaskingPolicy,
    PiiAuditEvent,
    PiiFinding,
)
from compliance.services import policies
from compliance.services.review import review


def _review_action(decision: str, description: str):
    def apply(modeladmin, request, queryset):
        changed = review(list(queryset), decision, request.user)
        modeladmin.message_user(request, f"{len(changed)} finding(s): {description.lower()}.",
                                messages.SUCCESS)

    apply.__name__ = f"{decision}_findings"
    apply.short_description = description
    apply.allowed_permissions = ("change",)
    return apply


@admin.register(PiiFinding)
class PiiFindingAdmin(admin.ModelAdmin):
    """Findings are written by scans; people only decide on them (the actions) and add a note."""

    list_display = ("entity", "dataset", "column", "confidence", "share", "status", "masking", "current",
                    "reviewer", "reviewed_at")
    list_filter = ("status", "entity", "current", "masking", "free_text", "dataset")
    search_fields = ("dataset__name", "column__name", "entity", "explanation")
    list_select_related = ("dataset", "column", "reviewer")
    actions = [
        _review_action(ReviewDecision.CONFIRM, "Confirm selected findings"),
        _review_action(ReviewDecision.REJECT, "Reject selected findings"),
        _review_action(ReviewDecision.RESET, "Send selected findings back to suggested"),
    ]
    readonly_fields = ("dataset", "column", "entity", "confidence", "share", "sample_size", "sample_matches",
                       "rows_matching", "rows_non_null", "free_text", "explanation", "first_run", "last_run",
                       "current", "status", "reviewer", "reviewed_at", "fingerprint", "reviewed_fingerprint",
                       "masking", "created", "updated")
    fields = readonly_fields[:15] + ("review_note",) + readonly_fields[15:]

    def has_add_permission(self, request) -> bool:
        return False


class AuditedAdmin(admin.ModelAdmin):
    """Saves and deletions land in the PII audit log, with who made them."""

    def save_model(self, request, obj, form, change) -> None:
        before = policies.snapshot(type(obj).objects.filter(pk=obj.pk).first()) if change else {}
        if hasattr(obj, "updated_by_id"):
            obj.updated_by = request.user
        if hasattr(obj, "created_by_id") and not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
        policies.record_change(obj, request.user, before)

    def delete_model(self, request, obj) -> None:
        policies.record_change(obj, request.user, policies.snapshot(obj), deleted=True)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset) -> None:
        for obj in queryset:
            self.delete_model(request, obj)


@admin.register(CustomRecognizer)
class CustomRecognizerAdmin(AuditedAdmin):
    list_display = ("name", "entity", "regex", "validator", "score", "active", "updated")
    list_filter = ("active", "entity", "validator")
    search_fields = ("name", "entity", "regex", "description")
    readonly_fields = ("created_by", "created", "updated")


@admin.register(MaskingPolicy)
class MaskingPolicyAdmin(AuditedAdmin):
    list_display = ("entity", "action", "visible_chars", "description", "updated_by", "updated")
    list_editable = ("action",)
    list_filter = ("action",)
    search_fields = ("entity", "description")
    readonly_fields = ("updated_by", "updated")


@admin.register(ColumnMaskingOverride)
class ColumnMaskingOverrideAdmin(AuditedAdmin):
    list_display = ("column", "action", "visible_chars", "reason", "updated_by", "updated")
    list_filter = ("action",)
    search_fields = ("column__name", "column__dataset__name", "reason")
    raw_id_fields = ("column",)
    list_select_related = ("column__dataset", "updated_by")
    readonly_fields = ("updated_by", "updated")


@admin.register(PiiAuditEvent)
class PiiAuditEventAdmin(admin.ModelAdmin):
    """The audit log is read-only, even for administrators."""

    list_display = ("at", "action", "actor", "dataset", "column", "summary")
    list_filter = ("action",)
    search_fields = ("summary", "actor__username", "dataset__name")
    date_hierarchy = "at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False
