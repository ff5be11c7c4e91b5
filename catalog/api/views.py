"""Catalog API views: datasets (search, schema, quality, tags), columns and tags."""
from __future__ import annotations

from django.db.models import Prefetch
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.response import Response

from atlas.choices import Role
from catalog.api.serializers import (
    ColumnSerializer,
    DatasetDetailSerializer,
    DatasetSerializer,
    TagChangeSerializer,
    TagSerializer,
)
from catalog.choices import TagKind
from catalog.filtersets import ColumnFilterSet, DatasetFilterSet, TagFilterSet
from catalog.models import Column, Dataset, Tag
from catalog.services import editing
from catalog.services.quality import latest_quality, quality_history
from catalog.services.schema import schema_document

STEWARDS = (Role.STEWARD,)


@extend_schema_view(
    list=extend_schema(
        summary="Search and list datasets",
        description="`?search=` ranks by full-text match over names, descriptions and tags (typos tolerated "
                    "where pg_trgm is installed); `?tag=` (repeatable: all of) also matches column tags.",
    ),
    retrieve=extend_schema(summary="One dataset with its columns"),
    partial_update=extend_schema(summary="Change description, owners (usernames) or people's tags (steward)"),
    update=extend_schema(summary="Change description, owners (usernames) or people's tags (steward)"),
)
class DatasetViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin, viewsets.GenericViewSet
):
    """Datasets in the catalog. Reading needs any role; changing them needs the steward role."""

    queryset = Dataset.objects.select_related("last_run").prefetch_related("owners", "tags", "system_tags")
    serializer_class = DatasetSerializer
    filterset_class = DatasetFilterSet
    ordering_fields = ("name", "updated", "quality_score", "navigate_rows")
    write_roles = STEWARDS

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.action == "retrieve":
            columns = Column.objects.prefetch_related("tags", "system_tags").select_related("dataset")
            queryset = queryset.prefetch_related(Prefetch("columns", queryset=columns))
        return queryset

    def get_serializer_class(self):
        if self.action == "retrieve":
            return DatasetDetailSerializer
        if self.action == "change_tags":
            return TagChangeSerializer
        return DatasetSerializer

    @extend_schema(summary="The dataset's schema and its version history",
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    @action(detail=True, methods=["get"], url_path="schema", url_name="schema")
    def schema_document(self, request, pk=None) -> Response:
        return Response(schema_document(self.get_object()))

    @extend_schema(summary="The latest quality report and the history of runs' scores",
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    @action(detail=True, methods=["get"])
    def quality(self, request, pk=None) -> Response:
        dataset = self.get_object()
        return Response({
            "dataset": dataset.name,
            "quality_score": dataset.quality_score,
            "latest": latest_quality(dataset),
            "latest_run": dataset.last_run_id,
            "history": quality_history(dataset),
        })

    @extend_schema(summary="Add or remove people's tags on the dataset or one of its columns (steward)",
                   request=TagChangeSerializer, responses={200: DatasetSerializer})
    @action(detail=True, methods=["post"], url_path="tags", url_name="tags")
    def change_tags(self, request, pk=None) -> Response:
        dataset = self.get_object()
        change = TagChangeSerializer(data=request.data)
        change.is_valid(raise_exception=True)
        target = dataset
        if change.validated_data.get("column"):
            target = dataset.columns.filter(name=change.validated_data["column"]).first()
            if target is None:
                raise ValidationError(
                    {"column": f"The dataset has no column named '{change.validated_data['column']}'."}
                )
        try:
            editing.change_tags(
                target, add=change.validated_data["add"], remove=change.validated_data["remove"]
            )
        except editing.EditError as exc:
            raise ValidationError({"detail": str(exc)}) from exc
        dataset = self.get_queryset().get(pk=dataset.pk)
        return Response(DatasetDetailSerializer(dataset, context=self.get_serializer_context()).data)


@extend_schema_view(
    list=extend_schema(summary="List columns", description="Filter by dataset, type, tag and PII."),
    retrieve=extend_schema(summary="One column"),
)
class ColumnViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                    viewsets.GenericViewSet):
    """Columns of all datasets. Stewards may change a column's description and people's tags."""

    queryset = Column.objects.select_related("dataset").prefetch_related("tags", "system_tags")
    serializer_class = ColumnSerializer
    filterset_class = ColumnFilterSet
    ordering_fields = ("name", "position", "dataset__name")
    write_roles = STEWARDS


@extend_schema_view(list=extend_schema(summary="List tags"), retrieve=extend_schema(summary="One tag"))
class TagViewSet(viewsets.ModelViewSet):
    """Tags. Stewards create, rename and delete free-form tags; system tags are Atlas's own."""

    queryset = Tag.objects.all()
    serializer_class = TagSerializer
    filterset_class = TagFilterSet
    ordering_fields = ("name", "kind")
    write_roles = STEWARDS

    def destroy(self, request, *args, **kwargs) -> Response:
        if self.get_object().kind == TagKind.SYSTEM:
            return Response({"detail": "System tags are applied by Atlas and cannot be deleted."},
                            status=status.HTTP_400_BAD_REQUEST)
        return super().destroy(request, *args, **kwargs)
