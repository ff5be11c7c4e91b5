"""Changing masking policies, overrides and recognizers, and decrypting values: each with an audit line."""
from __future__ import annotations

from django.db import models

from compliance.choices import AuditAction
from compliance.models import ColumnMaskingOverride, CustomRecognizer, MaskingPolicy
from compliance.services import audit, crypto

ACTIONS = {MaskingPolicy: AuditAction.POLICY, ColumnMaskingOverride: AuditAction.OVERRIDE,
           CustomRecognizer: AuditAction.RECOGNIZER}
EFFECT = "takes effect on the next run"


def _fields(instance: models.Model) -> dict:
    return {f.name: str(getattr(instance, f.attname)) for f in instance._meta.concrete_fields
            if f.name not in ("id", "updated", "created", "updated_by", "created_by")}


def snapshot(instance: models.Model | None) -> dict:
    """The audited fields of ``instance`` (empty for None), to diff after a change."""
    return _fields(instance) if instance is not None and instance.pk else {}


def record_change(instance: models.Model, user, before: dict, *, deleted: bool = False) -> None:
    """An audit event for a created, changed or deleted policy, override or recognizer."""
    after = {} if deleted else _fields(instance)
    changed = {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}
    verb = "deleted" if deleted else ("created" if not before else "changed")
    dataset = column = None
    if isinstance(instance, ColumnMaskingOverride):
        column = instance.column
        dataset = column.dataset
    audit.record(ACTIONS[type(instance)], f"{type(instance)._meta.verbose_name} {instance} {verb}; {EFFECT}",
                 actor=user, dataset=dataset, column=column, changes=changed,
                 before=before if deleted else {})


def decrypt_value(token: str, user, *, dataset=None, column=None, reason: str = "") -> str:
    """The plain value of an encrypted navigate cell; every call (even a failed one) is audited."""
    try:
        value = crypto.decrypt(token)
    except crypto.DecryptionError:
        audit.record(AuditAction.DECRYPT, "decryption refused: not a valid token", actor=user,
                     dataset=dataset, column=column, ok=False, reason=reason[:300])
        raise
    where = f" of {column}" if column is not None else (f" in {dataset}" if dataset is not None else "")
    audit.record(AuditAction.DECRYPT, f"value{where} decrypted", actor=user, dataset=dataset, column=column,
                 ok=True, reason=reason[:300], token_prefix=token.strip()[:16])
    return value
