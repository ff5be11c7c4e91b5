"""Quality admin: rule sets (stewards edit them), reports and their check results (read-only)."""
from __future__ import annotations

from django.contrib import admin
from django.utils.html import format_html

from quality.models import CheckResult, QualityReport, QualityRuleSet
from quality.presentation import score_tone


@admin.register(QualityRuleSet)
class QualityRuleSetAdmin(admin.ModelAdmin):
    """A dataset's thresholds, gates, knobs, declared rules and SodaCL; validated on save."""

    list_display = ("dataset", "completeness_threshold", "uniqueness_threshold", "validity_threshold",
                    "gates_display", "has_sodacl", "updated_by", "updated")
    list_select_related = ("dataset", "updated_by")
    search_fields = ("dataset__name", "sodacl")
    raw_id_fields = ("dataset",)
    readonly_fields = ("updated_by", "created", "updated")
    fieldsets = (
        (None, {"fields": ("dataset",)}),
        ("Thresholds (0..1)", {"fields": (
            ("completeness_threshold", "uniqueness_threshold", "timeliness_threshold"),
            ("validity_threshold", "accuracy_threshold", "consistency_threshold"),
        )}),
        ("Gates", {"fields": (
            ("completeness_gate", "uniqueness_gate", "timeliness_gate"),
            ("validity_gate", "accuracy_gate", "consistency_gate"),
            ("soda_gate", "history_gate"), "check_gates",
        )}),
        ("Measurement", {"fields": (
            ("mad_k", "iqr_k"), ("timeliness_column", "max_age_days"), "automatic_rules",
            "cross_field_rules", "reference_values", "semantic_types",
        )}),
        ("SodaCL", {"fields": ("sodacl",)}),
        ("History check", {"fields": ("history_metrics", ("history_runs", "history_sigma"))}),
        ("Changes", {"fields": ("updated_by", "created", "updated")}),
    )

    @admin.display(description="gates")
    def gates_display(self, rules: QualityRuleSet) -> str:
        blocking = [name for name, mode in rules.gates().items() if mode == "block"]
        return f"block: {', '.join(blocking)}" if blocking else "warn only"

    @admin.display(description="SodaCL", boolean=True)
    def has_sodacl(self, rules: QualityRuleSet) -> bool:
        return bool(rules.sodacl.strip())

    def save_model(self, request, obj: QualityRuleSet, form, change: bool) -> None:
        obj.updated_by = request.user
        super().save_model(request, obj, form, change)


class CheckResultInline(admin.TabularInline):
    model = CheckResult
    fields = ("kind", "name", "outcome", "value", "gate", "message")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:
        return False


@admin.register(QualityReport)
class QualityReportAdmin(admin.ModelAdmin):
    """One report per run (and per re-check); written by Atlas, never edited."""

    list_display = ("id", "dataset", "run", "source", "score_display", "completeness_score",
                    "uniqueness_score", "timeliness_score", "validity_score", "accuracy_score",
                    "consistency_score", "gate", "created")
    list_filter = ("gate", "passed", "source", ("dataset", admin.RelatedOnlyFieldListFilter), "created")
    search_fields = ("dataset__name", "gate_reasons")
    list_select_related = ("dataset", "run")
    date_hierarchy = "created"
    inlines = (CheckResultInline,)
    readonly_fields = [f.name for f in QualityReport._meta.fields]

    @admin.display(description="overall", ordering="overall_score")
    def score_display(self, report: QualityReport):
        return format_html('<span class="badge {}">{}</span>', score_tone(report.overall_score),
                           f"{report.overall_score:.3f}")

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CheckResult)
class CheckResultAdmin(admin.ModelAdmin):
    """SodaCL and history check results across reports; read-only."""

    list_display = ("name", "kind", "outcome", "value", "gate", "report")
    list_filter = ("kind", "outcome")
    search_fields = ("name", "definition", "message", "report__dataset__name")
    list_select_related = ("report", "report__dataset")
    readonly_fields = [f.name for f in CheckResult._meta.fields]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False
