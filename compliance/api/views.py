"""Compliance API views: the PII inventory and its review, masking policies, recognizers, decrypt, audit."""
from __future__ import annotations

from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from atlas.choices import Role
from compliance.api.serializers import (
    BulkReviewSerializer,
    ColumnMaskingOverrideSerializer,
    CustomRecognizerSerializer,
    DecryptedSerializer,
    DecryptSerializer,
    MaskingPolicySerializer,
    PiiAuditEventSerializer,
    PiiFindingSerializer,
    ReviewSerializer,
)
from compliance.filtersets import (
    ColumnMaskingOverrideFilterSet,
    MaskingPolicyFilterSet,
    PiiAuditEventFilterSet,
    PiiFindingFilterSet,
)
from compliance.models import (
    ColumnMaskingOverride,
    CustomRecognizer,
    MaskingPolicy,
    PiiAuditEvent,
    PiiFinding,
)
from compliance.services import policies
from compliance.services.crypto import DecryptionError
from compliance.services.review import ReviewError, review, review_ids

REVIEWERS = (Role.STEWARD, Role.PRIVACY_OFFICER)
PRIVACY = (Role.PRIVACY_OFFICER,)


@extend_schema_view(
    list=extend_schema(summary="List PII findings",
                       description="Filter by dataset (id or name), entity, status, current, masked and "
                                   "min_confidence."),
    retrieve=extend_schema(summary="One PII finding, with its evidence and review state"),
)
class PiiFindingViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The PII inventory. Any role reads it; stewards and privacy officers review it."""

    queryset = PiiFinding.objects.select_related("dataset", "column", "reviewer")
    serializer_class = PiiFindingSerializer
    filterset_class = PiiFindingFilterSet
    ordering_fields = ("confidence", "share", "entity", "status", "updated", "reviewed_at")
    ordering = ("dataset__name", "column__position", "-confidence")
    lookup_value_regex = r"\d+"
    action_roles = {"review": REVIEWERS, "bulk_review": REVIEWERS}

    @extend_schema(summary="Confirm, reject or reset one finding", request=ReviewSerializer,
                   responses={200: PiiFindingSerializer})
    @action(detail=True, methods=["post"])
    def review(self, request, pk=None):
        finding = self.get_object()
        data = ReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        updated = review([finding], fields["decision"], request.user, fields["note"])
        return Response(PiiFindingSerializer(updated[0]).data)

    @extend_schema(summary="The same decision on several findings", operation_id="pii_findings_bulk_review",
                   request=BulkReviewSerializer,
                   responses={200: PiiFindingSerializer(many=True),
                              400: OpenApiResponse(description="Unknown ids; `detail` says which.")})
    @action(detail=False, methods=["post"], url_path="review")
    def bulk_review(self, request):
        data = BulkReviewSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            updated = review_ids(data.validated_data["ids"], data.validated_data["decision"], request.user,
                                 data.validated_data["note"])
        except ReviewError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(PiiFindingSerializer(updated, many=True).data)


class AuditedModelViewSet(viewsets.ModelViewSet):
    """CRUD whose every write lands in the PII audit log."""

    def perform_create(self, serializer) -> None:
        extra = {"updated_by": self.request.user} if "updated_by" in serializer.fields else {}
        instance = serializer.save(**extra)
        policies.record_change(instance, self.request.user, {})

    def perform_update(self, serializer) -> None:
        before = policies.snapshot(serializer.instance)
        extra = {"updated_by": self.request.user} if "updated_by" in serializer.fields else {}
        instance = serializer.save(**extra)
        policies.record_change(instance, self.request.user, before)

    def perform_destroy(self, instance) -> None:
        before = policies.snapshot(instance)
        policies.record_change(instance, self.request.user, before, deleted=True)
        instance.delete()


@extend_schema_view(list=extend_schema(summary="List masking policies (one per entity type)"))
class MaskingPolicyViewSet(AuditedModelViewSet):
    """Masking policies: any role reads them, privacy officers change them (from the next run on)."""

    queryset = MaskingPolicy.objects.select_related("updated_by")
    serializer_class = MaskingPolicySerializer
    filterset_class = MaskingPolicyFilterSet
    ordering = ("entity",)
    write_roles = PRIVACY


@extend_schema_view(list=extend_schema(summary="List per-column masking overrides"))
class ColumnMaskingOverrideViewSet(AuditedModelViewSet):
    """Per-column overrides of the entity policy: privacy officers only write them."""

    queryset = ColumnMaskingOverride.objects.select_related("column__dataset", "updated_by")
    serializer_class = ColumnMaskingOverrideSerializer
    filterset_class = ColumnMaskingOverrideFilterSet
    ordering = ("column__dataset__name", "column__position")
    write_roles = PRIVACY


@extend_schema_view(list=extend_schema(summary="List custom recognizers"))
class CustomRecognizerViewSet(AuditedModelViewSet):
    """Steward-defined recognizers, used from the next run on."""

    queryset = CustomRecognizer.objects.all()
    serializer_class = CustomRecognizerSerializer
    filterset_fields = ("entity", "active")
    ordering = ("entity", "name")
    write_roles = REVIEWERS

    def perform_create(self, serializer) -> None:
        instance = serializer.save(created_by=self.request.user)
        policies.record_change(instance, self.request.user, {})


@extend_schema_view(list=extend_schema(summary="The PII audit log (privacy officers)"))
class PiiAuditEventViewSet(viewsets.ReadOnlyModelViewSet):
    """Reviews, policy changes, decrypts and rescans, newest first."""

    queryset = PiiAuditEvent.objects.select_related("actor")
    serializer_class = PiiAuditEventSerializer
    filterset_class = PiiAuditEventFilterSet
    ordering = ("-at",)
    read_roles = PRIVACY


class DecryptView(APIView):
    """Decrypt one value from an encrypt-policy column. Privacy officers only; every call is audited."""

    read_roles = PRIVACY
    write_roles = PRIVACY

    @extend_schema(summary="Decrypt a value encrypted in navigate", request=DecryptSerializer,
                   responses={200: DecryptedSerializer,
                              400: OpenApiResponse(description="Not a token Atlas's keys can open.")})
    def post(self, request):
        data = DecryptSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            value = policies.decrypt_value(fields["value"], request.user, dataset=fields.get("dataset"),
                                           column=fields.get("column"), reason=fields["reason"])
        except DecryptionError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response({"value": value})
