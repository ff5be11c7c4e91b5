"""A URLconf for atlas's own tests: Atlas's URLs plus small probe APIs the role tests call.

Atlas has no models of its own, so the generic API test base is exercised on
Django's ``Group`` through a plain viewset, the way an app would use it.
"""
from django.contrib.auth.models import Group
from django.urls import include, path
from rest_framework import serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter
from rest_framework.views import APIView

from atlas.choices import Role
from atlas.urls import urlpatterns as atlas_urlpatterns


class ProbeView(APIView):
    """Answers 200 to a read and 201 to a write, once RolePermission lets the caller in."""

    def get(self, request):
        return Response({"ok": True})

    def post(self, request):
        return Response({"ok": True}, status=201)


class OperatorProbe(ProbeView):
    write_roles = (Role.OPERATOR,)


class StewardProbe(ProbeView):
    write_roles = (Role.STEWARD,)


class PrivacyProbe(ProbeView):
    """Like GDPR requests: only privacy officers read or write."""

    read_roles = (Role.PRIVACY_OFFICER,)
    write_roles = (Role.PRIVACY_OFFICER,)


class AdminOnlyProbe(ProbeView):
    write_roles = ()


class GroupSerializer(serializers.ModelSerializer):
    class Meta:
        model = Group
        fields = ("id", "name")


class GroupViewSet(viewsets.ModelViewSet):
    """A CRUD viewset stewards may write, with a ``retry`` action only operators may call."""

    queryset = Group.objects.order_by("pk")
    serializer_class = GroupSerializer
    write_roles = (Role.STEWARD,)
    action_roles = {"retry": (Role.OPERATOR,)}

    @action(detail=True, methods=["post"])
    def retry(self, request, pk=None):
        return Response({"retried": self.get_object().pk})


router = SimpleRouter()
router.register("test/groups", GroupViewSet, basename="test-group")

probe_patterns = [
    path("test/operator/", OperatorProbe.as_view(), name="operator"),
    path("test/steward/", StewardProbe.as_view(), name="steward"),
    path("test/privacy/", PrivacyProbe.as_view(), name="privacy"),
    path("test/admin-only/", AdminOnlyProbe.as_view(), name="admin-only"),
    *router.urls,
]

urlpatterns = [path("api/", include((probe_patterns, "atlas_test"))), *atlas_urlpatterns]
