"""Pipeline filtersets: one per model, shared by the pages and the API."""

from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from catalog.choices import LoadMode
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun

DATE_ONLY_LENGTH = len("2024-01-31")


class PipelineRunFilterSet(django_filters.FilterSet):
    """Runs by dataset (id or name), status, load mode, creation time, and a free-text search.

    ``created_after`` and ``created_before`` take a date (``2024-01-31``) or an
    ISO date-time; a bare date in ``created_before`` includes that whole day.
    """

    q = django_filters.CharFilter(
        method="filter_q", label="Search", help_text="Words in the dataset name, the file name or the error."
    )
    dataset = django_filters.CharFilter(
        method="filter_dataset", label="Dataset", help_text="The dataset's id or its exact name."
    )
    status = django_filters.ChoiceFilter(choices=RunStatus.choices, empty_label="any status")
    mode = django_filters.ChoiceFilter(
        field_name="load_mode", choices=LoadMode.choices, label="Load mode", empty_label="any mode"
    )
    created_after = django_filters.DateTimeFilter(
        field_name="created",
        lookup_expr="gte",
        label="Created from",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Runs created at or after this date or ISO date-time.",
    )
    created_before = django_filters.DateTimeFilter(
        field_name="created",
        method="filter_created_before",
        label="Created until",
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text="Runs created before this ISO date-time, or on or before this date.",
    )

    class Meta:
        model = PipelineRun
        fields = ("q", "dataset", "status", "mode", "created_after", "created_before")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(dataset__name__icontains=value)
            | Q(source_description__icontains=value)
            | Q(error__icontains=value)
        )

    def filter_dataset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        by_name = Q(dataset__name__iexact=value)
        if value.isdigit():
            return queryset.filter(Q(dataset_id=int(value)) | by_name)
        return queryset.filter(by_name)

    def filter_created_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        raw = str(self.data.get("created_before", "")).strip()
        if len(raw) == DATE_ONLY_LENGTH:
            return queryset.filter(created__lt=value + timedelta(days=1))
        return queryset.filter(created__lte=value)
