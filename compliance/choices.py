"""Compliance choices: finding status, masking actions, audit actions, the built-in entities."""
from django.db import models


class FindingStatus(models.TextChoices):
    """Where a PII finding stands in review."""

    SUGGESTED = "suggested", "Suggested"
    CONFIRMED = "confirmed", "Confirmed"
    REJECTED = "rejected", "Rejected"


class ReviewDecision(models.TextChoices):
    """What a steward can decide about a finding."""

    CONFIRM = "confirm", "Confirm"
    REJECT = "reject", "Reject"
    RESET = "reset", "Back to suggested"


class MaskingAction(models.TextChoices):
    """What publishing to navigate does with a personal-data column."""

    KEEP = "keep", "Keep as is"
    REDACT = "redact", "Redact (null)"
    MASK = "mask", "Mask (partial, e.g. ****1234)"
    HASH = "hash", "Hash (keyed HMAC-SHA256, joins still work)"
    ENCRYPT = "encrypt", "Encrypt (reversible by privacy officers)"
    DROP = "drop", "Drop the column"


class AuditAction(models.TextChoices):
    """What a PII audit event records."""

    REVIEW = "review", "Finding reviewed"
    RESUGGEST = "resuggest", "Finding re-suggested (content changed)"
    POLICY = "policy", "Masking policy changed"
    OVERRIDE = "override", "Column masking override changed"
    RECOGNIZER = "recognizer", "Custom recognizer changed"
    DECRYPT = "decrypt", "Value decrypted"
    RESCAN = "rescan", "Dataset rescanned"


class PiiEntity(models.TextChoices):
    """The entities Atlas's detector finds out of the box (Presidio names); stewards may add more."""

    EMAIL_ADDRESS = "EMAIL_ADDRESS", "E-mail address"
    PHONE_NUMBER = "PHONE_NUMBER", "Phone number"
    PERSON = "PERSON", "Person name"
    LOCATION = "LOCATION", "Location / address"
    US_SSN = "US_SSN", "US social security number"
    CREDIT_CARD = "CREDIT_CARD", "Payment card number"
    IBAN_CODE = "IBAN_CODE", "IBAN"
    IP_ADDRESS = "IP_ADDRESS", "IP address"
    DK_CPR = "DK_CPR", "Danish CPR number"
    DATE_OF_BIRTH = "DATE_OF_BIRTH", "Date of birth"
    URL = "URL", "URL"


# Policies a fresh installation starts with (a data migration creates them; privacy officers edit them).
DEFAULT_POLICIES: dict[str, str] = {
    PiiEntity.EMAIL_ADDRESS: MaskingAction.HASH,
    PiiEntity.PHONE_NUMBER: MaskingAction.MASK,
    PiiEntity.PERSON: MaskingAction.HASH,
    PiiEntity.LOCATION: MaskingAction.REDACT,
    PiiEntity.US_SSN: MaskingAction.MASK,
    PiiEntity.CREDIT_CARD: MaskingAction.MASK,
    PiiEntity.IBAN_CODE: MaskingAction.MASK,
    PiiEntity.IP_ADDRESS: MaskingAction.HASH,
    PiiEntity.DK_CPR: MaskingAction.HASH,
    PiiEntity.DATE_OF_BIRTH: MaskingAction.MASK,
    PiiEntity.URL: MaskingAction.KEEP,
}
