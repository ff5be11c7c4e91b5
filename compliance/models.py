"""Compliance models: the PII inventory, custom recognizers, masking policies and the PII audit log."""
from __future__ import annotations

import re

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models

from compliance.choices import AuditAction, FindingStatus, MaskingAction

ENTITY_NAME = RegexValidator(
    r"^[A-Z][A-Z0-9_]{1,49}$",
    "Use an upper-case entity name such as EMPLOYEE_ID (letters, digits, underscores).",
)
MAX_REGEX_LENGTH = 500


def validator_choices() -> list[tuple[str, str]]:
    """The checksum validators a custom recognizer may name (``compliance.pii.validators``)."""
    from compliance.pii.validators import VALIDATORS

    return [("", "none")] + [(name, name) for name in sorted(VALIDATORS)]


class PiiFinding(models.Model):
    """One entity found in one column: the evidence, and the steward's decision about it.

    A finding is unique per (column, entity). Every scan updates the numbers;
    ``fingerprint`` summarises what the column held at the last scan and
    ``reviewed_fingerprint`` what it held when a steward decided, so a
    material change can send a decided finding back to review.
    """

    dataset = models.ForeignKey("catalog.Dataset", on_delete=models.CASCADE, related_name="pii_findings")
    column = models.ForeignKey("catalog.Column", on_delete=models.CASCADE, related_name="pii_findings")
    entity = models.CharField(max_length=50, db_index=True)
    confidence = models.FloatField(help_text="0..1: recognizer scores, share matching, column name.")
    share = models.FloatField(help_text="Share of the column's non-empty values that match, over all rows.")
    sample_size = models.PositiveIntegerField(default=0)
    sample_matches = models.PositiveIntegerField(default=0)
    rows_matching = models.BigIntegerField(null=True, blank=True)
    rows_non_null = models.BigIntegerField(null=True, blank=True)
    free_text = models.BooleanField(default=False, help_text="Found inside longer text, not as whole values.")
    explanation = models.TextField(blank=True)
    first_run = models.ForeignKey("pipeline.PipelineRun", null=True, blank=True, on_delete=models.SET_NULL,
                                  related_name="+")
    last_run = models.ForeignKey("pipeline.PipelineRun", null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    current = models.BooleanField(default=True, help_text="Found by the latest scan of its column.")
    status = models.CharField(max_length=10, choices=FindingStatus.choices, default=FindingStatus.SUGGESTED,
                              db_index=True)
    reviewer = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                 related_name="+")
    reviewed_at = models.DateTimeField(null=True, blank=True)
    review_note = models.CharField(max_length=500, blank=True)
    fingerprint = models.JSONField(default=dict, blank=True,
                                   help_text="The column's content at the last scan.")
    reviewed_fingerprint = models.JSONField(default=dict, blank=True,
                                            help_text="The column's content when the decision was made.")
    masking = models.CharField(max_length=10, choices=MaskingAction.choices, blank=True,
                               help_text="What the last publish to navigate did with it ('' = nothing).")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("dataset__name", "column__position", "-confidence")
        constraints = [
            models.UniqueConstraint(fields=("column", "entity"), name="compliance_finding_column_entity"),
        ]
        indexes = [models.Index(fields=("dataset", "status"))]
        verbose_name = "PII finding"

    def __str__(self) -> str:
        return f"{self.entity} in {self.column}"

    @property
    def masked(self) -> bool:
        return self.masking not in ("", MaskingAction.KEEP)


class CustomRecognizer(models.Model):
    """A steward-defined recognizer: a regex for an entity, with context words, a checksum and a score.

    Active recognizers join the detector from the next run on.
    """

    name = models.CharField(max_length=100, unique=True)
    entity = models.CharField(max_length=50, validators=[ENTITY_NAME])
    regex = models.TextField(help_text="A Python regular expression matching one value, e.g. EMP-[0-9]{6}.")
    context = models.CharField(max_length=500, blank=True,
                               help_text="Comma-separated words that raise the score near a match or in "
                                         "the column name.")
    validator = models.CharField(max_length=30, blank=True, choices=validator_choices,
                                 help_text="A checksum a match must pass.")
    score = models.FloatField(default=0.6, validators=[MinValueValidator(0.01), MaxValueValidator(1.0)])
    active = models.BooleanField(default=True)
    description = models.CharField(max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    created = models.DateTimeField(auto_now_add=True)
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("entity", "name")

    def __str__(self) -> str:
        return f"{self.name} ({self.entity})"

    def save(self, *args, **kwargs) -> None:
        self.full_clean()
        super().save(*args, **kwargs)

    @property
    def context_words(self) -> tuple[str, ...]:
        return tuple(word.strip().lower() for word in self.context.split(",") if word.strip())

    def spec(self):
        """This recognizer as the detector takes it."""
        from compliance.pii import CustomRecognizerSpec

        return CustomRecognizerSpec(entity=self.entity, regex=self.regex, context=self.context_words,
                                    score=self.score, validator=self.validator or None)

    def clean(self) -> None:
        """The regex must be short, compile and not match empty text; the detector's own checks apply too."""
        from compliance.pii.custom import spec_errors

        if len(self.regex) > MAX_REGEX_LENGTH:
            raise ValidationError({"regex": f"Keep the pattern under {MAX_REGEX_LENGTH} characters."})
        try:
            re.compile(self.regex)
        except re.error as exc:
            raise ValidationError({"regex": f"This is not a valid regular expression: {exc}."}) from exc
        errors = spec_errors(self.spec())
        if errors:
            raise ValidationError({"regex": " ".join(errors)})


class MaskingPolicy(models.Model):
    """What publishing to navigate does with columns holding one entity type."""

    entity = models.CharField(max_length=50, unique=True, validators=[ENTITY_NAME])
    action = models.CharField(max_length=10, choices=MaskingAction.choices, default=MaskingAction.HASH)
    visible_chars = models.PositiveSmallIntegerField(
        default=4, validators=[MaxValueValidator(12)],
        help_text="For mask: how many trailing characters stay visible."
    )
    description = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("entity",)
        verbose_name_plural = "masking policies"

    def __str__(self) -> str:
        return f"{self.entity}: {self.get_action_display()}"


class ColumnMaskingOverride(models.Model):
    """A column masked differently from its entity's policy (or masked with no finding at all)."""

    column = models.OneToOneField("catalog.Column", on_delete=models.CASCADE, related_name="masking_override")
    action = models.CharField(max_length=10, choices=MaskingAction.choices)
    visible_chars = models.PositiveSmallIntegerField(default=4, validators=[MaxValueValidator(12)])
    reason = models.CharField(max_length=300, blank=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                                   related_name="+")
    updated = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ("column__dataset__name", "column__position")

    def __str__(self) -> str:
        return f"{self.column}: {self.get_action_display()}"


class PiiAuditEvent(models.Model):
    """Who did what to personal data, and when: reviews, policy changes, decrypts, rescans."""

    at = models.DateTimeField(auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL,
                              related_name="+")
    action = models.CharField(max_length=12, choices=AuditAction.choices, db_index=True)
    dataset = models.ForeignKey("catalog.Dataset", null=True, blank=True, on_delete=models.SET_NULL,
                                related_name="+")
    column = models.ForeignKey("catalog.Column", null=True, blank=True, on_delete=models.SET_NULL,
                               related_name="+")
    summary = models.CharField(max_length=500)
    detail = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ("-at",)
        verbose_name = "PII audit event"

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}: {self.summary}"
