"""Quality pages: the report list, one report, and its JSON download."""
from __future__ import annotations

import json

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.views import View

from atlas.choices import Role
from atlas.generic import ObjectDetailView, ObjectListView
from atlas.views import RoleRequiredMixin
from quality.definitions import GATES, OVERALL
from quality.filtersets import QualityReportFilterSet
from quality.models import QualityReport
from quality.presentation import gate_tone, score_tone
from quality.services.report_page import report_download, report_page


class ReportListView(ObjectListView):
    """Every quality report, newest first, filtered by dataset, dates, score range, PII and gate."""

    queryset = QualityReport.objects.select_related("dataset", "run")
    filterset_class = QualityReportFilterSet
    template_name = "quality/report_list.html"
    partial_template_name = "quality/partials/report_table.html"
    write_roles = (Role.STEWARD,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["rows"] = [
            (report, score_tone(report.overall_score), gate_tone(report.gate))
            for report in context["object_list"]
        ]
        return context


class ReportDetailView(ObjectDetailView):
    """One report: the six dimensions with their definitions, columns, checks, what got worse, the trend."""

    queryset = QualityReport.objects.select_related("dataset", "run")
    template_name = "quality/report_detail.html"
    write_roles = (Role.STEWARD,)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(report_page(self.object), overall_definition=OVERALL, gates_definition=GATES)
        return context


class ReportDownloadView(RoleRequiredMixin, View):
    """The report as a JSON file."""

    def get(self, request, pk: int) -> HttpResponse:
        report = get_object_or_404(QualityReport.objects.select_related("dataset"), pk=pk)
        response = HttpResponse(json.dumps(report_download(report), indent=2, default=str),
                                content_type="application/json")
        filename = f"quality-{report.dataset.table_name}-run{report.run_id}-report{report.pk}.json"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        return response
