"""Project-wide pages: the Dashboard, and the base classes app pages build on."""
from __future__ import annotations

from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.views.generic import ListView, TemplateView

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


class HtmxPartialMixin:
    """Renders ``partial_template_name`` alone when HTMX asks (``HX-Request``), the full page otherwise.

    One template holds the part that refreshes (a table, the stat cards); the
    full page includes it, so both always agree.
    """

    partial_template_name: str | None = None

    def get_template_names(self) -> list[str]:
        if self.partial_template_name and getattr(self.request, "htmx", False):
            return [self.partial_template_name]
        return super().get_template_names()


class ObjectListView(RoleRequiredMixin, HtmxPartialMixin, ListView):
    """A list page in four lines: ``queryset``, ``filterset_class``, ``template_name``, ``partial_template_name``.

    The same django-filter ``FilterSet`` the API uses narrows the rows from the
    query string; the page gets ``filter`` (its form) and ``page_obj``; an HTMX
    request (filtering, paging) gets only the partial back.
    """

    filterset_class = None
    paginate_by = 50

    def get_queryset(self):
        queryset = super().get_queryset()
        if self.filterset_class is None:
            self.filterset = None
            return queryset
        self.filterset = self.filterset_class(self.request.GET or None, queryset=queryset, request=self.request)
        return self.filterset.qs

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop("page", None)
        context["query_without_page"] = query.urlencode()
        return context


class DashboardView(RoleRequiredMixin, HtmxPartialMixin, TemplateView):
    """The landing page: stat cards each app registers, refreshed in place by HTMX."""

    template_name = "atlas/dashboard.html"
    partial_template_name = "atlas/partials/dashboard_cards.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["cards"] = dashboard.cards(self.request)
        context["panels"] = dashboard.panels(self.request)
        return context
