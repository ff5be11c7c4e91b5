"""Helpers that turn a column sample into one Presidio call and back.

A structured column's distinct values are joined one per line and analysed
in a single call (one Presidio call per value would cost ~0.5 ms each).
Each result is mapped back to its value; a value counts for an entity only
when a result covers (nearly) all of it, so an e-mail's domain is not a URL
and a date inside a timestamp is not a birth date.
"""
from __future__ import annotations

import bisect
import re
from collections.abc import Iterable, Sequence

from presidio_analyzer import RecognizerResult

from .phones import CANDIDATE, phone_evidence
from .rules import accept_score, priority

# Share of a value's characters a result must cover to claim the value.
FULL_COVER = 0.9

_DATE_LIKE = re.compile(r"\d{1,4}[./-]\d{1,2}[./-]\d{1,4}")
_IBAN_START = re.compile(r"^[A-Za-z]{2}\d{2}")


def join_values(values: Sequence[str]) -> tuple[str, list[int]]:
    """One text with a value per line, and where each value starts."""
    starts, position = [], 0
    for value in values:
        starts.append(position)
        position += len(value) + 1
    return "\n".join(values), starts


def one_line(value: str) -> str:
    """A cell on a single line, so a cell stays one line of the joined text."""
    return " ".join(value.split()) if "\n" in value or "\r" in value else value


def value_hits(results: Iterable[RecognizerResult], values: Sequence[str], starts: list[int]
               ) -> list[dict[str, float]]:
    """For each value, every entity with a result covering it, and that entity's best score.

    A value may count for two entities ("Hamilton": a surname and a city);
    the column-level vote decides between them.
    """
    hits: list[dict[str, float]] = [{} for _ in values]
    for result in results:
        index = bisect.bisect_right(starts, result.start) - 1
        value = values[index]
        covered = min(result.end, starts[index] + len(value)) - result.start
        if covered < FULL_COVER * len(value) or result.score < accept_score(result.entity_type):
            continue
        found = hits[index]
        found[result.entity_type] = max(result.score, found.get(result.entity_type, 0.0))
    return hits


def phone_probe_fails(values: Sequence[str], named: bool, regions: tuple[str, ...]) -> bool:
    """A quick look at some values says this column cannot pass as phone numbers.

    Phone parsing is the costly recognizer; this spares it for id, EAN and
    reference columns. It only rejects what the column-level rule would reject.
    """
    shaped = [v for v in values[:300] if CANDIDATE.fullmatch(v)]
    if len(shaped) < 0.3 * min(len(values), 300):
        return True  # most values are not written like a phone number at all (timestamps, coordinates)
    probe = shaped[:40]
    if len(probe) < 10:
        return False
    scores = [phone_evidence(v, regions).score for v in probe]
    matched = [v for v, score in zip(probe, scores, strict=True) if score >= 0.3]
    if len(matched) < 0.25 * len(probe):
        return True
    bare = [v for v in matched if v.isdigit()]
    one_length = max((sum(len(v) == n for v in bare) for n in {len(v) for v in bare}), default=0)
    return not named and len(bare) >= 0.8 * len(matched) and one_length >= 0.8 * len(matched)


def _merge_same_entity(results: list[RecognizerResult]) -> list[RecognizerResult]:
    # Two recognizers finding overlapping parts of one address ("Main Street"
    # and "12 Main Street") found one address: keep the union, for masking.
    merged: list[RecognizerResult] = []
    for result in sorted(results, key=lambda r: (r.entity_type, r.start)):
        last = merged[-1] if merged else None
        if last and last.entity_type == result.entity_type and result.start < last.end:
            merged[-1] = RecognizerResult(last.entity_type, last.start, max(last.end, result.end),
                                          max(last.score, result.score), last.analysis_explanation,
                                          last.recognition_metadata)
        else:
            merged.append(result)
    return merged


def resolve_overlaps(results: Iterable[RecognizerResult], free_text: bool = True) -> list[RecognizerResult]:
    """Merge overlapping results of one entity; across entities keep the best (score, length, priority)."""
    accepted = [r for r in results if r.score >= accept_score(r.entity_type, free_text)]
    ranked = sorted(
        _merge_same_entity(accepted),
        key=lambda r: (-r.score, -(r.end - r.start), priority(r.entity_type)),
    )
    kept: list[RecognizerResult] = []
    for result in ranked:
        if all(result.end <= k.start or result.start >= k.end for k in kept):
            kept.append(result)
    return sorted(kept, key=lambda r: r.start)


def is_free_text(values: Sequence[str]) -> bool:
    """Sentences rather than values: many words, many of them lower-case."""
    sample = values[:200]
    if not sample:
        return False
    words = sorted(len(v.split()) for v in sample)
    if words[len(words) // 2] < 6:
        return False
    tokens = [t for v in sample for t in v.split()]
    lower = sum(1 for t in tokens if t[:1].islower())
    return lower / len(tokens) >= 0.3


def candidate_entities(values: Sequence[str], supported: set[str]) -> list[str]:
    """Entities worth asking Presidio about, from cheap character checks on a sample.

    Only a pre-filter: it keeps Presidio from running phone parsing over a
    column of product names or name lists over a column of amounts.
    """
    sample = values[:200]
    hits: dict[str, int] = dict.fromkeys(supported, 0)

    def hit(entity: str) -> None:
        if entity in hits:
            hits[entity] += 1

    for value in sample:
        digits = sum(ch.isdigit() for ch in value)
        letters = any(ch.isalpha() for ch in value)
        if "@" in value:
            hit("EMAIL_ADDRESS")
        if letters and "." in value:
            hit("URL")
        if digits >= 7:
            hit("PHONE_NUMBER")
        if 12 <= digits <= 19:
            hit("CREDIT_CARD")
        if digits == 9:
            hit("US_SSN")
        if digits == 10:
            hit("DK_CPR")
        if _DATE_LIKE.search(value):
            hit("DATE_OF_BIRTH")
        if _IBAN_START.match(value):
            hit("IBAN_CODE")
        if value.count(".") == 3 or value.count(":") >= 2:
            hit("IP_ADDRESS")
        if letters:
            hit("PERSON")
            hit("LOCATION")
    floor = max(2, len(sample) // 10)
    builtin = {"EMAIL_ADDRESS", "URL", "PHONE_NUMBER", "CREDIT_CARD", "US_SSN", "DK_CPR", "DATE_OF_BIRTH",
               "IBAN_CODE", "IP_ADDRESS", "PERSON", "LOCATION"}
    # Custom entities have no cheap check: always ask.
    return sorted(e for e, n in hits.items() if n >= floor or e not in builtin)
