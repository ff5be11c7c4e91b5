"""Keys for pseudonymisation (keyed HMAC-SHA256) and reversible encryption (Fernet).

The hash policy is HMAC-SHA256 (RFC 2104) computed inside PostgreSQL with
the built-in ``sha256()``: ``sha256((K ^ opad) || sha256((K ^ ipad) || m))``.
The two padded keys are derived here, so no extension (pgcrypto) is needed
and the embedded PostgreSQL, which ships without pgcrypto, works the same.
The result equals Python's ``hmac.new(key, value, sha256).hexdigest()``, so
the same value hashes to the same pseudonym in every dataset and joins work.

Encryption uses Fernet (AES-128-CBC + HMAC) with the keys in
``ATLAS_ENCRYPTION_KEYS`` (newest first, older ones kept for decryption);
without it a key is derived from ``SECRET_KEY``. Values that are not Fernet
keys are stretched into one with SHA-256, so any secret string works.
"""
from __future__ import annotations

import base64
import hashlib
import hmac

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from django.conf import settings

from compliance import conf

BLOCK_SIZE = 64  # SHA-256 block size in bytes
TOKEN_PREFIX = "gAAAA"  # every Fernet token starts with version byte 0x80 + timestamp: base64 "gAAAA"


class DecryptionError(Exception):
    """The text is not a token Atlas's keys can open."""


def hmac_pads(key: bytes | None = None) -> tuple[bytes, bytes]:
    """``(K ^ ipad, K ^ opad)`` for HMAC-SHA256 with ``key`` (the pseudonym key by default)."""
    key = conf.pseudonym_key() if key is None else key
    if len(key) > BLOCK_SIZE:
        key = hashlib.sha256(key).digest()
    key = key.ljust(BLOCK_SIZE, b"\0")
    return bytes(b ^ 0x36 for b in key), bytes(b ^ 0x5C for b in key)


def pseudonym(value: str, key: bytes | None = None) -> str:
    """The hex HMAC-SHA256 of ``value``: what the hash policy writes in SQL, computed in Python."""
    key = conf.pseudonym_key() if key is None else key
    return hmac.new(key, value.encode("utf-8"), hashlib.sha256).hexdigest()


def _fernet_key(secret: str) -> bytes:
    try:
        if len(base64.urlsafe_b64decode(secret.encode())) == 32:
            return secret.encode()
    except (ValueError, TypeError):
        pass
    return base64.urlsafe_b64encode(hashlib.sha256(b"atlas-pii-encryption:" + secret.encode()).digest())


def fernet() -> MultiFernet:
    """A MultiFernet over ATLAS_ENCRYPTION_KEYS (or the SECRET_KEY-derived key): encrypts with the first."""
    secrets = conf.encryption_keys() or [settings.SECRET_KEY]
    return MultiFernet([Fernet(_fernet_key(secret)) for secret in secrets])


def encrypt(value: str, box: MultiFernet | None = None) -> str:
    """A Fernet token (text) for ``value``."""
    return (box or fernet()).encrypt(value.encode("utf-8")).decode("ascii")


def decrypt(token: str, box: MultiFernet | None = None) -> str:
    """The value inside ``token``; DecryptionError when no configured key opens it."""
    try:
        return (box or fernet()).decrypt(token.strip().encode("ascii")).decode("utf-8")
    except (InvalidToken, UnicodeError, ValueError) as exc:
        raise DecryptionError(
            "This is not a value Atlas encrypted with its current keys (ATLAS_ENCRYPTION_KEYS). "
            "Copy the whole token from navigate; if keys were rotated, list the old key after the new one."
        ) from exc
