"""Catalog pages: the Catalog (search, tags, dataset cards) and each dataset's page, with steward editing."""
from __future__ import annotations

import json
import logging

from django.apps import apps
from django.db import DatabaseError
from django.db.models import Prefetch
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.views import View

from atlas.choices import Role
from atlas.generic import ObjectDetailView, ObjectListView, is_htmx
from atlas.views import RoleRequiredMixin
from catalog.filtersets import DatasetFilterSet
from catalog.forms import ColumnEditForm, DatasetEditForm
from catalog.models import Column, Dataset, Tag
from catalog.services import editing
from catalog.services.quality import latest_quality, quality_history
from catalog.services.sample import Sample, navigate_sample
from catalog.services.schema import schema_document

logger = logging.getLogger(__name__)
STEWARDS = (Role.STEWARD,)
RECENT_RUNS = 20


def run_url(run) -> str | None:
    """The run's page, while the pipeline pages may not be installed."""
    try:
        return run.get_absolute_url()
    except NoReverseMatch:
        return None


class DatasetListView(ObjectListView):
    """The Catalog: search, filter by tag, owner, PII and quality; dataset cards refreshed by HTMX."""

    queryset = Dataset.objects.select_related("last_run").prefetch_related("tags", "system_tags", "owners")
    filterset_class = DatasetFilterSet
    template_name = "catalog/dataset_list.html"
    partial_template_name = "catalog/partials/dataset_cards.html"
    paginate_by = 24
    write_roles = STEWARDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["all_tags"] = Tag.objects.all()
        form = self.filterset.form if self.filterset is not None else None
        context["chosen_tags"] = (form.data.getlist("tag") if form is not None and form.is_bound else [])
        return context


class DatasetDetailView(ObjectDetailView):
    """One dataset: schema, sample rows, quality, PII, lineage, runs, drift timeline, steward editing."""

    queryset = Dataset.objects.select_related("last_run").prefetch_related(
        "tags", "system_tags", "owners",
        Prefetch("columns", queryset=Column.objects.prefetch_related("tags", "system_tags")),
    )
    template_name = "catalog/dataset_detail.html"
    write_roles = STEWARDS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        dataset = self.object
        context["columns"] = list(dataset.columns.all())
        context["versions"] = list(dataset.schema_versions.select_related("run").order_by("-version"))
        context["sample"] = self._sample(dataset)
        context["quality"] = latest_quality(dataset)
        context["quality_history"] = quality_history(dataset)
        runs = list(dataset.runs.order_by("-created")[:RECENT_RUNS])
        context["runs"] = [(run, run_url(run)) for run in runs]
        context["lineage"] = self._lineage(dataset)
        context["edit_form"] = DatasetEditForm.for_dataset(dataset)
        return context

    def _sample(self, dataset: Dataset) -> Sample | None:
        try:
            return navigate_sample(dataset)
        except DatabaseError:
            logger.exception("could not read the navigate sample of %s", dataset.name)
            return None

    def _lineage(self, dataset: Dataset):
        if not apps.is_installed("lineage"):
            return None
        from lineage.services.pages import dataset_lineage

        return dataset_lineage(dataset, depth=self.request.GET.get("depth"))


class DatasetSchemaView(RoleRequiredMixin, View):
    """The dataset's schema and its history as a JSON download."""

    def get(self, request, pk: int) -> HttpResponse:
        dataset = get_object_or_404(Dataset, pk=pk)
        response = HttpResponse(
            json.dumps(schema_document(dataset), indent=2, default=str), content_type="application/json"
        )
        response["Content-Disposition"] = f'attachment; filename="{dataset.table_name}.schema.json"'
        return response


class DatasetEditView(RoleRequiredMixin, View):
    """Stewards edit description, owners and tags in place (HTMX); others get 403."""

    required_roles = STEWARDS
    write_roles = STEWARDS

    def get(self, request, pk: int) -> HttpResponse:
        dataset = get_object_or_404(Dataset, pk=pk)
        return render(request, "catalog/partials/dataset_edit_form.html",
                      {"dataset": dataset, "form": DatasetEditForm.for_dataset(dataset)})

    def post(self, request, pk: int) -> HttpResponse:
        dataset = get_object_or_404(Dataset, pk=pk)
        form = DatasetEditForm.for_dataset(dataset, data=request.POST)
        if form.is_valid():
            try:
                editing.update_dataset(dataset, description=form.cleaned_data["description"],
                                       owners=form.cleaned_data["owners"], tags=form.cleaned_data["tags"])
            except editing.EditError as exc:
                form.add_error(None, str(exc))
        if form.errors:
            return render(request, "catalog/partials/dataset_edit_form.html",
                          {"dataset": dataset, "form": form}, status=200 if is_htmx(request) else 400)
        if not is_htmx(request):
            return redirect(dataset)
        dataset = Dataset.objects.prefetch_related("tags", "system_tags", "owners").get(pk=pk)
        return render(request, "catalog/partials/dataset_about.html", {"dataset": dataset, "can_write": True})


class ColumnEditView(RoleRequiredMixin, View):
    """Stewards edit a column's description and tags in its schema row (HTMX)."""

    required_roles = STEWARDS
    write_roles = STEWARDS

    def _column(self, pk: int, column_pk: int) -> Column:
        return get_object_or_404(Column.objects.select_related("dataset"), pk=column_pk, dataset_id=pk)

    def get(self, request, pk: int, column_pk: int) -> HttpResponse:
        column = self._column(pk, column_pk)
        if request.GET.get("cancel"):
            return render(request, "catalog/partials/column_row.html", {"column": column, "can_write": True})
        return render(request, "catalog/partials/column_edit_row.html",
                      {"column": column, "form": ColumnEditForm.for_column(column)})

    def post(self, request, pk: int, column_pk: int) -> HttpResponse:
        column = self._column(pk, column_pk)
        form = ColumnEditForm.for_column(column, data=request.POST)
        if form.is_valid():
            try:
                editing.update_column(column, description=form.cleaned_data["description"],
                                      tags=form.cleaned_data["tags"])
            except editing.EditError as exc:
                form.add_error(None, str(exc))
        if form.errors:
            return render(request, "catalog/partials/column_edit_row.html", {"column": column, "form": form},
                          status=200 if is_htmx(request) else 400)
        if not is_htmx(request):
            return redirect(column.dataset)
        return render(request, "catalog/partials/column_row.html", {"column": column, "can_write": True})


class AcknowledgeBreakingChangeView(RoleRequiredMixin, View):
    """A steward clears the breaking-change flag once downstream users are dealt with."""

    required_roles = STEWARDS
    write_roles = STEWARDS

    def post(self, request, pk: int) -> HttpResponse:
        dataset = get_object_or_404(Dataset, pk=pk)
        try:
            editing.acknowledge_breaking_change(dataset)
        except editing.EditError as exc:
            return HttpResponse(str(exc), status=409)
        if is_htmx(request):
            response = HttpResponse("")
            response["HX-Redirect"] = reverse("catalog:dataset_detail", args=[pk])
            return response
        return redirect(dataset)
