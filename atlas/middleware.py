"""Request middleware shared by every Atlas app."""
from django.contrib.auth.middleware import LoginRequiredMiddleware

# Paths that authenticate on their own terms: the API (token or session,
# answered with 401/403 by DRF rather than a redirect), health probes, metrics
# (bearer token), and the login page itself.
OPEN_PREFIXES = ("/api/", "/health/", "/metrics", "/static/", "/accounts/login/", "/admin/login/")


class AtlasLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's login-required middleware, minus the paths that authenticate themselves."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.path_info.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
