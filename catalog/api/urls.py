"""Catalog API routes: ``/api/datasets/``, ``/api/columns/``, ``/api/tags/`` (URL names ``api:catalog-…``).

``/api/datasets/{id}/quality-rules/`` belongs to the quality app and is not defined here.
"""
from rest_framework.routers import SimpleRouter

from catalog.api.views import ColumnViewSet, DatasetViewSet, TagViewSet

router = SimpleRouter(trailing_slash=True)
router.register("datasets", DatasetViewSet, basename="catalog-dataset")
router.register("columns", ColumnViewSet, basename="catalog-column")
router.register("tags", TagViewSet, basename="catalog-tag")
urlpatterns = router.urls
