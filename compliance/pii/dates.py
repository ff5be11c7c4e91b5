"""Reading date values and judging whether a date column holds birth dates."""
from __future__ import annotations

import re
from datetime import date

_ISO = re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[T ]00:00(?::00(?:\.0+)?)?Z?)?$")
_DAY_FIRST = re.compile(r"^(\d{1,2})([./-])(\d{1,2})\2(\d{4}|\d{2})(?: 00:00(?::00)?)?$")
_HAS_TIME = re.compile(r"\d{1,2}:\d{2}")

# One pattern for Presidio: a date written in any of the forms above.
DATE_PATTERN = r"(?<![\w./-])(?:\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[./-]\d{1,2}[./-](?:\d{4}|\d{2}))(?![\w/-]|\.\d)"


def _safe(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _century(two_digits: int, today: date) -> int:
    # A two-digit year after this year's belongs to the last century.
    return 2000 + two_digits if two_digits <= today.year % 100 else 1900 + two_digits


def parse_date(value: str, today: date | None = None) -> date | None:
    """The date written in ``value`` (ISO, day-first or US month-first), or None."""
    text = value.strip()
    match = _ISO.match(text)
    if match:
        return _safe(int(match[1]), int(match[2]), int(match[3]))
    match = _DAY_FIRST.match(text)
    if not match:
        return None
    first, second, year = int(match[1]), int(match[3]), int(match[4])
    if len(match[4]) == 2:
        year = _century(year, today or date.today())
    return _safe(year, second, first) or _safe(year, first, second)


def has_time_of_day(value: str) -> bool:
    """True for timestamps with a real time ("2023-04-05 12:34"), not "... 00:00"."""
    found = _HAS_TIME.search(value)
    return bool(found) and not value.strip().endswith(("00:00", "00:00:00", "00:00:00Z"))


def _quantile(sorted_values: list[float], q: float) -> float:
    index = min(len(sorted_values) - 1, max(0, round(q * (len(sorted_values) - 1))))
    return sorted_values[index]


def looks_like_birth_dates(dates: list[date], today: date | None = None) -> bool:
    """Birth dates spread over decades of adult ages and none lie in the future.

    Order, signup and hire dates are recent or span a few decades at most,
    with a median age of a few years; birth dates have a median age of tens
    of years and span at least a generation.
    """
    if len(dates) < 10:
        return False
    today = today or date.today()
    ages = sorted((today - d).days / 365.25 for d in dates)
    if ages[0] < -0.1:
        return False
    median = _quantile(ages, 0.5)
    spread = _quantile(ages, 0.95) - _quantile(ages, 0.05)
    return 22 <= median <= 80 and spread >= 25 and _quantile(ages, 0.05) >= 5
