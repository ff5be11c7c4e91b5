"""Quality API views: reports (read), trends, and a dataset's quality rules (stewards write)."""
from __future__ import annotations

from dataclasses import asdict

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import generics, mixins, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atlas.choices import Role
from catalog.models import Dataset
from quality.api.serializers import (
    QualityReportDetailSerializer,
    QualityReportSerializer,
    QualityRuleSetSerializer,
)
from quality.filtersets import QualityReportFilterSet
from quality.models import QualityReport, QualityRuleSet
from quality.services.history import trend

MAX_TREND = 500


@extend_schema_view(
    list=extend_schema(summary="List quality reports",
                       description="Newest first; filter by dataset (id or name), dates, overall score "
                                   "range, PII (`pii=yes|no`), gate and source."),
    retrieve=extend_schema(summary="One quality report: dimensions, columns, rules, checks, gate, "
                                   "what got worse"),
)
class QualityReportViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Quality reports, one per run (and per re-check). Any role may read them."""

    queryset = QualityReport.objects.select_related("dataset")
    serializer_class = QualityReportSerializer
    filterset_class = QualityReportFilterSet
    ordering_fields = ("created", "overall_score", "completeness_score", "uniqueness_score",
                       "timeliness_score", "validity_score", "accuracy_score", "consistency_score")
    ordering = ("-created", "-pk")

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            queryset = queryset.prefetch_related("checks")
        return queryset

    def get_serializer_class(self):
        return QualityReportDetailSerializer if self.action == "retrieve" else QualityReportSerializer

    @extend_schema(
        summary="A dataset's scores over its latest reports, oldest first",
        parameters=[
            OpenApiParameter("dataset", OpenApiTypes.STR, required=True,
                             description="The dataset's id or name."),
            OpenApiParameter("limit", OpenApiTypes.INT, description=f"How many reports (default 30, at most "
                                                                    f"{MAX_TREND})."),
        ],
        responses={200: OpenApiTypes.OBJECT},
        filters=False,
    )
    @action(detail=False, methods=["get"], pagination_class=None, filter_backends=[])
    def trend(self, request) -> Response:
        ref = (request.query_params.get("dataset") or "").strip()
        if not ref:
            raise ValidationError({"dataset": "Name the dataset by id or name."})
        lookup = {"pk": int(ref)} if ref.isdigit() else {"name": ref}
        dataset = get_object_or_404(Dataset, **lookup)
        try:
            limit = max(1, min(int(request.query_params.get("limit", 30)), MAX_TREND))
        except ValueError:
            raise ValidationError({"limit": "Give the number of reports as a whole number."}) from None
        return Response({"dataset": dataset.pk, "points": [asdict(p) for p in trend(dataset, limit)]})


@extend_schema_view(
    get=extend_schema(summary="A dataset's quality rules (the defaults until a steward saves some)"),
    put=extend_schema(summary="Replace a dataset's quality rules (steward)"),
    patch=extend_schema(summary="Change some of a dataset's quality rules (steward)"),
)
class QualityRulesView(generics.RetrieveUpdateAPIView):
    """``/api/datasets/{id}/quality-rules/``: thresholds, gates, knobs, rules and SodaCL of one dataset.

    Everything is validated before saving; SodaCL errors name the line. Any
    role reads; stewards write.
    """

    serializer_class = QualityRuleSetSerializer
    write_roles = (Role.STEWARD,)
    queryset = QualityRuleSet.objects.none()  # for the schema; get_object does the work

    def get_object(self) -> QualityRuleSet:
        dataset = get_object_or_404(Dataset, pk=self.kwargs["pk"])
        return QualityRuleSet.for_dataset(dataset)
