"""Quality API routes: ``/api/quality/reports/`` (URL names ``api:quality-report-…``) and
``/api/datasets/{id}/quality-rules/`` (``api:quality-rules``), a plain path beside the catalog's router."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from quality.api.views import QualityReportViewSet, QualityRulesView

router = SimpleRouter(trailing_slash=True)
router.register("quality/reports", QualityReportViewSet, basename="quality-report")
urlpatterns = [
    path("datasets/<int:pk>/quality-rules/", QualityRulesView.as_view(), name="quality-rules"),
    *router.urls,
]
