"""Project-wide pages: the Dashboard, and the role check every page builds on.

List and detail pages build on ``atlas.generic`` (``ObjectListView``, ``ObjectDetailView``).
"""
from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.utils.cache import patch_vary_headers
from django.views.generic import TemplateView

from atlas import dashboard
from atlas.roles import has_role


class RoleRequiredMixin(AccessMixin):
    """Page access by role: ``required_roles`` (None = any role) for GET, ``write_roles`` for POST."""

    required_roles: tuple[str, ...] | None = None
    write_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        roles = self.required_roles if request.method in ("GET", "HEAD", "OPTIONS") else self.write_roles
        if not has_role(request.user, roles):
            raise PermissionDenied(
                "Your role does not allow this page. Ask an Atlas administrator for access."
            )
        return super().dispatch(request, *args, **kwargs)


class DashboardView(RoleRequiredMixin, TemplateView):
    """The landing page: the stat cards and panels each app registers; HTMX refreshes the cards."""

    template_name = "atlas/dashboard.html"
    partial_template_name = "atlas/partials/dashboard_cards.html"

    def get_template_names(self) -> list[str]:
        from atlas.generic import is_htmx  # atlas.generic builds on this module

        return [self.partial_template_name if is_htmx(self.request) else self.template_name]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = dashboard.cards(self.request)
        context["panels"] = dashboard.panels(self.request)
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        patch_vary_headers(response, ("HX-Request",))
        return response
