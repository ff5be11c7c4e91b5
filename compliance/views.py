"""Compliance pages: the PII page (inventory, figures, alerts, bulk review), its CSV export, decrypting."""
from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import render
from django.views import View

from atlas.choices import Role
from atlas.generic import ObjectListView, is_htmx
from atlas.roles import has_role
from atlas.views import RoleRequiredMixin
from compliance.choices import ReviewDecision
from compliance.filtersets import PiiFindingFilterSet
from compliance.models import MaskingPolicy, PiiFinding
from compliance.services import export, overview, policies
from compliance.services.crypto import DecryptionError
from compliance.services.review import ReviewError, review_ids

REVIEWERS = (Role.STEWARD, Role.PRIVACY_OFFICER)
PRIVACY = (Role.PRIVACY_OFFICER,)
DONE = {ReviewDecision.CONFIRM: "confirmed", ReviewDecision.REJECT: "rejected",
        ReviewDecision.RESET: "sent back to suggested"}
FINDINGS = PiiFinding.objects.select_related("dataset", "column", "reviewer")


class BulkReviewForm(forms.Form):
    """The selected findings and what to do with them."""

    ids = forms.TypedMultipleChoiceField(coerce=int, choices=(), required=True,
                                         error_messages={"required": "Select at least one finding."})
    decision = forms.ChoiceField(choices=ReviewDecision.choices)
    note = forms.CharField(max_length=500, required=False)

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        # Any id is acceptable here; the review service says which do not exist.
        self.fields["ids"].valid_value = lambda value: str(value).isdigit()


class DecryptForm(forms.Form):
    value = forms.CharField(max_length=10_000, widget=forms.Textarea(attrs={"rows": 2}))
    reason = forms.CharField(max_length=300, required=False)


class PiiFindingListView(ObjectListView):
    """The PII page: figures over the filtered findings, the distribution chart, alerts and the inventory.

    POST applies a bulk decision (stewards, privacy officers) and answers like GET: an HTMX request gets the
    refreshed table, a plain form post is redirected back to the same filters.
    """

    queryset = FINDINGS
    filterset_class = PiiFindingFilterSet
    template_name = "compliance/pii.html"
    partial_template_name = "compliance/partials/finding_table.html"
    write_roles = REVIEWERS

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        filtered = self.object_list
        alerts = overview.alerts()
        context.update(
            totals=overview.totals(filtered),
            distribution=overview.distribution(filtered.filter(current=True)),
            alerts=alerts,
            alert_panel={"alerts": alerts},
            policies=MaskingPolicy.objects.all(),
            decisions=ReviewDecision.choices,
            can_decrypt=has_role(self.request.user, PRIVACY),
            decrypt_form=DecryptForm(),
            notice=getattr(self, "notice", ""),
        )
        return context

    def post(self, request, *args, **kwargs):
        form = BulkReviewForm(request.POST)
        if not form.is_valid():
            self.notice = " ".join(e for errors in form.errors.values() for e in errors)
        else:
            try:
                changed = review_ids(form.cleaned_data["ids"], form.cleaned_data["decision"], request.user,
                                     form.cleaned_data["note"])
                done = DONE[form.cleaned_data["decision"]]
                self.notice = f"{len(changed)} finding{'s' if len(changed) != 1 else ''} {done}."
            except ReviewError as exc:
                self.notice = str(exc)
        if not is_htmx(request):
            messages.info(request, self.notice)
            return HttpResponseRedirect(request.get_full_path())
        return self.get(request, *args, **kwargs)


class PiiFindingExportView(RoleRequiredMixin, View):
    """The filtered inventory as a CSV download."""

    def get(self, request):
        filterset = PiiFindingFilterSet(request.GET or None, queryset=FINDINGS, request=request)
        findings = filterset.qs if filterset.is_bound and filterset.is_valid() else FINDINGS
        response = StreamingHttpResponse(export.rows(findings), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="pii-findings.csv"'
        return response


class DecryptView(RoleRequiredMixin, View):
    """Privacy officers paste an encrypted navigate value and read it in clear; every attempt is audited."""

    required_roles = PRIVACY
    write_roles = PRIVACY
    template_name = "compliance/partials/decrypt.html"

    def get(self, request):
        return render(request, self.template_name, {"decrypt_form": DecryptForm()})

    def post(self, request):
        form = DecryptForm(request.POST)
        context = {"decrypt_form": form}
        if form.is_valid():
            try:
                context["decrypted"] = policies.decrypt_value(form.cleaned_data["value"], request.user,
                                                              reason=form.cleaned_data["reason"])
            except DecryptionError as exc:
                context["decrypt_error"] = str(exc)
        return render(request, self.template_name, context)
