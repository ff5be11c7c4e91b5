"""Compliance filtersets: one per model, shared by the pages and the API."""
from __future__ import annotations

import django_filters
from django.db.models import Q, QuerySet

from compliance.choices import AuditAction, FindingStatus, MaskingAction, PiiEntity
from compliance.models import ColumnMaskingOverride, MaskingPolicy, PiiAuditEvent, PiiFinding


def entity_choices() -> list[tuple[str, str]]:
    """Built-in entities plus any other entity found or given a policy (custom recognizers)."""
    known = dict(PiiEntity.choices)
    for entity in PiiFinding.objects.values_list("entity", flat=True).distinct():
        known.setdefault(entity, entity)
    return sorted(known.items())


def _by_dataset(queryset: QuerySet, value: str, prefix: str = "dataset") -> QuerySet:
    value = value.strip()
    if not value:
        return queryset
    by_name = Q(**{f"{prefix}__name__iexact": value})
    if value.isdigit():
        return queryset.filter(Q(**{f"{prefix}_id": int(value)}) | by_name)
    return queryset.filter(by_name)


class PiiFindingFilterSet(django_filters.FilterSet):
    """Findings by dataset (id or name), entity, status, masking, confidence, and words in names."""

    q = django_filters.CharFilter(method="filter_q", label="Search",
                                  help_text="Words in the dataset or column name.")
    dataset = django_filters.CharFilter(method="filter_dataset", label="Dataset",
                                        help_text="The dataset's id or its exact name.")
    entity = django_filters.ChoiceFilter(choices=entity_choices, empty_label="any entity")
    status = django_filters.ChoiceFilter(choices=FindingStatus.choices, empty_label="any status")
    current = django_filters.BooleanFilter(label="Found by the latest scan")
    masked = django_filters.BooleanFilter(method="filter_masked", label="Masked in navigate")
    min_confidence = django_filters.NumberFilter(field_name="confidence", lookup_expr="gte",
                                                 label="Confidence at least")

    class Meta:
        model = PiiFinding
        fields = ("q", "dataset", "entity", "status", "current", "masked", "min_confidence")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(dataset__name__icontains=value) | Q(column__name__icontains=value))

    def filter_dataset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _by_dataset(queryset, value)

    def filter_masked(self, queryset: QuerySet, name: str, value: bool | None) -> QuerySet:
        if value is None:
            return queryset
        unmasked = Q(masking__in=("", MaskingAction.KEEP))
        return queryset.exclude(unmasked) if value else queryset.filter(unmasked)


class MaskingPolicyFilterSet(django_filters.FilterSet):
    """Policies by entity and action."""

    entity = django_filters.CharFilter(lookup_expr="iexact")
    action = django_filters.ChoiceFilter(choices=MaskingAction.choices)

    class Meta:
        model = MaskingPolicy
        fields = ("entity", "action")


class ColumnMaskingOverrideFilterSet(django_filters.FilterSet):
    """Overrides by dataset (id or name) and action."""

    dataset = django_filters.CharFilter(method="filter_dataset", label="Dataset")
    action = django_filters.ChoiceFilter(choices=MaskingAction.choices)

    class Meta:
        model = ColumnMaskingOverride
        fields = ("dataset", "action")

    def filter_dataset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _by_dataset(queryset, value, prefix="column__dataset")


class PiiAuditEventFilterSet(django_filters.FilterSet):
    """Audit events by action and dataset (id or name)."""

    action = django_filters.ChoiceFilter(choices=AuditAction.choices)
    dataset = django_filters.CharFilter(method="filter_dataset", label="Dataset")

    class Meta:
        model = PiiAuditEvent
        fields = ("action", "dataset")

    def filter_dataset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        return _by_dataset(queryset, value)
