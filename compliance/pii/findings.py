"""The values the detector takes and gives: samples, custom specs, findings."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ColumnSample:
    """A column to classify: its original header and a sample of its non-null values as text."""

    name: str
    values: list[str]


@dataclass(frozen=True)
class CustomRecognizerSpec:
    """A steward-defined recognizer: a regex for one entity, optional context words and checksum.

    ``validator`` names a function in ``compliance.pii.validators.VALIDATORS``
    (``luhn``, ``iban``, ``dk_cpr``, ...); a match that fails it is dropped.
    """

    entity: str
    regex: str
    context: tuple[str, ...] = ()
    score: float = 0.6
    validator: str | None = None


@dataclass
class ColumnFinding:
    """One entity found in one column, with the evidence behind it.

    ``evidence`` (0..1, how telling the matching values are) and ``summary``
    (the sample half of the explanation) let ``PiiDetector.finalize``
    recompute confidence and explanation once the all-rows share is known.
    """

    entity: str
    confidence: float
    sample_size: int
    sample_matches: int
    share: float
    free_text: bool
    pg_pattern: str | None
    explanation: str
    evidence: float = 0.0
    summary: str = ""
