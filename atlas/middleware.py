"""Request middleware shared by every Atlas app."""
from django.contrib.auth.middleware import LoginRequiredMiddleware

# Paths that authenticate on their own terms: the API (token or session,
# answered with 401/403 by DRF rather than a redirect), health probes, metrics
# (bearer token), and the login page itself.
OPEN_PREFIXES = ("/api/", "/health/", "/metrics", "/static/", "/accounts/login/", "/admin/login/")
# Under /api/ but a page for people: an anonymous visitor is sent to sign in.
PAGE_PREFIXES = ("/api/docs/",)


class AtlasLoginRequiredMiddleware(LoginRequiredMiddleware):
    """Django's login-required middleware, minus the paths that authenticate themselves."""

    def process_view(self, request, view_func, view_args, view_kwargs):
        path = request.path_info
        if path.startswith(PAGE_PREFIXES):
            # DRF marks its views login_not_required; this page asks for a sign-in all the same.
            return None if request.user.is_authenticated else self.handle_no_permission(request, view_func)
        if path.startswith(OPEN_PREFIXES):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
