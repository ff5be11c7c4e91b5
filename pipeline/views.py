"""Pipeline pages: Upload, the Runs list, a Run's page and its live progress."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.views import View
from django.views.generic import TemplateView

from atlas.choices import Role
from atlas.generic import ObjectDetailView, ObjectListView, is_htmx
from atlas.roles import RAW_DATA_ROLES, has_role
from atlas.views import RoleRequiredMixin
from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.filtersets import PipelineRunFilterSet
from pipeline.forms import UploadForm
from pipeline.models import PipelineRun
from pipeline.report import build_report, ordered
from pipeline.services import inspect
from pipeline.services.submit import DuplicateUpload, SubmitError, cancel, enqueue, retry
from pipeline.services.uploads import (
    SubmitFailed,
    UploadTooLarge,
    accept_upload,
    check_content_length,
    format_megabytes,
    upload_limit,
)

OPERATORS = (Role.OPERATOR,)
RUNS = PipelineRun.objects.select_related("dataset", "started_by", "source_file")
REJECTED_PREVIEW_ROWS = 20


class RunListView(ObjectListView):
    """Runs, newest first, filtered like ``/api/runs/``; the table refreshes itself while a run is going."""

    queryset = RUNS
    filterset_class = PipelineRunFilterSet
    template_name = "pipeline/run_list.html"
    partial_template_name = "pipeline/partials/run_table.html"
    write_roles = OPERATORS
    auto_refresh_seconds = 2

    def needs_refresh(self, objects) -> bool:
        return any(not run.finished for run in objects)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["dataset_names"] = Dataset.objects.values_list("name", flat=True)
        return context


class RunDetailView(ObjectDetailView):
    """A run: its stages with timings, counts, warnings, error, rejected rows and layer tables."""

    queryset = RUNS.select_related("retry_of")
    template_name = "pipeline/run_detail.html"
    context_object_name = "run"
    write_roles = OPERATORS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        run = self.object
        context.update(
            stages=inspect.stage_views(run),
            layers=inspect.layer_tables(run),
            # Rejected rows are raw, unmasked data: viewers see how many, not what.
            may_see_raw=has_role(self.request.user, RAW_DATA_ROLES),
            rejected=(
                inspect.rejected_rows(run, REJECTED_PREVIEW_ROWS)
                if run.rows_rejected and has_role(self.request.user, RAW_DATA_ROLES) else []
            ),
            rejected_limit=REJECTED_PREVIEW_ROWS,
            retries=run.retries.order_by("-created"),
        )
        return context


class RunProgressView(ObjectDetailView):
    """The live progress fragment: polled every second until the run finishes, then the result.

    With ``?reload=1`` (the run's own page) a finished run makes HTMX reload the
    page, so its stages, counts and rejected rows appear.
    """

    queryset = RUNS
    template_name = "pipeline/partials/run_progress.html"
    context_object_name = "run"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["reload"] = self.request.GET.get("reload") == "1"
        return context

    def render_to_response(self, context, **kwargs):
        response = super().render_to_response(context, **kwargs)
        if context["reload"] and self.object.finished and is_htmx(self.request):
            response["HX-Refresh"] = "true"
        return response


class RunReportView(RoleRequiredMixin, View):
    """The run's JSON report (DESIGN.md's contract) as a download."""

    def get(self, request, pk: int) -> HttpResponse:
        run = get_object_or_404(RUNS, pk=pk)
        report = ordered(run.report or build_report(run))
        response = HttpResponse(json.dumps(report, indent=2, default=str), content_type="application/json")
        response["Content-Disposition"] = f'attachment; filename="atlas-run-{run.pk}.json"'
        return response


class RunActionView(RoleRequiredMixin, View):
    """A button on a run's page that calls a service and comes back with a message."""

    write_roles = OPERATORS
    http_method_names = ["post"]

    def act(self, request, run: PipelineRun) -> PipelineRun:
        raise NotImplementedError

    def post(self, request, pk: int) -> HttpResponseRedirect:
        run = get_object_or_404(RUNS, pk=pk)
        try:
            result = self.act(request, run)
        except SubmitError as exc:
            messages.error(request, str(exc))
            return redirect(run)
        return redirect(result)


class RunRetryView(RunActionView):
    """Start a new run of a failed or cancelled run's kept file."""

    def act(self, request, run: PipelineRun) -> PipelineRun:
        new = enqueue(retry(run, user=request.user))
        messages.success(request, f"Run {new.pk} retries run {run.pk}.")
        return new


class RunCancelView(RunActionView):
    """Stop a queued run, or ask a running one to stop."""

    def act(self, request, run: PipelineRun) -> PipelineRun:
        run = cancel(run)
        text = (
            "cancelled" if run.status == RunStatus.CANCELLED else "asked to stop; it stops at its next step"
        )
        messages.success(request, f"Run {run.pk} {text}.")
        return run


class UploadView(RoleRequiredMixin, TemplateView):
    """Drop a file, name the dataset, watch the run go.

    The form posts with HTMX (``hx-encoding="multipart/form-data"``) and gets a
    fragment back: the live progress, or what went wrong. Without JavaScript it
    is a plain form: success redirects to the run's page.
    """

    template_name = "pipeline/upload.html"
    required_roles = OPERATORS
    write_roles = OPERATORS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.setdefault("form", UploadForm(initial={"dataset": self.request.GET.get("dataset", "")}))
        context["dataset_names"] = Dataset.objects.values_list("name", flat=True)
        context["limit_bytes"] = upload_limit()
        context["limit_text"] = format_megabytes(upload_limit())
        return context

    def post(self, request, *args, **kwargs) -> HttpResponse:
        try:
            check_content_length(request.META)
        except UploadTooLarge as exc:
            return self._problem(UploadForm(), str(exc), status=413)
        form = UploadForm(request.POST, request.FILES)
        if not form.is_valid():
            return self._problem(form, "Check the fields marked below.", status=400)
        try:
            run = accept_upload(form.to_upload_request(), user=request.user)
        except SubmitFailed as exc:
            duplicate = isinstance(exc.error, DuplicateUpload)
            return self._problem(
                form,
                str(exc),
                status=409 if duplicate else 400,
                retry_fields=form.kept_file_fields(exc.source_file.pk, force=duplicate),
                kept=exc.source_file,
            )
        except UploadTooLarge as exc:
            return self._problem(form, str(exc), status=413)
        except SubmitError as exc:
            return self._problem(form, str(exc), status=400)
        run.refresh_from_db()  # an eager (inline) run has already finished
        if is_htmx(request):
            response = render(request, "pipeline/partials/run_progress.html", {"run": run, "reload": False})
            patch_vary_headers(response, ("HX-Request",))
            return response
        messages.success(request, f"Run {run.pk} started.")
        return redirect(run)

    def _problem(
        self, form: UploadForm, message: str, *, status: int, retry_fields: dict | None = None, kept=None
    ) -> HttpResponse:
        problem = {
            "message": message,
            "retry_fields": retry_fields,
            "kept": kept,
            "form": form,
            "can_write": has_role(self.request.user, OPERATORS),
        }
        if is_htmx(self.request):
            response = render(self.request, "pipeline/partials/upload_problem.html", problem, status=status)
        else:
            response = self.render_to_response(
                self.get_context_data(form=form, problem=problem), status=status
            )
        patch_vary_headers(response, ("HX-Request",))
        return response


def index(request) -> HttpResponseRedirect:
    """``/pipeline/`` is the runs list."""
    return redirect("pipeline:run_list")
