"""/metrics for Prometheus: a bearer token (ATLAS_METRICS_TOKEN) or a signed-in user."""
import hmac

from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.http import HttpResponse
from django_prometheus.exports import ExportToDjangoView

from atlas.roles import has_role


def _token_ok(request) -> bool:
    token = settings.ATLAS_METRICS_TOKEN
    header = request.headers.get("Authorization", "")
    return bool(token) and header.startswith("Bearer ") and hmac.compare_digest(header[7:], token)


@login_not_required
def metrics(request):
    if _token_ok(request) or has_role(request.user):
        return ExportToDjangoView(request)
    response = HttpResponse("Metrics need a bearer token (ATLAS_METRICS_TOKEN) or a signed-in user.\n",
                            status=401, content_type="text/plain")
    response["WWW-Authenticate"] = 'Bearer realm="atlas-metrics"'
    return response
