"""Lineage pages: the index of datasets and jobs, a graph per node, a graph per run."""
from __future__ import annotations

import json

from django.http import Http404
from django.views.generic import TemplateView

from atlas.generic import HtmxTemplateMixin, ObjectDetailView, ObjectListView
from atlas.views import RoleRequiredMixin
from lineage.choices import Direction
from lineage.filtersets import LineageNodeFilterSet
from lineage.models import LineageEvent, LineageNode
from lineage.services.graph import MAX_DEPTH
from lineage.services.pages import node_lineage, run_lineage

RECENT_EVENTS = 15


class LineageIndexView(ObjectListView):
    """Every dataset and job in the graph, searchable; the latest events below."""

    queryset = LineageNode.objects.select_related("dataset").order_by("kind", "layer", "name")
    filterset_class = LineageNodeFilterSet
    template_name = "lineage/index.html"
    partial_template_name = "lineage/partials/node_table.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["recent_events"] = LineageEvent.objects.order_by("-received_at")[:RECENT_EVENTS]
        return context


class NodeLineageView(ObjectDetailView):
    """A dataset's or job's graph up- and downstream to ``?depth=`` (the graph alone for HTMX)."""

    model = LineageNode
    template_name = "lineage/node.html"
    partial_template_name = "lineage/partials/graph.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["lineage"] = node_lineage(self.object, self.request.GET.get("depth"),
                                          self.request.GET.get("direction"))
        context["depths"] = range(1, MAX_DEPTH + 1)
        context["directions"] = Direction.choices
        context["events"] = LineageEvent.objects.filter(
            job_namespace=self.object.namespace, job_name=self.object.name
        ).order_by("-event_time")[:RECENT_EVENTS] if self.object.kind == "job" else []
        return context


class RunLineageView(RoleRequiredMixin, HtmxTemplateMixin, TemplateView):
    """One run's events and their graph; the run is named by its Atlas run number or its OpenLineage runId."""

    template_name = "lineage/run.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        lineage = run_lineage(self.kwargs["run_id"])
        if lineage is None:
            raise Http404("No lineage events are recorded for this run.")
        context["lineage"] = lineage
        context["reference"] = self.kwargs["run_id"]
        context["documents"] = [(e, json.dumps(e.payload, indent=2, sort_keys=True)) for e in lineage.events]
        return context
