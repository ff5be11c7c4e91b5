"""SQL for structured masks: one expression per column over the chart alias ``c``, vectorized.

``navigate_expressions`` (``pipeline.stages.base.RunContext``) takes
``(expression, PostgreSQL type)``. The HMAC keys travel in transaction-local
settings (``set_config(…, true)`` with bound parameters), so they never
appear in statement text, ``pg_stat_activity`` or the server log.
"""
from __future__ import annotations

from psycopg import sql

from catalog.choices import ColumnType
from compliance.choices import MaskingAction
from compliance.services import crypto
from compliance.services.masking.plan import ColumnMask
from pipeline.types import PG_TYPES

IPAD_SETTING = "atlas.pii_hmac_ipad"
OPAD_SETTING = "atlas.pii_hmac_opad"
MASK_PREFIX = "****"


def set_hmac_keys(cursor) -> None:
    """Put the pseudonym key's HMAC pads in this transaction's settings (needed by ``hash`` expressions)."""
    ipad, opad = crypto.hmac_pads()
    cursor.execute("SELECT set_config(%s, %s, true), set_config(%s, %s, true)",
                   [IPAD_SETTING, ipad.hex(), OPAD_SETTING, opad.hex()])


def _pad(setting: str) -> sql.Composable:
    # A scalar subquery: PostgreSQL decodes the key once per statement, not once per row.
    return sql.SQL("(SELECT decode(current_setting({}), 'hex'))").format(sql.Literal(setting))


def hmac_sha256(value: sql.Composable) -> sql.Composable:
    """Hex HMAC-SHA256 of a text expression with the pseudonym key (RFC 2104 over built-in sha256)."""
    return sql.SQL("encode(sha256({opad} || sha256({ipad} || convert_to({value}, 'UTF8'))), 'hex')").format(
        opad=_pad(OPAD_SETTING), ipad=_pad(IPAD_SETTING), value=value)


def partial_mask(value: sql.Composable, visible: int) -> sql.Composable:
    """``****`` plus the last ``visible`` characters; just ``****`` when the value is too short to hide."""
    if visible <= 0:
        return sql.SQL("CASE WHEN {v} IS NULL THEN NULL ELSE {p} END").format(
            v=value, p=sql.Literal(MASK_PREFIX))
    return sql.SQL(
        "CASE WHEN {v} IS NULL THEN NULL WHEN length({v}) > {twice} THEN {p} || right({v}, {k}) ELSE {p} END"
    ).format(v=value, twice=sql.Literal(2 * visible), p=sql.Literal(MASK_PREFIX), k=sql.Literal(visible))


def expression(mask: ColumnMask) -> tuple[sql.Composable, str] | None:
    """The navigate expression and type for a structured mask; None for keep, drop and free text."""
    if mask.free_text or mask.action in (MaskingAction.KEEP, MaskingAction.DROP):
        return None
    ref = sql.Identifier("c", mask.warehouse_name)
    pg_type = PG_TYPES.get(mask.data_type, "text")
    text = sql.SQL("{}::text").format(ref)
    if mask.action == MaskingAction.REDACT:
        return sql.SQL("NULL::{}").format(sql.SQL(pg_type)), pg_type
    if mask.action == MaskingAction.MASK:
        if mask.data_type == ColumnType.DATE:
            # A date keeps its year only: birth year cohorts still work, the day that identifies does not.
            return sql.SQL("date_trunc('year', {})::date").format(ref), pg_type
        if mask.data_type == ColumnType.TIMESTAMP:
            return sql.SQL("date_trunc('year', {})").format(ref), pg_type
        return partial_mask(text, mask.visible_chars), "text"
    if mask.action == MaskingAction.HASH:
        return hmac_sha256(text), "text"
    if mask.action == MaskingAction.ENCRYPT:
        return text, "text"  # encrypted in Python right after the insert (masking.publish)
    raise ValueError(f"unknown masking action {mask.action!r}")
