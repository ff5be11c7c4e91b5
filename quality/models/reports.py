"""Quality reports: one per run (and per re-check), with the check results behind the gate."""
from __future__ import annotations

from typing import Any

from django.db import models
from django.urls import reverse

from quality.choices import CheckKind, CheckOutcome, GateOutcome, ReportSource
from quality.engine import DIMENSIONS


def _score(dimension: str) -> models.FloatField:
    return models.FloatField(null=True, blank=True, db_index=True, help_text=f"The {dimension} score, 0..1.")


class QualityReport(models.Model):
    """The six dimensions, the checks and the gate's decision for one run of one dataset.

    ``dimensions`` keeps the full break-down (per-column and per-rule scores,
    the counts behind them); the ``*_score`` fields repeat the headline
    numbers so lists can be filtered and sorted in the database.
    """

    dataset = models.ForeignKey("catalog.Dataset", on_delete=models.CASCADE, related_name="quality_reports")
    run = models.ForeignKey("pipeline.PipelineRun", on_delete=models.CASCADE, related_name="quality_reports")
    source = models.CharField(max_length=10, choices=ReportSource.choices, default=ReportSource.PIPELINE)
    overall_score = models.FloatField(db_index=True, help_text="Mean of the six dimension scores.")
    completeness_score = _score("completeness")
    uniqueness_score = _score("uniqueness")
    timeliness_score = _score("timeliness")
    validity_score = _score("validity")
    accuracy_score = _score("accuracy")
    consistency_score = _score("consistency")
    passed = models.BooleanField(help_text="Every dimension reached its threshold and no check failed.")
    gate = models.CharField(max_length=10, choices=GateOutcome.choices, default=GateOutcome.PASSED)
    gate_reasons = models.JSONField(default=list, blank=True, help_text="Why the gate warned or blocked.")
    dimensions = models.JSONField(
        default=dict, help_text="name → {score, threshold, passed, columns, rules, details}"
    )
    metrics = models.JSONField(default=dict, blank=True, help_text="The values the history check follows.")
    measured_rows = models.BigIntegerField(default=0)
    rejected_rows = models.BigIntegerField(default=0)
    pii_columns = models.PositiveIntegerField(default=0, help_text="Columns with PII findings in this run.")
    timings = models.JSONField(default=dict, blank=True, help_text="Seconds per step of the check.")
    created = models.DateTimeField(auto_now_add=True, db_index=True)

    class Meta:
        ordering = ("-created", "-pk")
        indexes = [models.Index(fields=("dataset", "-created"), name="quality_report_dataset_recent")]

    def __str__(self) -> str:
        return f"Quality of {self.dataset} run {self.run_id}: {self.overall_score:.3f}"

    def get_absolute_url(self) -> str:
        return reverse("quality:report_detail", args=[self.pk])

    def dimension_scores(self) -> dict[str, float | None]:
        return {d: getattr(self, f"{d}_score") for d in DIMENSIONS}

    @property
    def has_pii(self) -> bool:
        return self.pii_columns > 0

    def as_dict(self) -> dict[str, Any]:
        """The report in DESIGN.md's ``quality`` shape, plus checks, gate and identity."""
        return {
            "id": self.pk,
            "dataset": self.dataset.name,
            "run_id": self.run_id,
            "source": self.source,
            "created": self.created.isoformat() if self.created else None,
            "overall_score": self.overall_score,
            "passed": self.passed,
            "measured_rows": self.measured_rows,
            "rejected_rows": self.rejected_rows,
            "dimensions": self.dimensions,
            "checks": [check.as_dict() for check in self.checks.all()],
            "gate": {"outcome": self.gate, "reasons": list(self.gate_reasons)},
        }


class CheckResult(models.Model):
    """One SodaCL or history check of a report: its outcome, measured value and definition."""

    report = models.ForeignKey(QualityReport, on_delete=models.CASCADE, related_name="checks")
    kind = models.CharField(max_length=10, choices=CheckKind.choices, default=CheckKind.SODA)
    name = models.CharField(max_length=500)
    outcome = models.CharField(max_length=10, choices=CheckOutcome.choices, db_index=True)
    value = models.FloatField(null=True, blank=True, help_text="What the check measured, if a number.")
    definition = models.TextField(blank=True, help_text="The check as written (SodaCL) or as configured.")
    message = models.TextField(blank=True)
    gate = models.CharField(max_length=5, blank=True, help_text="The gate mode applied when it failed.")
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("report", "kind", "pk")

    def __str__(self) -> str:
        return f"{self.name}: {self.outcome}"

    @property
    def failed(self) -> bool:
        return self.outcome in CheckOutcome.failing()

    def as_record(self):
        """The stored result as the ``CheckRecord`` it was made from."""
        from quality.services.checks import CheckRecord

        return CheckRecord(
            kind=self.kind, name=self.name, outcome=self.outcome, value=self.value,
            definition=self.definition, message=self.message, details=self.details, gate=self.gate,
        )

    def as_dict(self) -> dict[str, Any]:
        return self.as_record().as_dict()
