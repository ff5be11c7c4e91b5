"""Lineage API routes.

``POST /api/v1/lineage`` (Marquez's path, where OpenLineage clients send events),
``GET /api/lineage/datasets/{name}/``, ``GET /api/lineage/runs/{id}/``, and the
stored events and nodes under ``/api/lineage/events/`` and ``/api/lineage/nodes/``.
"""
from django.urls import path, re_path
from rest_framework.routers import SimpleRouter

from lineage.api.views import (
    DatasetLineageView,
    LineageEventViewSet,
    LineageNodeViewSet,
    LineageReceiveView,
    RunLineageView,
)

router = SimpleRouter(trailing_slash=True)
router.register("lineage/events", LineageEventViewSet, basename="lineage-event")
router.register("lineage/nodes", LineageNodeViewSet, basename="lineage-node")
urlpatterns = [
    re_path(r"^v1/lineage/?$", LineageReceiveView.as_view(), name="lineage-receive"),
    path("lineage/datasets/<path:name>/", DatasetLineageView.as_view(), name="lineage-dataset"),
    path("lineage/runs/<str:run_id>/", RunLineageView.as_view(), name="lineage-run"),
    *router.urls,
]
