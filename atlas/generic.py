"""Generic page views every Atlas app builds on, in NetBox's manner (``netbox/views/generic``).

A list page is four lines::

    class RunListView(ObjectListView):
        queryset = PipelineRun.objects.select_related("dataset")
        filterset_class = PipelineRunFilterSet
        template_name = "pipeline/run_list.html"
        partial_template_name = "pipeline/partials/run_table.html"

The base does the rest: the role check, filtering with the same django-filter
``FilterSet`` the API uses, paging (``?page=``, ``?per_page=``), and the HTMX
partial refresh: an HTMX request (a filter change, a page link, a poll) gets
only the partial back, and the full page includes the same partial, so both
always agree. ``auto_refresh_seconds`` with ``needs_refresh()`` lets the partial
poll itself while something on it is still changing (a run that is running).
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from django.utils.cache import patch_vary_headers
from django.views.generic import DetailView, ListView

from atlas.roles import has_role
from atlas.views import RoleRequiredMixin

MAX_PER_PAGE = 500


def is_htmx(request) -> bool:
    """An HTMX request that wants a fragment (a history restore wants the whole page)."""
    htmx = getattr(request, "htmx", None)
    return bool(htmx) and not htmx.history_restore_request


class HtmxTemplateMixin:
    """``partial_template_name`` for HTMX requests, else ``template_name``; responses vary on HX-Request."""

    partial_template_name: str | None = None

    def get_template_names(self) -> list[str]:
        if self.partial_template_name and is_htmx(self.request):
            return [self.partial_template_name]
        return super().get_template_names()

    def render_to_response(self, context: dict[str, Any], **kwargs):
        response = super().render_to_response(context, **kwargs)
        # The same URL answers a fragment or a page: caches must keep them apart.
        patch_vary_headers(response, ("HX-Request",))
        return response


class RoleContextMixin:
    """Puts ``can_write`` (the user holds one of the view's ``write_roles``) in the context."""

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["can_write"] = has_role(self.request.user, getattr(self, "write_roles", ()))
        return context


class ObjectListView(RoleRequiredMixin, RoleContextMixin, HtmxTemplateMixin, ListView):
    """A filtered, paged list of objects, refreshed in place by HTMX.

    Set ``queryset``, ``filterset_class``, ``template_name`` and
    ``partial_template_name``. The context has ``filter`` (the bound filterset,
    whose ``form`` the page renders), ``page_obj``, ``object_list``,
    ``query_without_page`` (for paging links), ``auto_refresh`` (seconds, or 0)
    and ``can_write``.
    """

    filterset_class = None
    paginate_by = 50
    auto_refresh_seconds: int = 0

    def get_paginate_by(self, queryset) -> int:
        try:
            wanted = int(self.request.GET.get("per_page", ""))
        except ValueError:
            return self.paginate_by
        return max(1, min(wanted, MAX_PER_PAGE))

    def get_queryset(self) -> QuerySet:
        queryset = super().get_queryset()
        if self.filterset_class is None:
            self.filterset = None
            return queryset
        self.filterset = self.filterset_class(
            self.request.GET or None, queryset=queryset, request=self.request
        )
        # An invalid filter (a malformed date) shows its error on the form and narrows nothing.
        return self.filterset.qs if self.filterset.is_bound and self.filterset.is_valid() else queryset

    def paginate_queryset(self, queryset, page_size):
        # A page number past the end (the list shrank under a filter) shows the last page, not a 404.
        page = self.request.GET.get(self.page_kwarg)
        if page and page != "last":
            paginator = self.get_paginator(queryset, page_size)
            try:
                if int(page) > paginator.num_pages:
                    self.kwargs[self.page_kwarg] = "last"
            except ValueError:
                self.kwargs[self.page_kwarg] = 1
        return super().paginate_queryset(queryset, page_size)

    def needs_refresh(self, objects) -> bool:
        """Whether the shown objects still change; the partial then polls every ``auto_refresh_seconds``."""
        return False

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["filter"] = self.filterset
        query = self.request.GET.copy()
        query.pop(self.page_kwarg, None)
        context["query_without_page"] = query.urlencode()
        refresh = self.auto_refresh_seconds and self.needs_refresh(context["object_list"])
        context["auto_refresh"] = self.auto_refresh_seconds if refresh else 0
        return context


class ObjectDetailView(RoleRequiredMixin, RoleContextMixin, HtmxTemplateMixin, DetailView):
    """One object's page; with ``partial_template_name`` an HTMX request gets that fragment of it."""

    def get_queryset(self) -> QuerySet:
        if self.queryset is None and self.model is None:
            raise ImproperlyConfigured(f"{type(self).__name__} needs a queryset or a model.")
        return super().get_queryset()
