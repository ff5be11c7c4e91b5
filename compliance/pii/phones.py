"""Phone number evidence for one candidate string, with python-phonenumbers.

Being a *valid* number somewhere says little: 80% of random 10-digit strings
are valid German numbers and 77% of random 8-digit strings valid Danish ones.
What marks a phone number is how it is written: an international prefix, a
grouping of digits that matches the country's own formatting, an area code
in parentheses, an extension. Each candidate gets a score from that evidence;
bare digit strings only ever get a weak one.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

import phonenumbers
from phonenumbers import NumberParseException, PhoneNumberFormat

DEFAULT_REGIONS: tuple[str, ...] = ("US", "GB", "DE", "DK", "FR", "NL", "SE", "ES", "IT", "PL", "NO")

# Loose shape of a written phone number; the real test is phonenumbers'.
CANDIDATE = re.compile(
    r"(?<![\w+.@/\\-])(?:\+|00)?[ ]?(?:\(\+?\d{1,4}\)[ ]?)?\d[\d \-./()]{5,20}\d"
    r"(?:[ ]*(?:x|ext\.?|extension|\#)[ ]*\d{1,6})?(?![\w@]|[.,]\d)",
    re.IGNORECASE,
)
_EXTENSION = re.compile(r"[ ]*(?:x|ext\.?|extension|\#)[ ]*\d{1,6}$", re.IGNORECASE)
# Shapes that belong to other things: dates, IPv4, SSN, CPR, decimals, and
# US ZIP+4 codes (a trunk-prefixed "0xxxx-xxxx" may still be a phone number).
_NOT_PHONE = re.compile(
    r"^(?:\d{4}[-/.]\d{1,2}[-/.]\d{1,2}|\d{1,2}[-/.]\d{1,2}[-/.]\d{2,4}|\d{1,3}(?:\.\d{1,3}){3}"
    r"|\d{3}-\d{2}-\d{4}|\d{6}-\d{4}|\d+[.,]\d{1,2}|[1-9]\d{4}-\d{4})$"
)


# "2019/2020", "2019-20": a span of years (academic, fiscal), which an 8-digit
# number written 4/4 can look like.
_YEAR_SPAN = re.compile(r"^((?:19|20)\d\d) ?[/-] ?((?:19|20)?\d\d)$")


def _year_span(text: str) -> bool:
    match = _YEAR_SPAN.match(text)
    if not match:
        return False
    first, second = int(match[1]), match[2]
    following = first + 1
    return int(second) in ((following % 100, following) if len(second) == 2 else (following,))


@dataclass(frozen=True)
class PhoneEvidence:
    """What phonenumbers made of one candidate."""

    score: float
    region: str | None
    reason: str


def _groups(text: str) -> list[int]:
    return [len(g) for g in re.findall(r"\d+", text)]


def _cuts(groups: list[int]) -> set[int]:
    cuts, total = set(), 0
    for size in groups[:-1]:
        total += size
        cuts.add(total)
    return cuts


def _grouped_like(candidate: str, number: phonenumbers.PhoneNumber) -> bool:
    """Digit groups of the candidate fall on the country's own group boundaries."""
    written = _groups(candidate)
    if len(written) < 2:
        return False
    for fmt in (PhoneNumberFormat.NATIONAL, PhoneNumberFormat.INTERNATIONAL):
        formatted = phonenumbers.format_number(number, fmt)
        expected = _groups(formatted)
        # Compare from the right: prefixes (+45, 0, (0)) vary in how they are written.
        w_total, e_total = sum(written), sum(expected)
        if w_total > e_total or e_total - w_total > 3:
            continue
        offset = e_total - w_total
        if {c + offset for c in _cuts(written)} <= _cuts(expected):
            return True
    return False


def _parse(text: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(text, region)
    except NumberParseException:
        return None


def phone_evidence(candidate: str, regions: tuple[str, ...] = DEFAULT_REGIONS) -> PhoneEvidence:
    """Score one candidate string as a phone number (0 = not one)."""
    text = candidate.strip()
    core = _EXTENSION.sub("", text)
    digits = sum(ch.isdigit() for ch in core)
    if digits < 7 or digits > 15 or _NOT_PHONE.match(core) or _year_span(core):
        return PhoneEvidence(0.0, None, "")
    has_extension = core != text
    if core.startswith(("+", "00")):
        number = _parse("+" + core[2:] if core.startswith("00") else core, None)
        if number is None:
            return PhoneEvidence(0.0, None, "")
        region = phonenumbers.region_code_for_number(number)
        if phonenumbers.is_valid_number(number):
            return PhoneEvidence(0.9, region, "valid international number")
        if phonenumbers.is_possible_number(number):
            return PhoneEvidence(0.6, region, "possible international number")
        return PhoneEvidence(0.0, None, "")
    bare = core.isdigit()
    if bare and digits > 12:
        return PhoneEvidence(0.0, None, "")  # EANs, ISBNs, card-like ids: too long for a national number
    notation = has_extension or "(" in core
    best = PhoneEvidence(0.0, None, "")
    for region in regions:
        number = _parse(core, region)
        if number is None:
            continue
        if phonenumbers.is_valid_number(number):
            if bare:
                score, why = (0.4 if core.startswith("0") else 0.3), "valid national number, unformatted"
            elif _grouped_like(core, number):
                score, why = 0.75, "valid national number, grouped as written there"
            elif notation:
                score, why = 0.6, "valid national number with area code or extension"
            else:
                score, why = 0.25, "valid national number, unusual grouping"
        elif notation and phonenumbers.is_possible_number(number):
            score, why = 0.5, "possible national number with area code or extension"
        else:
            continue
        if score > best.score:
            best = PhoneEvidence(score, region, why)
            if score >= 0.75 or bare:
                break  # nothing better to find: well grouped, or bare digits (capped low anyway)
    return best
