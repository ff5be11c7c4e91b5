"""The compliance app: PII detection, the PII inventory and review, masking policies."""
from __future__ import annotations

from django.apps import AppConfig


def pii_cards(request):
    """The Dashboard's "PII findings" card."""
    from django.urls import reverse

    from atlas.dashboard import StatCard
    from compliance.choices import FindingStatus
    from compliance.services import overview

    figures = overview.totals(overview.active_findings())
    alerts = len(overview.alerts())
    to_review = figures["suggested"]
    hint = f"{figures['columns']} columns in {figures['datasets']} datasets · {to_review} to review"
    if alerts:
        hint += f" · {alerts} alert{'s' if alerts != 1 else ''}"
    url = reverse("compliance:pii")
    yield StatCard("PII findings", f"{figures['findings']:,}", url=f"{url}?status={FindingStatus.SUGGESTED}"
                   if to_review else url, hint=hint, tone="bad" if alerts else ("warn" if to_review else ""))


def pii_alert_panel(request):
    """The Dashboard's PII alert panel, shown only while there are alerts."""
    from atlas.dashboard import Panel
    from compliance.services import overview

    alerts = overview.alerts(limit=10)
    if alerts:
        yield Panel("PII alerts", "compliance/partials/alerts.html", {"alerts": alerts})


class ComplianceConfig(AppConfig):
    """Registers the Dashboard card and alert panel, and warms the detector in Celery workers."""

    name = "compliance"
    verbose_name = "Compliance"

    def ready(self) -> None:
        from celery.signals import worker_process_init

        from atlas import dashboard
        from compliance.services.engine import warm_up_worker

        dashboard.register_cards(30, pii_cards)
        dashboard.register_panel(30, pii_alert_panel)
        worker_process_init.connect(warm_up_worker, dispatch_uid="compliance.warm_up_detector")
