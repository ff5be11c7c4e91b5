"""Column-level decisions: does the share of matching values make the column PII?

A recognizer judges one value; these rules judge the column. They are where
look-alikes are turned away: 16-digit ids that pass Luhn, version strings
that are valid IPv4, unformatted numeric ids that are "valid" German phone
numbers, order dates that parse as dates, product names made of words.
"""
from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from .dates import looks_like_birth_dates, parse_date
from .headers import suggests, vetoes

# Minimum recognizer score for a value to count as a match, per entity.
ACCEPT: dict[str, float] = {"DATE_OF_BIRTH": 0.05, "PERSON": 0.4, "LOCATION": 0.45}
DEFAULT_ACCEPT = 0.3
# Share of known towns that makes a column of place-like words a column of places.
PLACE_SHARE = 0.4
# In free text a hit must be surer: there is no column of look-alikes to vote it down.
FREE_TEXT_ACCEPT: dict[str, float] = {
    "PERSON": 0.65, "LOCATION": 0.6, "DATE_OF_BIRTH": 0.4, "DK_CPR": 0.6, "US_SSN": 0.5, "PHONE_NUMBER": 0.5,
    "CREDIT_CARD": 0.9, "IBAN_CODE": 0.9, "IP_ADDRESS": 0.6,
}
DEFAULT_FREE_TEXT_ACCEPT = 0.5

# When two entities claim the same value with the same score.
PRIORITY = ("IBAN_CODE", "CREDIT_CARD", "EMAIL_ADDRESS", "IP_ADDRESS", "DK_CPR", "US_SSN", "DATE_OF_BIRTH",
            "PHONE_NUMBER", "URL", "LOCATION", "PERSON")

# How telling a column of matching values is, where the per-value scores are
# not graded (a checksum either passes or not).
_EVIDENCE = {"EMAIL_ADDRESS": 0.95, "IBAN_CODE": 0.95, "CREDIT_CARD": 0.9, "IP_ADDRESS": 0.85, "URL": 0.8}

NOUNS = {
    "EMAIL_ADDRESS": "e-mail addresses", "PHONE_NUMBER": "phone numbers", "PERSON": "person names",
    "LOCATION": "street addresses or places", "US_SSN": "US social security numbers",
    "CREDIT_CARD": "payment card numbers (issuer prefix and Luhn checked)", "IBAN_CODE": "valid IBANs",
    "IP_ADDRESS": "IP addresses", "DK_CPR": "CPR numbers with a valid birth date", "DATE_OF_BIRTH": "dates",
    "URL": "URLs",
}


def accept_score(entity: str, free_text: bool = False) -> float:
    """Minimum score for one match to count."""
    if free_text:
        return FREE_TEXT_ACCEPT.get(entity, DEFAULT_FREE_TEXT_ACCEPT)
    return ACCEPT.get(entity, DEFAULT_ACCEPT)


def priority(entity: str) -> int:
    """Lower wins ties; custom entities come first (a steward asked for them)."""
    return PRIORITY.index(entity) if entity in PRIORITY else -1


@dataclass
class Tally:
    """Sampled values won by one entity."""

    entity: str
    matches: int = 0
    score_sum: float = 0.0
    values: Counter = field(default_factory=Counter)
    share: float = 0.0

    def add(self, value: str, count: int, score: float) -> None:
        """Count ``count`` sampled copies of ``value`` as matches with ``score``."""
        self.matches += count
        self.score_sum += score * count
        self.values[value] += count

    @property
    def mean_score(self) -> float:
        """Mean recognizer score over the matches."""
        return self.score_sum / self.matches if self.matches else 0.0


@dataclass(frozen=True)
class Verdict:
    """A column-level decision for one entity."""

    evidence: float
    summary: str


def _share_of(tally: Tally, test) -> float:
    hits = sum(count for value, count in tally.values.items() if test(value))
    return hits / tally.matches if tally.matches else 0.0


def _mostly_bare_ids(tally: Tally) -> bool:
    """Unformatted digit strings of one length: how ids look, and how phone numbers rarely do."""
    if _share_of(tally, str.isdigit) < 0.8:
        return False
    lengths = Counter()
    for value, count in tally.values.items():
        lengths[len(value)] += count
    return lengths.most_common(1)[0][1] / tally.matches >= 0.8


def _octets(value: str) -> list[int] | None:
    parts = value.split(".")
    if len(parts) != 4 or not all(p.isdigit() for p in parts):
        return None
    return [int(p) for p in parts]


def _version_like(tally: Tally) -> bool:
    """Dotted quads with small leading parts (1.4.22.180), as version numbers are."""
    def small(value: str) -> bool:
        octets = _octets(value)
        return bool(octets) and octets[0] <= 30 and octets[1] <= 30 and octets[2] <= 60
    return _share_of(tally, small) >= 0.9


def _judge(entity: str, tally: Tally, header: str, named: bool) -> Verdict | None:
    mean = tally.mean_score
    if entity == "CREDIT_CARD":
        return Verdict(_EVIDENCE[entity], "") if named or tally.share >= 0.8 else None
    if entity == "IP_ADDRESS":
        if vetoes(entity, header) or (not named and _version_like(tally)):
            return None
        return Verdict(_EVIDENCE[entity], "")
    if entity == "PHONE_NUMBER":
        if not named and (mean < 0.45 or _mostly_bare_ids(tally)):
            return None
        return Verdict(mean, "")
    if entity == "DK_CPR":
        dashed = _share_of(tally, lambda v: "-" in v)
        if dashed < 0.5 and not named and tally.share < 0.9:
            return None  # ~4% of random 10-digit ids start with a valid date
        return Verdict(0.85 if dashed >= 0.5 else 0.75, "")
    if entity == "US_SSN":
        return Verdict(0.8 if _share_of(tally, lambda v: "-" in v) >= 0.5 else 0.6, "")
    if entity == "DATE_OF_BIRTH":
        return _judge_birth_dates(tally, header, named)
    if entity in ("PERSON", "LOCATION"):
        distinct = len(tally.values)
        if distinct < 5 or (distinct < 20 and distinct / tally.matches < 0.2):
            return None  # a handful of repeated words is a category, not people or places
        return Verdict(mean, "")
    return Verdict(_EVIDENCE.get(entity, mean), "")


def _judge_birth_dates(tally: Tally, header: str, named: bool) -> Verdict | None:
    if vetoes("DATE_OF_BIRTH", header):
        return None
    if named:
        return Verdict(0.9, "")
    dates = [d for d in (parse_date(v) for v in tally.values.elements()) if d]
    if looks_like_birth_dates(dates):
        return Verdict(0.6, "ages spread like birth dates")
    return None


def required_share(entity: str, header: str, min_share: float, rivals: dict[str, float]) -> float:
    """The share of sampled values ``entity`` needs to label the column.

    A naming header lowers it. So does, for places, a column whose words are
    clearly places and not names: town lists are long and no list has every
    village, but a column where 40% of values are known towns and few are
    names is a column of towns.
    """
    if suggests(entity, header):
        return min(min_share, 0.35)
    if entity == "LOCATION":
        share = rivals.get("LOCATION", 0.0)
        if share >= PLACE_SHARE and rivals.get("PERSON", 0.0) * 3 <= share:
            return min(min_share, PLACE_SHARE)
    return min_share


def judge(entity: str, tally: Tally, sample_size: int, header: str, min_share: float,
          rivals: dict[str, float] | None = None) -> Verdict | None:
    """The verdict for ``entity`` on a structured column, or None when it is not that entity.

    ``rivals`` maps every entity that matched the sample to its share.
    """
    named = suggests(entity, header)
    tally.share = tally.matches / sample_size
    required = required_share(entity, header, min_share, rivals or {})
    if tally.matches < min(3, sample_size) or tally.matches < 2 or tally.share < required:
        return None
    verdict = _judge(entity, tally, header, named)
    if verdict is None:
        return None
    noun = NOUNS.get(entity, f"matches of the {entity} pattern")
    summary = f"{tally.matches} of {sample_size} sampled values are {noun}"
    if verdict.summary:
        summary += f" ({verdict.summary})"
    return Verdict(verdict.evidence, summary)


def combine(evidence: float, share: float, named: bool) -> float:
    """Confidence from how telling the matches are, how many match, and the header.

    Without a header that names the entity confidence tops out at 0.9; a
    naming header closes most of the remaining gap.
    """
    confidence = evidence * (0.5 + 0.4 * max(0.0, min(1.0, share)))
    if named:
        confidence += (1 - confidence) * 0.6
    return round(min(confidence, 0.99), 3)
