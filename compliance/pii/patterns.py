"""PostgreSQL regexes that count matching rows over a whole column in SQL.

The pipeline runs ``count(*) FILTER (WHERE col ~ pattern)``: always ``~``,
case-insensitivity is embedded as a leading ``(?i)`` (PostgreSQL ARE
embedded options). Structured patterns are anchored (a value *is* an email),
free-text ones are not (a comment *contains* an email). The SQL count is a
format check only (no Luhn, no checksum, no name lists): it slightly
overcounts look-alikes inside a column already classified from the sample.
"""
from __future__ import annotations

import re

_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"

_CORE: dict[str, str] = {
    "EMAIL_ADDRESS": r"(?i)[a-z0-9._%+'-]+@[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}",
    "PHONE_NUMBER": r"(?i)(\+|00)?[0-9(][0-9 ().\/-]{5,22}[0-9]( *(x|ext\.?|#) *[0-9]{1,6})?",
    "CREDIT_CARD": r"(4[0-9]{3}|5[1-5][0-9]{2}|2[2-7][0-9]{2}|3[0-9]{3}|6[0-9]{3})[ -]?[0-9]{4}[ -]?[0-9]{4}"
                   r"[ -]?[0-9]{1,7}",
    "IBAN_CODE": r"(?i)[a-z]{2}[0-9]{2}( ?[a-z0-9]{4}){2,7}( ?[a-z0-9]{1,4})?",
    "IP_ADDRESS": rf"({_OCTET}\.){{3}}{_OCTET}|[0-9a-fA-F]{{0,4}}(:[0-9a-fA-F]{{0,4}}){{2,7}}",
    "US_SSN": r"[0-8][0-9]{2}-[0-9]{2}-[0-9]{4}|[0-8][0-9]{8}",
    "DK_CPR": r"(0[1-9]|[12][0-9]|3[01])(0[1-9]|1[0-2])[0-9]{2}-?[0-9]{4}",
    "DATE_OF_BIRTH": r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2}|[0-9]{1,2}[./-][0-9]{1,2}[./-]([0-9]{4}|[0-9]{2}))"
                     r"([ T]00:00(:00)?)?",
    "URL": r"(?i)(https?://)?(www[0-9]{0,3}\.)?[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}(/[^ ]*)?",
}

# Python-only regex syntax that PostgreSQL's ARE does not understand.
_NOT_ARE = re.compile(r"\(\?P|\(\?<[A-Za-z]|\(\?#|\\[Zz](?![a-z])|\(\?[a-z]*[sxu]|\\p\{")


def _anchor(core: str) -> str:
    # Keep a leading "(?i)" in front of the anchor, where ARE requires it.
    flags = ""
    if core.startswith("(?i)"):
        flags, core = "(?i)", core[4:]
    return f"{flags}^ *({core}) *$"


def pg_pattern(entity: str, *, free_text: bool, custom_regex: str | None = None) -> str | None:
    """The PostgreSQL pattern for ``entity``, or None when it cannot be written as one."""
    if custom_regex is not None:
        if _NOT_ARE.search(custom_regex):
            return None
        return custom_regex if free_text else _anchor(custom_regex.strip("^$"))
    core = _CORE.get(entity)
    if core is None:
        return None
    return core if free_text else _anchor(core)
