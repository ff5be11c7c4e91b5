"""Compliance API serializers."""
from __future__ import annotations

from rest_framework import serializers

from catalog.models import Column, Dataset
from compliance.choices import ReviewDecision
from compliance.models import (
    ColumnMaskingOverride,
    CustomRecognizer,
    MaskingPolicy,
    PiiAuditEvent,
    PiiFinding,
)


class PiiFindingSerializer(serializers.ModelSerializer):
    """A finding with its dataset and column named, the evidence and the review state."""

    dataset_name = serializers.CharField(source="dataset.name", read_only=True)
    column_name = serializers.CharField(source="column.name", read_only=True)
    warehouse_column = serializers.CharField(source="column.warehouse_name", read_only=True)
    reviewer = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PiiFinding
        fields = ("id", "dataset", "dataset_name", "column", "column_name", "warehouse_column", "entity",
                  "confidence", "share", "sample_size", "sample_matches", "rows_matching", "rows_non_null",
                  "free_text", "explanation", "current", "status", "reviewer", "reviewed_at", "review_note",
                  "masking", "first_run", "last_run", "created", "updated")
        read_only_fields = fields


class ReviewSerializer(serializers.Serializer):
    """A steward's decision on one finding."""

    decision = serializers.ChoiceField(choices=ReviewDecision.choices)
    note = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")


class BulkReviewSerializer(ReviewSerializer):
    """The same decision on several findings."""

    ids = serializers.ListField(child=serializers.IntegerField(min_value=1), min_length=1, max_length=1000)


class MaskingPolicySerializer(serializers.ModelSerializer):
    """What publishing does with one entity type."""

    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = MaskingPolicy
        fields = ("id", "entity", "action", "visible_chars", "description", "updated_by", "updated")
        read_only_fields = ("updated_by", "updated")


class ColumnMaskingOverrideSerializer(serializers.ModelSerializer):
    """One column masked differently from its entity's policy."""

    column = serializers.PrimaryKeyRelatedField(queryset=Column.objects.select_related("dataset"))
    dataset_name = serializers.CharField(source="column.dataset.name", read_only=True)
    column_name = serializers.CharField(source="column.name", read_only=True)
    updated_by = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = ColumnMaskingOverride
        fields = ("id", "column", "dataset_name", "column_name", "action", "visible_chars", "reason",
                  "updated_by", "updated")
        read_only_fields = ("updated_by", "updated")


class CustomRecognizerSerializer(serializers.ModelSerializer):
    """A steward-defined recognizer; the regex is checked on save."""

    class Meta:
        model = CustomRecognizer
        fields = ("id", "name", "entity", "regex", "context", "validator", "score", "active", "description",
                  "created", "updated")
        read_only_fields = ("created", "updated")

    def validate(self, attrs: dict) -> dict:
        from django.core.exceptions import ValidationError as DjangoValidationError

        instance = CustomRecognizer(**{**self._current(), **attrs})
        try:
            instance.clean()
        except DjangoValidationError as exc:
            raise serializers.ValidationError(exc.message_dict) from exc
        return attrs

    def _current(self) -> dict:
        if self.instance is None:
            return {}
        names = ("name", "entity", "regex", "context", "validator", "score")
        return {name: getattr(self.instance, name) for name in names}


class DecryptSerializer(serializers.Serializer):
    """A value to decrypt, optionally with where it came from and why (both go to the audit log)."""

    value = serializers.CharField(max_length=10_000, trim_whitespace=True)
    dataset = serializers.PrimaryKeyRelatedField(queryset=Dataset.objects.all(), required=False,
                                                 allow_null=True)
    column = serializers.PrimaryKeyRelatedField(queryset=Column.objects.all(), required=False,
                                                allow_null=True)
    reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class DecryptedSerializer(serializers.Serializer):
    value = serializers.CharField()


class PiiAuditEventSerializer(serializers.ModelSerializer):
    actor = serializers.SlugRelatedField(slug_field="username", read_only=True)

    class Meta:
        model = PiiAuditEvent
        fields = ("id", "at", "actor", "action", "dataset", "column", "summary", "detail")
        read_only_fields = fields
