"""What each dimension measures, in words, for the pages (the full text is in docs/quality.md)."""
from __future__ import annotations

DEFINITIONS: dict[str, str] = {
    "completeness": (
        "Mean over the run's columns of the share of rows that hold a value. NULL, the empty string and "
        "whitespace-only text count as missing."
    ),
    "uniqueness": (
        "The lower of key uniqueness (distinct non-empty dataset keys ÷ rows: every extra row sharing a key, "
        "and every row with a missing key part, is a duplicate) and row uniqueness (distinct rows ÷ rows)."
    ),
    "timeliness": (
        "Share of dated rows whose timestamp lies within the maximum age (7 days by default) of the check. "
        "The timestamp is the rule set's timeliness column, else a column named like updated/modified, then "
        "created, then any date; the load time when there is none. The newest timestamp's age is shown too."
    ),
    "validity": (
        "Mean over assessed columns of 1 − invalid ÷ (present + rejected) values. Invalid: values the cast "
        "from explore to chart rejected, values breaking the format of the column's semantic type (email, "
        "phone, IBAN, URL, IP … from the rule set or PII detection), values outside the allowed list, and "
        "dates before 1900 or more than a year ahead."
    ),
    "accuracy": (
        "Mean over numeric measurement columns (not the key, not coded columns) of the share of values "
        "inside robust bounds: median ± k × 1.4826 × MAD (k = 3.5 by default), or Tukey's fences "
        "Q1 − 1.5 IQR .. Q3 + 1.5 IQR when the MAD is 0, narrowed by the reference min and max."
    ),
    "consistency": (
        "Mean over cross-field rules of 1 − violations ÷ applicable rows. Rules are declared (start_date <= "
        "end_date, total = qty * unit_price within a tolerance) or automatic (created ≤ updated, start ≤ end "
        "when both columns exist); a row where a side is missing does not count."
    ),
}

OVERALL = "The overall score is the unweighted mean of the six dimension scores."
GATES = (
    "A dimension passes when its score reaches its threshold. A failed dimension or check either blocks "
    "publishing (the run fails with the reason, nothing reaches navigate) or publishes with a warning, "
    "as the dataset's quality rules say."
)
