"""What a column's header says about its content, in the languages Atlas meets.

A header that names an entity raises confidence (and lets a weaker share
through); a header that names something else ("version", "created_at")
vetoes the look-alike reading (IP address, date of birth).
"""
from __future__ import annotations

import functools
import re

_SUGGESTS: dict[str, str] = {
    "EMAIL_ADDRESS": r"\be ?mail|email|courriel|epost|mailadresse",
    "PHONE_NUMBER": r"phone|\btel\b|telef|\bmobil|\bcell\b|\bcellular|\btlf\b|\bfax\b|\bhandy\b|msisdn",
    "PERSON": r"\bname\b|\bnavn\b|vorname|nachname|fornavn|efternavn|surname|firstname|lastname|fullname|"
              r"given name|family name|\bholder\b|\bnom\b|prenom|nombre|apellido|cognome|contact person",
    "LOCATION": r"address|\baddr|street|\bcity\b|\btown\b|adresse|strasse|straße|\bvej\b|\bort\b|\bstadt\b|"
                r"\bville\b|ciudad|citta|^by$",
    "US_SSN": r"\bssn|social security|soc sec",
    "CREDIT_CARD": r"card|\bcc\b|\bpan\b|kreditkart|kortnummer|\bkort\b",
    "IBAN_CODE": r"iban|bank account|kontonummer|\bkonto\b|account number",
    "IP_ADDRESS": r"\bip\b|\bipv[46]\b|\bip6\b|ip ?addr|remote addr|client addr|ipaddress",
    "DK_CPR": r"\bcpr|personnummer|person nr",
    "DATE_OF_BIRTH": r"birth|\bdob\b|\bborn\b|bday|fodsel|foedsel|fødsel|geburt|naissance|nacimiento|nascita|"
                     r"fodelse|födelse",
    "URL": r"\burl\b|website|homepage|\bweb\b|\blink\b|\bblog\b|profile|\bsite\b|linkedin|twitter",
}

# Words in the header that say the column is something else than the entity.
_EXCLUDES: dict[str, str] = {
    "PERSON": r"\b(product|company|file|user|item|brand|category|street|domain|host|firm|vendor|supplier|"
              r"bank|"
              r"app|city|country|display|business|org|organisation|organization|project|dataset|table|column|"
              r"field|model|device|server|job|campaign)\b",
    "LOCATION": r"\b(ip|mac|email|e mail|web|url|wallet|mail)\b",
    "CREDIT_CARD": r"\b(type|brand|expiry|expires|holder|sim)\b",
    "IP_ADDRESS": r"version|\bver\b|release|\bbuild\b|firmware|\bv\b|semver",
    "DATE_OF_BIRTH": r"created|updated|modified|order|invoice|signup|sign up|registered|hire|start|\bend\b|"
                     r"due|"
                     r"expir|valid|ship|deliver|payment|paid|added|\bat\b|timestamp|time|last|seen|joined|since|"
                     r"employed|visit|admission|appointment|event|closed|opened|issued|date of order",
}


@functools.lru_cache(maxsize=4096)
def normalise(header: str) -> str:
    """'CustomerEmail_Address' -> 'customer email address'."""
    spaced = re.sub(r"(?<=[a-zæøåäöü])(?=[A-Z])", " ", header)
    return " ".join(re.split(r"[^0-9a-zæøåäöüß]+", spaced.lower())).strip()


def header_words(header: str) -> list[str]:
    """Header words for Presidio's context matching, plus the whole header squeezed together."""
    words = normalise(header).split()
    return words + ["".join(words)] if len(words) > 1 else words


@functools.lru_cache(maxsize=4096)
def suggests(entity: str, header: str) -> bool:
    """True when the header names ``entity`` (and nothing that rules it out)."""
    norm = normalise(header)
    pattern = _SUGGESTS.get(entity)
    if not pattern or not re.search(pattern, norm):
        return False
    return not vetoes(entity, header)


@functools.lru_cache(maxsize=4096)
def vetoes(entity: str, header: str) -> bool:
    """True when the header names something that ``entity`` is a look-alike of."""
    pattern = _EXCLUDES.get(entity)
    return bool(pattern and re.search(pattern, normalise(header)))
