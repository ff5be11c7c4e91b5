"""Quality choices: gate modes and outcomes, check kinds and outcomes, history metrics."""
from django.db import models

from quality.engine import DIMENSIONS


class GateMode(models.TextChoices):
    """What a failed dimension or check does to the run."""

    BLOCK = "block", "Block publishing (the run fails)"
    WARN = "warn", "Publish with a warning"


class GateOutcome(models.TextChoices):
    """What the quality gate decided for one report."""

    PASSED = "passed", "Passed"
    WARNED = "warned", "Published with warnings"
    BLOCKED = "blocked", "Blocked"


class CheckKind(models.TextChoices):
    """Where a check comes from: the steward's SodaCL, or Atlas's history check."""

    SODA = "soda", "SodaCL"
    HISTORY = "history", "History (mean ± kσ)"


class CheckOutcome(models.TextChoices):
    """A check's result; ``error`` means it could not be evaluated and counts as failed for the gate."""

    PASS = "pass", "Pass"
    WARN = "warn", "Warn"
    FAIL = "fail", "Fail"
    ERROR = "error", "Not evaluated"
    SKIPPED = "skipped", "Skipped"

    @classmethod
    def failing(cls) -> tuple[str, ...]:
        return (cls.FAIL, cls.ERROR)


class HistoryMetric(models.TextChoices):
    """Metrics the history check follows from run to run."""

    ROW_COUNT = "row_count", "Row count"
    MEAN = "mean", "Mean of a column"
    NULL_SHARE = "null_share", "Missing share of a column"

    @classmethod
    def needs_column(cls) -> tuple[str, ...]:
        return (cls.MEAN, cls.NULL_SHARE)


class ReportSource(models.TextChoices):
    """What produced a report: a pipeline run, or ``atlas_quality`` checking a run again."""

    PIPELINE = "pipeline", "Pipeline run"
    RECHECK = "recheck", "Checked again"


class Dimension(models.TextChoices):
    """The six quality dimensions, in report order."""

    COMPLETENESS = "completeness", "Completeness"
    UNIQUENESS = "uniqueness", "Uniqueness"
    TIMELINESS = "timeliness", "Timeliness"
    VALIDITY = "validity", "Validity"
    ACCURACY = "accuracy", "Accuracy"
    CONSISTENCY = "consistency", "Consistency"


assert tuple(Dimension.values) == DIMENSIONS, "quality.choices.Dimension must follow the engine's order"
