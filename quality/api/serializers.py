"""Quality API serializers: reports (brief and full) and a dataset's rule set."""
from __future__ import annotations

from rest_framework import serializers

from quality.choices import CheckKind, GateMode
from quality.engine import DIMENSIONS
from quality.models import CheckResult, QualityReport, QualityRuleSet
from quality.services.history import regressions
from quality.services.rules import validate_rule_set

GATE_KEYS = (*DIMENSIONS, CheckKind.SODA, CheckKind.HISTORY)


class CheckResultSerializer(serializers.ModelSerializer):
    class Meta:
        model = CheckResult
        fields = ("kind", "name", "outcome", "value", "definition", "message", "gate", "details")


class QualityReportSerializer(serializers.ModelSerializer):
    """A report's headline: overall and per-dimension scores, gate, PII columns."""

    url = serializers.HyperlinkedIdentityField(view_name="api:quality-report-detail")
    dataset_name = serializers.CharField(source="dataset.name", read_only=True)
    scores = serializers.SerializerMethodField()

    class Meta:
        model = QualityReport
        fields = ("id", "url", "dataset", "dataset_name", "run", "source", "overall_score", "scores",
                  "passed", "gate", "pii_columns", "measured_rows", "rejected_rows", "created")

    def get_scores(self, report: QualityReport) -> dict[str, float | None]:
        return report.dimension_scores()


class QualityReportDetailSerializer(QualityReportSerializer):
    """Everything: the six dimensions in DESIGN.md's shape, checks, gate reasons and what got worse."""

    checks = CheckResultSerializer(many=True, read_only=True)
    worse_since_last_run = serializers.SerializerMethodField()

    class Meta(QualityReportSerializer.Meta):
        fields = QualityReportSerializer.Meta.fields + (
            "gate_reasons", "dimensions", "checks", "metrics", "timings", "worse_since_last_run",
        )

    def get_worse_since_last_run(self, report: QualityReport) -> list[dict]:
        return [r.as_dict() for r in regressions(report)]


class ScoreMapField(serializers.DictField):
    """``{dimension: value}`` where only known keys are allowed; missing keys keep their current value."""

    def __init__(self, keys: tuple[str, ...], **kwargs) -> None:
        self.keys = keys
        super().__init__(**kwargs)

    def to_internal_value(self, data):
        value = super().to_internal_value(data)
        unknown = set(value) - set(self.keys)
        if unknown:
            raise serializers.ValidationError(f"Unknown key(s) {', '.join(sorted(unknown))}; "
                                              f"use {', '.join(self.keys)}.")
        return value


class QualityRuleSetSerializer(serializers.ModelSerializer):
    """A dataset's quality rules, with thresholds and gates as maps; validated like the admin does."""

    dataset_name = serializers.CharField(source="dataset.name", read_only=True)
    thresholds = ScoreMapField(DIMENSIONS, child=serializers.FloatField(min_value=0.0, max_value=1.0),
                               required=False)
    gates = ScoreMapField(GATE_KEYS, child=serializers.ChoiceField(choices=GateMode.choices), required=False)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)
    columns = serializers.SerializerMethodField()

    class Meta:
        model = QualityRuleSet
        fields = ("dataset", "dataset_name", "thresholds", "gates", "check_gates", "mad_k", "iqr_k",
                  "timeliness_column", "max_age_days", "automatic_rules", "cross_field_rules",
                  "reference_values", "semantic_types", "sodacl", "history_metrics", "history_runs",
                  "history_sigma", "columns", "updated_by", "updated")
        read_only_fields = ("dataset", "updated")
        # Trimming would shift the line numbers validation reports.
        extra_kwargs = {"sodacl": {"trim_whitespace": False}}

    def to_representation(self, instance: QualityRuleSet) -> dict:
        data = super().to_representation(instance)
        data["thresholds"] = instance.thresholds()
        data["gates"] = instance.gates()
        return data

    def get_columns(self, instance: QualityRuleSet) -> list[dict]:
        """The names rules may refer to: original and warehouse, with the type."""
        return [{"name": c.name, "warehouse_name": c.warehouse_name, "type": c.data_type}
                for c in instance.dataset.columns.order_by("position")]

    def validate(self, attrs: dict) -> dict:
        candidate = apply_changes(QualityRuleSet(**{
            f.attname: getattr(self.instance, f.attname) for f in QualityRuleSet._meta.concrete_fields
        }), attrs)
        errors = validate_rule_set(candidate)
        if errors:
            raise serializers.ValidationError(errors)
        return attrs

    def update(self, instance: QualityRuleSet, validated_data: dict) -> QualityRuleSet:
        apply_changes(instance, validated_data)
        instance.updated_by = self.context["request"].user
        instance.save()
        return instance


def apply_changes(rules: QualityRuleSet, attrs: dict) -> QualityRuleSet:
    """Set plain fields, and the ``thresholds``/``gates`` maps onto their per-dimension fields."""
    for dimension, value in (attrs.get("thresholds") or {}).items():
        setattr(rules, f"{dimension}_threshold", value)
    for key, mode in (attrs.get("gates") or {}).items():
        setattr(rules, f"{key}_gate", mode)
    for name, value in attrs.items():
        if name not in ("thresholds", "gates"):
            setattr(rules, name, value)
    return rules
