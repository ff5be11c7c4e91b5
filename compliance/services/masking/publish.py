"""Masks applied in Python right after the navigate insert, inside the run's transaction.

Two kinds of column need it: free text, where only the personal spans of a
cell change (presidio-anonymizer, per-entity operators), and encryption
(Fernet is not available in SQL). Only this run's navigate rows are read;
for free text only those whose text matches one of the entities' patterns.
Changed values go back through ``COPY`` into a temporary table and one
``UPDATE … FROM``, so nothing else in navigate is touched and no reader ever
sees the raw values (the transaction commits masked rows only).
"""
from __future__ import annotations

import functools
from collections.abc import Callable, Iterator

from psycopg import sql

from atlas import warehouse
from compliance.choices import MaskingAction
from compliance.services import crypto
from compliance.services.masking.expressions import MASK_PREFIX
from compliance.services.masking.plan import ColumnMask

BATCH = 10_000
TEMP = sql.Identifier("atlas_pii_masked")


@functools.cache
def _anonymizer():
    from presidio_anonymizer import AnonymizerEngine

    return AnonymizerEngine()


def mask_value(value: str, visible: int) -> str:
    """The partial mask, as the SQL ``mask`` action writes it."""
    if visible > 0 and len(value) > 2 * visible:
        return MASK_PREFIX + value[-visible:]
    return MASK_PREFIX


def _operator(entity: str, action: str, visible: int, box):
    from presidio_anonymizer.entities import OperatorConfig

    if action == MaskingAction.REDACT:
        return OperatorConfig("replace", {"new_value": f"<{entity}>"})
    if action == MaskingAction.MASK:
        return OperatorConfig("custom", {"lambda": lambda text: mask_value(text, visible)})
    if action == MaskingAction.HASH:
        key = crypto.conf.pseudonym_key()
        return OperatorConfig("custom", {"lambda": lambda text: crypto.pseudonym(text, key)})
    if action == MaskingAction.ENCRYPT:
        return OperatorConfig("custom", {"lambda": lambda text: crypto.encrypt(text, box)})
    return OperatorConfig("keep")


def text_masker(mask: ColumnMask, detector) -> Callable[[str], str | None]:
    """A function from a cell to its anonymized text (None when nothing in it is masked)."""
    from presidio_anonymizer.entities import RecognizerResult

    box = crypto.fernet()
    operators = {entity: _operator(entity, action, visible, box)
                 for entity, (action, visible) in mask.entities.items()}
    engine = _anonymizer()

    def apply(text: str) -> str | None:
        spans = [RecognizerResult(entity, start, end, score)
                 for entity, start, end, score in detector.cell_entities(text) if entity in operators]
        if not spans:
            return None
        result = engine.anonymize(text=text, analyzer_results=spans, operators=operators).text
        return result if result != text else None

    return apply


def value_encrypter() -> Callable[[str], str | None]:
    box = crypto.fernet()
    return lambda text: crypto.encrypt(text, box)


def _rows(cursor, table: str, run_id: int, mask: ColumnMask) -> Iterator[list[tuple[int, str]]]:
    column = sql.Identifier(mask.warehouse_name)
    condition = sql.SQL("{} IS NOT NULL").format(column)
    patterns: list[str] = []
    if mask.free_text and mask.patterns and all(mask.patterns):
        patterns = list(mask.patterns)
        matches = sql.SQL(" OR ").join(sql.SQL("{} ~ %s").format(column) for _ in patterns)
        condition = sql.SQL("{} AND ({})").format(condition, matches)
    query = sql.SQL("SELECT _atlas_row, {} FROM {} WHERE _atlas_run_id = %s AND {}").format(
        column, warehouse.table("navigate", table), condition)
    with cursor.connection.cursor(name="atlas_pii_mask_read") as reader:
        reader.execute(query, [run_id, *patterns])
        while batch := reader.fetchmany(BATCH):
            yield batch


def _write_back(cursor, table: str, run_id: int, column: str, changed: list[tuple[int, str]]) -> None:
    with cursor.copy(sql.SQL("COPY {} (row_number, value) FROM STDIN").format(TEMP)) as copy:
        for row in changed:
            copy.write_row(row)


def apply_column(cursor, table: str, run_id: int, mask: ColumnMask, detector) -> int:
    """Mask one column of this run's navigate rows in Python; returns how many cells changed."""
    transform = text_masker(mask, detector) if mask.free_text else value_encrypter()
    cursor.execute(sql.SQL("CREATE TEMP TABLE IF NOT EXISTS {} (row_number bigint, value text) "
                           "ON COMMIT DROP").format(TEMP))
    cursor.execute(sql.SQL("TRUNCATE {}").format(TEMP))
    changed_total = 0
    for batch in _rows(cursor, table, run_id, mask):
        changed = [(row, new) for row, text in batch if (new := transform(text)) is not None]
        if changed:
            _write_back(cursor, table, run_id, mask.warehouse_name, changed)
            changed_total += len(changed)
    if changed_total:
        cursor.execute(
            sql.SQL("UPDATE {nav} n SET {col} = m.value FROM {temp} m "
                    "WHERE n._atlas_run_id = %s AND n._atlas_row = m.row_number").format(
                nav=warehouse.table("navigate", table), col=sql.Identifier(mask.warehouse_name), temp=TEMP),
            [run_id],
        )
    return changed_total
