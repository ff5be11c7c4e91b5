"""Pipeline API views: start runs from uploads, follow them, retry and cancel them."""

from __future__ import annotations

from django.shortcuts import get_object_or_404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import ValidationError
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response

from atlas.choices import Role
from atlas.roles import RAW_DATA_ROLES
from pipeline.api.serializers import (
    DuplicateUploadSerializer,
    PipelineRunDetailSerializer,
    PipelineRunSerializer,
    RejectedRowSerializer,
    SubmitErrorSerializer,
    UploadSerializer,
)
from pipeline.filtersets import PipelineRunFilterSet
from pipeline.models import PipelineRun
from pipeline.services import inspect
from pipeline.services.submit import DuplicateUpload, SubmitError, cancel, enqueue, retry
from pipeline.services.uploads import SubmitFailed, UploadTooLarge, accept_upload, check_content_length

SUBMIT_ERRORS = {
    400: OpenApiResponse(
        SubmitErrorSerializer, description="The request cannot start a run; `detail` says why."
    ),
    409: OpenApiResponse(
        DuplicateUploadSerializer,
        description="This content was already ingested into the dataset; post again with force=true.",
    ),
    413: OpenApiResponse(
        SubmitErrorSerializer, description="The file is over the upload limit, named in `detail`."
    ),
}
STATE_CONFLICT = OpenApiResponse(
    SubmitErrorSerializer, description="The run is not in a state that allows this."
)


def submit_error_response(exc: SubmitError) -> Response:
    """The JSON answer for a request that could not start a run."""
    if isinstance(exc, UploadTooLarge):
        return Response({"detail": str(exc)}, status=status.HTTP_413_REQUEST_ENTITY_TOO_LARGE)
    if isinstance(exc, SubmitFailed):
        body = {"detail": str(exc), "source_file": exc.source_file.pk}
        if isinstance(exc.error, DuplicateUpload):
            return Response({**body, "previous_run": exc.error.previous.pk}, status=status.HTTP_409_CONFLICT)
        return Response(body, status=status.HTTP_400_BAD_REQUEST)
    return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)


@extend_schema_view(
    list=extend_schema(
        summary="List runs",
        description="Newest first; filter by dataset (id or name), status, mode and creation dates.",
    ),
    retrieve=extend_schema(
        summary="One run: status, stage, percent, counts, timings, warnings, error, report"
    ),
)
class PipelineRunViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Pipeline runs. Reading needs any role; uploading, retrying and cancelling need the operator role."""

    queryset = PipelineRun.objects.select_related("dataset", "started_by", "source_file")
    serializer_class = PipelineRunSerializer
    filterset_class = PipelineRunFilterSet
    ordering_fields = ("created", "started_at", "finished_at", "status", "rows_received")
    ordering = ("-created",)
    parser_classes = (MultiPartParser, FormParser, JSONParser)
    write_roles = (Role.OPERATOR,)
    # Rejected rows are raw, unmasked data.
    action_roles = {"rejected": RAW_DATA_ROLES}

    def initial(self, request, *args, **kwargs) -> None:
        # Before authentication: a session login's CSRF check would read (and spool) the whole body.
        if request.method == "POST" and getattr(self, "action", None) == "create":
            check_content_length(request.META)
        super().initial(request, *args, **kwargs)

    def handle_exception(self, exc):
        if isinstance(exc, SubmitError):
            return submit_error_response(exc)
        return super().handle_exception(exc)

    def get_serializer_class(self):
        if self.action == "create":
            return UploadSerializer
        if self.action in ("retrieve", "retry", "cancel"):
            return PipelineRunDetailSerializer
        if self.action == "rejected":
            return RejectedRowSerializer
        return PipelineRunSerializer

    def _run_response(self, run: PipelineRun, code: int) -> Response:
        run = self.get_queryset().get(pk=run.pk)
        data = PipelineRunDetailSerializer(run, context=self.get_serializer_context()).data
        return Response(data, status=code, headers={"Location": data["url"]})

    @extend_schema(
        summary="Upload a file and start a run",
        request={"multipart/form-data": UploadSerializer, "application/json": UploadSerializer},
        responses={202: PipelineRunDetailSerializer, **SUBMIT_ERRORS},
    )
    def create(self, request, *args, **kwargs) -> Response:
        serializer = UploadSerializer(data=request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        run = accept_upload(serializer.to_upload_request(), user=request.user)
        return self._run_response(run, status.HTTP_202_ACCEPTED)

    @extend_schema(
        summary="Retry a failed or cancelled run from its kept file",
        request=None,
        responses={201: PipelineRunDetailSerializer, 409: STATE_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None) -> Response:
        try:
            run = retry(self.get_object(), user=request.user)
        except SubmitError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        enqueue(run)
        return self._run_response(run, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Cancel a queued or running run",
        request=None,
        responses={200: PipelineRunDetailSerializer, 409: STATE_CONFLICT},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None) -> Response:
        try:
            run = cancel(self.get_object())
        except SubmitError as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return self._run_response(run, status.HTTP_200_OK)

    @extend_schema(
        summary="A preview of the run's rejected rows, with the reason for each",
        parameters=[
            OpenApiParameter(
                "limit",
                OpenApiTypes.INT,
                description=f"Rows to show (default {inspect.DEFAULT_REJECTED_LIMIT}, "
                f"at most {inspect.MAX_REJECTED_LIMIT}).",
            )
        ],
        responses={200: RejectedRowSerializer(many=True)},
        filters=False,
    )
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def rejected(self, request, pk=None) -> Response:
        run = get_object_or_404(PipelineRun.objects.select_related("dataset"), pk=pk)
        try:
            limit = inspect.clamp_limit(request.query_params.get("limit"))
        except ValueError:
            raise ValidationError({"limit": "Give the number of rows as a whole number."}) from None
        rows = inspect.rejected_rows(run, limit)
        return Response(RejectedRowSerializer(rows, many=True).data)
