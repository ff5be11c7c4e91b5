"""Compliance API routes, under /api/pii/."""
from django.urls import path
from rest_framework.routers import SimpleRouter

from compliance.api import views

router = SimpleRouter(trailing_slash=True)
router.register("pii/findings", views.PiiFindingViewSet, basename="pii-finding")
router.register("pii/policies", views.MaskingPolicyViewSet, basename="pii-policy")
router.register("pii/overrides", views.ColumnMaskingOverrideViewSet, basename="pii-override")
router.register("pii/recognizers", views.CustomRecognizerViewSet, basename="pii-recognizer")
router.register("pii/audit", views.PiiAuditEventViewSet, basename="pii-audit")

urlpatterns = [
    path("pii/decrypt/", views.DecryptView.as_view(), name="pii-decrypt"),
    *router.urls,
]
