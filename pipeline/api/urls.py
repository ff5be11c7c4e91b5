"""Pipeline API routes: ``/api/runs/`` (URL names ``api:pipeline-run-…``)."""

from rest_framework.routers import SimpleRouter

from pipeline.api.views import PipelineRunViewSet

router = SimpleRouter(trailing_slash=True)
router.register("runs", PipelineRunViewSet, basename="pipeline-run")
urlpatterns = router.urls
