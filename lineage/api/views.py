"""Lineage API views: receiving OpenLineage events like Marquez, graphs per dataset and run, stored events."""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.authentication import SessionAuthentication, TokenAuthentication
from rest_framework.exceptions import NotFound
from rest_framework.parsers import JSONParser
from rest_framework.response import Response
from rest_framework.views import APIView

from atlas.choices import Role
from lineage.api.authentication import BearerTokenAuthentication
from lineage.api.serializers import LineageEventSerializer, LineageNodeSerializer, ReceivedSerializer
from lineage.choices import Direction, EventOrigin
from lineage.filtersets import LineageEventFilterSet, LineageNodeFilterSet
from lineage.models import LineageEvent, LineageNode
from lineage.services.pages import node_lineage, resolve_node, run_lineage
from lineage.services.store import store_event
from lineage.services.validation import InvalidEvent

PRODUCERS = (Role.OPERATOR,)
GRAPH_PARAMETERS = [
    OpenApiParameter("depth", OpenApiTypes.INT, description="Steps up- and downstream (1–10, default 3)."),
    OpenApiParameter("direction", OpenApiTypes.STR, enum=Direction.values, description="Default: both."),
]


class LineageReceiveView(APIView):
    """``POST /api/v1/lineage``: an OpenLineage event from another producer (Airflow, dbt, Spark…).

    As Marquez does: 201 for a valid event, 400 with the reason for one that does
    not follow the spec. Authenticate with ``Authorization: Bearer <token>`` (what
    openlineage-python's ``api_key`` auth sends) or ``Token <token>``; posting
    needs the operator role.
    """

    authentication_classes = (BearerTokenAuthentication, TokenAuthentication, SessionAuthentication)
    parser_classes = (JSONParser,)
    write_roles = PRODUCERS

    @extend_schema(
        summary="Receive an OpenLineage event",
        request=OpenApiTypes.OBJECT,
        responses={
            201: ReceivedSerializer,
            400: OpenApiResponse(description="The reason the event is invalid."),
        },
    )
    def post(self, request) -> Response:
        try:
            event = store_event(request.data, origin=EventOrigin.RECEIVED)
        except InvalidEvent as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_400_BAD_REQUEST)
        return Response(
            {"id": event.pk, "kind": event.kind, "run_id": event.run_id}, status=status.HTTP_201_CREATED
        )


class DatasetLineageView(APIView):
    """``GET /api/lineage/datasets/{name}/``: a dataset's upstream and downstream to ``?depth=N``.

    ``name`` is a catalog dataset's name (its navigate table is the focus) or an
    OpenLineage dataset name such as ``atlas.navigate.orders``; ``?namespace=``
    narrows the latter.
    """

    @extend_schema(summary="A dataset's lineage graph", responses={200: OpenApiResponse(OpenApiTypes.OBJECT)},
                   parameters=[*GRAPH_PARAMETERS, OpenApiParameter("namespace", OpenApiTypes.STR)])
    def get(self, request, name: str) -> Response:
        node = resolve_node(name, request.query_params.get("namespace"))
        if node is None:
            raise NotFound(f"No lineage is recorded for a dataset called '{name}'.")
        view = node_lineage(node, request.query_params.get("depth"), request.query_params.get("direction"))
        return Response({
            "focus": LineageNodeSerializer(node).data,
            "depth": view.depth,
            "direction": view.direction,
            **view.graph.as_dict(),
        })


class RunLineageView(APIView):
    """``GET /api/lineage/runs/{id}/``: one run's events and the graph they describe.

    ``id`` is an Atlas run number or an OpenLineage runId.
    """

    @extend_schema(summary="A run's lineage: its events and their graph",
                   responses={200: OpenApiResponse(OpenApiTypes.OBJECT)})
    def get(self, request, run_id: str) -> Response:
        view = run_lineage(run_id)
        if view is None:
            raise NotFound(f"No lineage events are recorded for run '{run_id}'.")
        return Response({
            "run_id": view.run_id,
            "events": LineageEventSerializer(view.events, many=True).data,
            **view.graph.as_dict(),
        })


@extend_schema_view(list=extend_schema(summary="Stored OpenLineage events"),
                    retrieve=extend_schema(summary="One stored event"))
class LineageEventViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Events emitted by Atlas and received from other producers, newest first."""

    queryset = LineageEvent.objects.all()
    serializer_class = LineageEventSerializer
    filterset_class = LineageEventFilterSet
    ordering_fields = ("event_time", "received_at")


@extend_schema_view(list=extend_schema(summary="Datasets and jobs of the lineage graph"),
                    retrieve=extend_schema(summary="One node of the lineage graph"))
class LineageNodeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """The merged graph's nodes."""

    queryset = LineageNode.objects.all()
    serializer_class = LineageNodeSerializer
    filterset_class = LineageNodeFilterSet
    ordering_fields = ("name", "last_seen")
