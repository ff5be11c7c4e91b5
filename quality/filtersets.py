"""Quality filtersets: one per model, shared by the pages and the API."""
from __future__ import annotations

from datetime import timedelta

import django_filters
from django import forms
from django.db.models import Q, QuerySet

from quality.choices import GateOutcome, ReportSource
from quality.models import QualityReport

DATE_ONLY_LENGTH = len("2024-01-31")
PII_CHOICES = (("yes", "Has PII"), ("no", "No PII"))


class QualityReportFilterSet(django_filters.FilterSet):
    """Reports by dataset (id or name), creation dates, overall score range, PII, gate and free text.

    ``created_after``/``created_before`` take a date or an ISO date-time (a bare
    date in ``created_before`` includes that day); ``score_min``/``score_max``
    bound the overall score (0..1); ``pii=yes`` keeps runs with PII findings.
    """

    q = django_filters.CharFilter(
        method="filter_q", label="Search",
        help_text="Words in the dataset name, the gate's reasons or a check's name.",
    )
    dataset = django_filters.CharFilter(method="filter_dataset", label="Dataset",
                                        help_text="The dataset's id or its exact name.")
    created_after = django_filters.DateTimeFilter(
        field_name="created", lookup_expr="gte", label="From",
        widget=forms.DateInput(attrs={"type": "date"}), help_text="Reports created at or after this date.",
    )
    created_before = django_filters.DateTimeFilter(
        field_name="created", method="filter_created_before", label="Until",
        widget=forms.DateInput(attrs={"type": "date"}), help_text="Reports created on or before this date.",
    )
    score_min = django_filters.NumberFilter(
        field_name="overall_score", lookup_expr="gte", label="Score from",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        help_text="Overall score at least this (0..1).",
    )
    score_max = django_filters.NumberFilter(
        field_name="overall_score", lookup_expr="lte", label="Score to",
        widget=forms.NumberInput(attrs={"step": "0.01", "min": "0", "max": "1"}),
        help_text="Overall score at most this (0..1).",
    )
    pii = django_filters.ChoiceFilter(choices=PII_CHOICES, method="filter_pii", label="PII",
                                      empty_label="PII or not")
    gate = django_filters.ChoiceFilter(choices=GateOutcome.choices, empty_label="any gate")
    source = django_filters.ChoiceFilter(choices=ReportSource.choices, empty_label="any source")
    run = django_filters.NumberFilter(field_name="run_id", label="Run")

    class Meta:
        model = QualityReport
        fields = ("q", "dataset", "created_after", "created_before", "score_min", "score_max", "pii", "gate",
                  "source", "run")

    def filter_q(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(dataset__name__icontains=value)
            | Q(gate_reasons__icontains=value)
            | Q(checks__name__icontains=value)
        ).distinct()

    def filter_dataset(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        value = value.strip()
        if not value:
            return queryset
        by_name = Q(dataset__name__iexact=value)
        return queryset.filter(Q(dataset_id=int(value)) | by_name if value.isdigit() else by_name)

    def filter_created_before(self, queryset: QuerySet, name: str, value) -> QuerySet:
        if value is None:
            return queryset
        if len(str(self.data.get(name, "")).strip()) == DATE_ONLY_LENGTH:
            return queryset.filter(created__lt=value + timedelta(days=1))
        return queryset.filter(created__lte=value)

    def filter_pii(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if value == "yes":
            return queryset.filter(pii_columns__gt=0)
        if value == "no":
            return queryset.filter(pii_columns=0)
        return queryset
