"""Format rules by semantic type, as PostgreSQL regular expressions.

The patterns are deliberately pragmatic: they catch values that cannot be
what the column claims to hold (``jane.doe.example.com`` as an email), not
every corner of the RFCs. They run inside PostgreSQL (``~``), so they use
its ARE syntax and must stay cheap: no backreferences, bounded repetition.
"""

from __future__ import annotations

# Letters/digits plus the punctuation real mailboxes use; the domain needs at
# least one dot and an alphabetic top-level label.
_EMAIL = r"^[A-Za-z0-9._%+'-]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}$"

# 7..15 digits (E.164 bounds), an optional leading +, and the separators
# people type between digit groups.
_PHONE = r"^\+?[ (]*([0-9][ ().-]{0,2}){6,14}[0-9]$"

# Country code, two check digits, 11..30 alphanumerics; spaces between
# groups are allowed because IBANs are printed in blocks of four.
_IBAN = r"^[A-Za-z]{2}[0-9]{2}( ?[A-Za-z0-9]){11,30}$"

_URL = r"^(https?|ftp)://[^\s/?#]+([/?#]\S*)?$"

_IPV4_OCTET = r"(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])"
_IPV4 = rf"{_IPV4_OCTET}(\.{_IPV4_OCTET}){{3}}"
# Loose IPv6: hex groups and colons with an optional embedded IPv4 tail;
# strict compression rules would triple the pattern for little gain.
_IPV6 = r"[0-9A-Fa-f]{0,4}(:[0-9A-Fa-f]{0,4}){2,7}(:" + _IPV4 + r")?"
_IP = rf"^({_IPV4}|{_IPV6})$"

_ISO_DATE = r"^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ].*)?$"

_CREDIT_CARD = r"^([0-9][ -]?){12,18}[0-9]$"
_US_SSN = r"^[0-9]{3}-?[0-9]{2}-?[0-9]{4}$"
_UUID = r"^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$"
_POSTAL_CODE = r"^[A-Za-z0-9][A-Za-z0-9 -]{1,8}[A-Za-z0-9]$"

FORMATS: dict[str, str] = {
    "email": _EMAIL,
    "phone": _PHONE,
    "iban": _IBAN,
    "url": _URL,
    "ip": _IP,
    "date": _ISO_DATE,
    "credit_card": _CREDIT_CARD,
    "us_ssn": _US_SSN,
    "uuid": _UUID,
    "postal_code": _POSTAL_CODE,
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


def format_pattern(semantic_type: str | None) -> str | None:
    """Return the regex for a semantic type, or None when it has no format rule."""
    if not semantic_type:
        return None
    return FORMATS.get(semantic_type.lower())


def semantic_type_for_entity(entity: str) -> str | None:
    """Map a Presidio entity name (``EMAIL_ADDRESS``) to a semantic type (``email``)."""
    return PRESIDIO_ENTITIES.get(entity.upper())
