"""A dataset's quality rules: thresholds, gates, knobs, declared rules and SodaCL."""
from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from quality.choices import CheckKind, GateMode, HistoryMetric
from quality.engine import DIMENSIONS
from quality.engine.spec import DEFAULT_THRESHOLDS

SHARE = [MinValueValidator(0.0), MaxValueValidator(1.0)]
POSITIVE = [MinValueValidator(0.01)]


def default_history_metrics() -> list[dict]:
    """The row count is followed from run to run unless a steward says otherwise."""
    return [{"metric": HistoryMetric.ROW_COUNT}]


def _threshold(dimension: str) -> models.FloatField:
    return models.FloatField(
        default=DEFAULT_THRESHOLDS[dimension], validators=SHARE,
        help_text=f"The {dimension} score (0..1) a run must reach to pass.",
    )


def _gate(what: str) -> models.CharField:
    return models.CharField(
        max_length=5, choices=GateMode.choices, default=GateMode.WARN,
        help_text=f"What a failed {what} does: block publishing to navigate, or publish with a warning.",
    )


class QualityRuleSet(models.Model):
    """How one dataset's runs are judged. A dataset without one is judged by the defaults.

    Column references (timeliness column, rule operands, reference values,
    semantic types, history metrics) may use the original column name or the
    warehouse name. Everything is validated on save (``clean``), SodaCL
    included, with messages that name the bad rule or line.
    """

    dataset = models.OneToOneField("catalog.Dataset", on_delete=models.CASCADE, related_name="quality_rules")

    completeness_threshold = _threshold("completeness")
    uniqueness_threshold = _threshold("uniqueness")
    timeliness_threshold = _threshold("timeliness")
    validity_threshold = _threshold("validity")
    accuracy_threshold = _threshold("accuracy")
    consistency_threshold = _threshold("consistency")

    completeness_gate = _gate("completeness")
    uniqueness_gate = _gate("uniqueness")
    timeliness_gate = _gate("timeliness")
    validity_gate = _gate("validity")
    accuracy_gate = _gate("accuracy")
    consistency_gate = _gate("consistency")
    soda_gate = _gate("SodaCL check")
    history_gate = _gate("history check")
    check_gates = models.JSONField(
        default=dict, blank=True,
        help_text='Per-check overrides by check name: {"row_count > 0": "block"}.',
    )

    mad_k = models.FloatField(
        default=3.5, validators=POSITIVE,
        help_text="Accuracy: values farther than k × 1.4826 × MAD from the median are outliers.",
    )
    iqr_k = models.FloatField(
        default=1.5, validators=POSITIVE,
        help_text="Accuracy, when the MAD is 0: Tukey's fences Q1 − k·IQR .. Q3 + k·IQR.",
    )
    timeliness_column = models.CharField(
        max_length=1000, blank=True,
        help_text="The date or timestamp column saying when a row happened; blank: Atlas picks one by name.",
    )
    max_age_days = models.FloatField(
        default=7.0, validators=POSITIVE, help_text="Timeliness: rows older than this many days are stale.",
    )
    automatic_rules = models.BooleanField(
        default=True,
        help_text="Consistency: also check created ≤ updated, start ≤ end … when both columns exist.",
    )
    cross_field_rules = models.JSONField(
        default=list, blank=True,
        help_text='[{"name": "dates in order", "kind": "order", "left": "start_date", "op": "<=", '
                  '"right": "end_date"}, {"name": "total", "kind": "equation", '
                  '"expression": "total = qty * unit_price", "tolerance": 0.01}]',
    )
    reference_values = models.JSONField(
        default=dict, blank=True,
        help_text='Per column: {"status": {"allowed_values": ["new", "paid"]}, '
                  '"age": {"min": 0, "max": 130}}.',
    )
    semantic_types = models.JSONField(
        default=dict, blank=True,
        help_text='Per column: {"contact": "email"}; overrides what PII detection suggests. '
                  'Empty string switches a suggested type off.',
    )
    sodacl = models.TextField(
        "SodaCL", blank=True,
        help_text="SodaCL checks, run by Soda Core on this run's chart rows after the six dimensions.",
    )
    history_metrics = models.JSONField(
        default=default_history_metrics, blank=True,
        help_text='Metrics to follow: [{"metric": "row_count"}, {"metric": "mean", "column": "amount"}, '
                  '{"metric": "null_share", "column": "email"}].',
    )
    history_runs = models.PositiveSmallIntegerField(
        default=10, validators=[MinValueValidator(3), MaxValueValidator(1000)],
        help_text="How many earlier runs the history check compares against.",
    )
    history_sigma = models.FloatField(
        default=3.0, validators=POSITIVE,
        help_text="A metric outside mean ± this many standard deviations of the earlier runs is flagged.",
    )

    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "quality rule set"
        ordering = ("dataset__name",)

    def __str__(self) -> str:
        return f"Quality rules of {self.dataset}"

    @classmethod
    def for_dataset(cls, dataset) -> QualityRuleSet:
        """The dataset's rule set, or an unsaved one holding the defaults."""
        try:
            return cls.objects.get(dataset=dataset)
        except cls.DoesNotExist:
            return cls(dataset=dataset)

    def thresholds(self) -> dict[str, float]:
        return {d: float(getattr(self, f"{d}_threshold")) for d in DIMENSIONS}

    def gates(self) -> dict[str, str]:
        """Gate mode per dimension and per check kind (``soda``, ``history``)."""
        modes = {d: getattr(self, f"{d}_gate") for d in DIMENSIONS}
        modes[CheckKind.SODA] = self.soda_gate
        modes[CheckKind.HISTORY] = self.history_gate
        return modes

    def gate_for_check(self, kind: str, name: str) -> str:
        """A check's gate: its own override when set, else its kind's."""
        return (self.check_gates or {}).get(name) or self.gates()[kind]

    def clean(self) -> None:
        from quality.services.rules import validate_rule_set

        errors = validate_rule_set(self)
        if errors:
            raise ValidationError(errors)
