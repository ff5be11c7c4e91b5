"""Format rules by semantic type: a PostgreSQL regex plus a length range.

The rules are pragmatic: they catch values that cannot be what the column
claims to hold (``jane.doe.example.com`` as an email), not every corner of
the RFCs. They run inside PostgreSQL on every value, so they are written
for its regex engine: bounded repetition of a class or group (``{11,30}``)
compiles into a large automaton and runs 5-10x slower there than ``+``, so
patterns use ``+``/``*`` and the length bounds are a separate, cheap
``length()`` test.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Format:
    """A value is well-formed when it matches ``pattern`` and its length is in range."""

    pattern: str
    min_length: int = 1
    max_length: int | None = None
    description: str = ""


_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_HEX = "[0-9A-Fa-f]"

FORMATS: dict[str, Format] = {
    "email": Format(
        r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z][A-Za-z]+$",
        6,
        254,
        "local part, @, a domain with at least one dot and an alphabetic top-level label",
    ),
    "phone": Format(
        r"^\+?[ (]*[0-9][0-9 ().-]*[0-9]$",
        7,
        24,
        "digits with an optional leading + and the usual separators ( ) . - and spaces, 7 to 24 characters",
    ),
    "iban": Format(
        r"^[A-Za-z][A-Za-z][0-9][0-9][A-Za-z0-9 ]+$",
        15,
        42,
        "two-letter country code, two check digits, then letters, digits and spaces (15 to 42 characters)",
    ),
    "url": Format(
        r"^(https?|ftp)://[^[:space:]/?#]+([/?#][^[:space:]]*)?$",
        10,
        2048,
        "http, https or ftp scheme, a host, then an optional path without spaces",
    ),
    "ip": Format(
        rf"^({_OCTET}\.{_OCTET}\.{_OCTET}\.{_OCTET}|{_HEX}*:[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*)$",
        2,
        45,
        "dotted IPv4 with octets 0-255, or an IPv6 address in hex groups separated by colons",
    ),
    "date": Format(
        r"^[0-9][0-9][0-9][0-9]-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ].*)?$",
        10,
        40,
        "ISO 8601 date YYYY-MM-DD, optionally followed by a time",
    ),
    "credit_card": Format(
        r"^[0-9][0-9 -]*[0-9]$", 12, 23, "12 to 19 digits, optionally grouped by spaces or -"
    ),
    "us_ssn": Format(r"^[0-9][0-9][0-9]-?[0-9][0-9]-?[0-9][0-9][0-9][0-9]$", 9, 11, "AAA-GG-SSSS"),
    "uuid": Format(rf"^{_HEX}+-{_HEX}+-{_HEX}+-{_HEX}+-{_HEX}+$", 36, 36, "8-4-4-4-12 hexadecimal digits"),
    "postal_code": Format(
        r"^[A-Za-z0-9][A-Za-z0-9 -]*[A-Za-z0-9]$", 3, 10, "letters and digits, 3 to 10 characters"
    ),
}

# Presidio entity names (as stored in PII findings) to Atlas semantic types.
# Entities without a checkable shape (PERSON, LOCATION, ...) map to nothing;
# DATE_TIME neither, because Presidio tags free-form dates ("March 2020")
# that a strict date pattern would wrongly call invalid.
PRESIDIO_ENTITIES: dict[str, str] = {
    "EMAIL_ADDRESS": "email",
    "PHONE_NUMBER": "phone",
    "IBAN_CODE": "iban",
    "URL": "url",
    "IP_ADDRESS": "ip",
    "CREDIT_CARD": "credit_card",
    "US_SSN": "us_ssn",
}


def format_for(semantic_type: str | None) -> Format | None:
    """Return the format rule of a semantic type, or None when it has none."""
    if not semantic_type:
        return None
    return FORMATS.get(semantic_type.lower())


def semantic_type_for_entity(entity: str) -> str | None:
    """Map a Presidio entity name (``EMAIL_ADDRESS``) to a semantic type (``email``)."""
    return PRESIDIO_ENTITIES.get(entity.upper())
