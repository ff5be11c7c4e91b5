"""Project-wide pages: the Dashboard, and the base classes app pages build on."""
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
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
            raise PermissionDenied("Your role does not allow this page. Ask an Atlas administrator for access.")
        return super().dispatch(request, *args, **kwargs)


class DashboardView(RoleRequiredMixin, TemplateView):
    template_name = "atlas/dashboard.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = dashboard.cards(self.request)
        context["panels"] = dashboard.panels(self.request)
        return context
