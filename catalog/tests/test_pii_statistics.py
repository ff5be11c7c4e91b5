"""A column holding personal data keeps its counts in the catalog, not its values (min, max, mean)."""
from __future__ import annotations

import datetime as dt

import pytest

from catalog.models import Column

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_birth_dates_show_counts_but_not_the_earliest_or_latest(load):
    start = dt.date(1950, 1, 1)
    rows = [["customer_id", "date_of_birth", "signup_date"]]
    rows += [[str(i), (start + dt.timedelta(days=97 * i)).isoformat(), f"2026-01-{1 + i % 28:02d}"]
             for i in range(1, 80)]
    report = load("members", rows)
    pii = {c["name"]: [p["entity"] for p in c["pii"]] for c in report["columns"]}
    assert pii["date_of_birth"] == ["DATE_OF_BIRTH"]
    birth = Column.objects.get(dataset__name="members", name="date_of_birth")
    signup = Column.objects.get(dataset__name="members", name="signup_date")
    assert birth.stats["non_null"] == 79 and "min" not in birth.stats and "max" not in birth.stats
    assert signup.stats["min"] == "2026-01-01" and signup.stats["max"] == "2026-01-28"
