"""Lineage filtersets: one per model, shared by the pages and the API."""
from __future__ import annotations

import django_filters as filters
from django.db.models import Q, QuerySet

from lineage.choices import EventOrigin, EventType, ForwardStatus, NodeKind, NodeLayer
from lineage.models import LineageEvent, LineageNode


class LineageEventFilterSet(filters.FilterSet):
    """Events by type, origin, forwarding state, job, run and time."""

    event_type = filters.ChoiceFilter(choices=EventType.choices)
    origin = filters.ChoiceFilter(choices=EventOrigin.choices)
    forward_status = filters.ChoiceFilter(choices=ForwardStatus.choices)
    job = filters.CharFilter(field_name="job_name", lookup_expr="icontains", label="Job name")
    run_id = filters.UUIDFilter()
    after = filters.IsoDateTimeFilter(field_name="event_time", lookup_expr="gte")
    before = filters.IsoDateTimeFilter(field_name="event_time", lookup_expr="lte")

    class Meta:
        model = LineageEvent
        fields = ("pipeline_run", "job_namespace")


class LineageNodeFilterSet(filters.FilterSet):
    """Datasets and jobs of the graph by kind, layer, namespace and name."""

    search = filters.CharFilter(method="filter_search", label="Name")
    kind = filters.ChoiceFilter(choices=NodeKind.choices)
    layer = filters.ChoiceFilter(choices=NodeLayer.choices)

    class Meta:
        model = LineageNode
        fields = ("namespace", "dataset")

    def filter_search(self, queryset: QuerySet, name: str, value: str) -> QuerySet:
        if not value:
            return queryset
        return queryset.filter(
            Q(name__icontains=value) | Q(label__icontains=value) | Q(namespace__icontains=value)
        )
