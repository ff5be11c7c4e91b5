"""PII settings, read from Django settings with defaults from the environment.

Each name may be set in ``atlas/settings.py``; where it is not, the
environment variable of the same name (or the default) applies, so the
compliance app works before the settings module knows about it.
"""
from __future__ import annotations

import os

from django.conf import settings

DEFAULT_SAMPLE_SIZE = 500
DEFAULT_MASK_SUGGESTED_CONFIDENCE = 0.8
DEFAULT_MATERIAL_SHARE_CHANGE = 0.2
DEFAULT_ALERT_ENTITIES = ("CREDIT_CARD", "US_SSN", "DK_CPR", "IBAN_CODE")


def _value(name: str, default):
    value = getattr(settings, name, None)
    if value is None or value == "":
        value = os.environ.get(name, "")
    return default if value is None or value == "" else value


def sample_size() -> int:
    """Non-null values per column the detector reads (ATLAS_PII_SAMPLE_SIZE, default 500)."""
    return max(1, int(_value("ATLAS_PII_SAMPLE_SIZE", DEFAULT_SAMPLE_SIZE)))


def mask_suggested_confidence() -> float:
    """Suggested findings at or above this confidence mask (ATLAS_PII_MASK_SUGGESTED_CONFIDENCE)."""
    return float(_value("ATLAS_PII_MASK_SUGGESTED_CONFIDENCE", DEFAULT_MASK_SUGGESTED_CONFIDENCE))


def material_share_change() -> float:
    """A decided finding is re-suggested when its share moves this much (ATLAS_PII_MATERIAL_CHANGE)."""
    return float(_value("ATLAS_PII_MATERIAL_CHANGE", DEFAULT_MATERIAL_SHARE_CHANGE))


def spacy_model() -> str | None:
    """The spaCy model for NER (ATLAS_PII_SPACY_MODEL); None runs pattern and word-list recognizers only."""
    return _value("ATLAS_PII_SPACY_MODEL", None) or None


def alert_entities() -> tuple[str, ...]:
    """Entities whose unmasked presence in navigate raises an alert (ATLAS_PII_ALERT_ENTITIES)."""
    value = _value("ATLAS_PII_ALERT_ENTITIES", DEFAULT_ALERT_ENTITIES)
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    return tuple(value)


def pseudonym_key() -> bytes:
    """The HMAC key for the hash policy: ATLAS_PSEUDONYM_KEY, or one derived from SECRET_KEY."""
    key = _value("ATLAS_PSEUDONYM_KEY", "")
    if key:
        return key.encode()
    import hashlib

    return hashlib.sha256(b"atlas-pseudonym:" + settings.SECRET_KEY.encode()).digest()


def encryption_keys() -> list[str]:
    """ATLAS_ENCRYPTION_KEYS, newest first (a list in settings or a comma-separated variable)."""
    value = _value("ATLAS_ENCRYPTION_KEYS", [])
    if isinstance(value, str):
        value = [part.strip() for part in value.split(",") if part.strip()]
    return list(value)
