"""Checksum and format validators, by name, for built-in and custom recognizers.

Stewards name a validator on a custom recognizer (``validator="luhn"``); the
registry maps that name to a function from python-stdnum. Every function
takes the matched text as it appears (separators included) and returns a bool.
"""
from __future__ import annotations

from collections.abc import Callable

from stdnum import ean, iban, imei, isbn, luhn, verhoeff
from stdnum.dk import cpr
from stdnum.es import dni
from stdnum.fi import hetu
from stdnum.iso7064 import mod_11_10, mod_97_10
from stdnum.nl import bsn
from stdnum.no import fodselsnummer
from stdnum.se import personnummer
from stdnum.us import ssn

Validator = Callable[[str], bool]


def _digits_only(text: str) -> str:
    return "".join(ch for ch in text if ch.isdigit())


def _compacting(check: Callable[[str], bool]) -> Validator:
    # Some stdnum checks want bare digits; strip the usual separators first.
    return lambda text: check("".join(ch for ch in text if ch not in " -./"))


VALIDATORS: dict[str, Validator] = {
    "luhn": _compacting(luhn.is_valid),
    "iban": iban.is_valid,
    "dk_cpr": cpr.is_valid,
    "us_ssn": ssn.is_valid,
    "isbn": isbn.is_valid,
    "ean": _compacting(ean.is_valid),
    "imei": imei.is_valid,
    "verhoeff": _compacting(verhoeff.is_valid),
    "mod_97_10": _compacting(mod_97_10.is_valid),
    "mod_11_10": _compacting(mod_11_10.is_valid),
    "nl_bsn": bsn.is_valid,
    "se_personnummer": personnummer.is_valid,
    "no_fodselsnummer": fodselsnummer.is_valid,
    "fi_hetu": hetu.is_valid,
    "es_dni": dni.is_valid,
}


def get_validator(name: str) -> Validator:
    """The validator called ``name``; ValueError naming the known ones otherwise."""
    try:
        return VALIDATORS[name]
    except KeyError:
        known = ", ".join(sorted(VALIDATORS))
        raise ValueError(f"Unknown validator {name!r}; choose one of: {known}.") from None


# Issuer prefixes (IIN ranges) and the lengths each network issues.
_ISSUERS: tuple[tuple[str, tuple[tuple[int, int], ...], tuple[int, ...]], ...] = (
    ("visa", ((4, 4),), (13, 16, 19)),
    ("mastercard", ((51, 55), (2221, 2720)), (16,)),
    ("amex", ((34, 34), (37, 37)), (15,)),
    ("discover", ((6011, 6011), (644, 649), (65, 65), (622126, 622925)), (16, 19)),
    ("jcb", ((3528, 3589),), (16, 17, 18, 19)),
    ("jcb", ((1800, 1800), (2131, 2131)), (15,)),
    ("diners", ((300, 305), (36, 36), (38, 39)), (14, 16, 19)),
    ("unionpay", ((62, 62),), (16, 17, 18, 19)),
    ("maestro", ((50, 50), (56, 58), (639, 639), (67, 67)), (12, 13, 14, 15, 16, 17, 18, 19)),
)


def card_issuer(text: str) -> str | None:
    """The card network whose prefix and length ``text`` fits, or None."""
    digits = _digits_only(text)
    for name, ranges, lengths in _ISSUERS:
        if len(digits) not in lengths:
            continue
        for low, high in ranges:
            width = len(str(low))
            if low <= int(digits[:width]) <= high:
                return name
    return None


def is_payment_card(text: str) -> bool:
    """A plausible payment card number: a known issuer's prefix and length, and Luhn."""
    return card_issuer(text) is not None and luhn.is_valid(_digits_only(text))
