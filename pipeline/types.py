"""Column types: inference over Arrow batches, and the SQL that casts explore text into chart.

The patterns are written in the subset that both RE2 (Arrow) and PostgreSQL's
regular expressions understand, so what inference accepts, the cast accepts.
"""

from __future__ import annotations

import pyarrow as pa
import pyarrow.compute as pc
from psycopg import sql

from catalog.choices import ColumnType

PG_TYPES: dict[str, str] = {
    ColumnType.INTEGER: "bigint",
    ColumnType.DECIMAL: "numeric",
    ColumnType.BOOLEAN: "boolean",
    ColumnType.DATE: "date",
    ColumnType.TIMESTAMP: "timestamptz",
    ColumnType.TEXT: "text",
}
TYPE_FOR_PG: dict[str, str] = {pg: t for t, pg in PG_TYPES.items()} | {
    "timestamp with time zone": ColumnType.TIMESTAMP
}

# The words a boolean column may hold (any case, as PostgreSQL reads them).
BOOLEAN_WORDS = ("true", "false", "t", "f", "yes", "no", "y", "n")
# Leading zeros keep a value text: "01234" is a postcode, not the number 1234.
PATTERNS: dict[str, str] = {
    ColumnType.INTEGER: r"^\s*[+-]?(0|[1-9][0-9]{0,17})\s*$",
    # A mantissa needs a digit: "e5" or "E12" are codes, not numbers (PostgreSQL refuses them).
    ColumnType.DECIMAL: r"^\s*[+-]?((0|[1-9][0-9]*)(\.[0-9]+)?|\.[0-9]+)([eE][+-]?[0-9]{1,3})?\s*$",
    ColumnType.BOOLEAN: rf"^\s*({'|'.join(BOOLEAN_WORDS)})\s*$",
    ColumnType.DATE: r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}\s*$",
    ColumnType.TIMESTAMP: (
        r"^\s*[0-9]{4}-[0-9]{2}-[0-9]{2}([T ][0-9]{2}:[0-9]{2}(:[0-9]{2}(\.[0-9]{1,9})?)?"
        r"\s*(Z|z|UTC|[+-][0-9]{2}(:?[0-9]{2})?)?)?\s*$"
    ),
}
CASE_INSENSITIVE = {ColumnType.BOOLEAN}
_LOWER_BOOLEAN_WORDS = pa.array(BOOLEAN_WORDS)
# Inference tries the narrowest type of each family first; a value that fits the
# narrow type also fits the wide one, so a family only widens, never restarts.
FAMILIES: tuple[tuple[str, ...], ...] = (
    (ColumnType.BOOLEAN,),
    (ColumnType.INTEGER, ColumnType.DECIMAL),
    (ColumnType.DATE, ColumnType.TIMESTAMP),
)
PREFERENCE = (
    ColumnType.BOOLEAN,
    ColumnType.INTEGER,
    ColumnType.DECIMAL,
    ColumnType.DATE,
    ColumnType.TIMESTAMP,
)


def _plainly_matches_all(values: pa.Array, column_type: str) -> bool:
    """True when cheap kernels prove every value matches the type's pattern (False: they cannot tell).

    Most integer and boolean columns are plain ASCII digits or lower-case words, which these
    kernels check several times faster than the regular expression.
    """
    if column_type == ColumnType.INTEGER:
        if not pc.all(pc.ascii_is_decimal(values)).as_py():
            return False
        lengths = pc.binary_length(values)
        if pc.max(lengths).as_py() > 18:
            return False
        leading_zero = pc.and_(pc.starts_with(values, "0"), pc.greater(lengths, 1))
        return not pc.any(leading_zero).as_py()
    if column_type == ColumnType.BOOLEAN:
        return pc.all(pc.is_in(values, value_set=_LOWER_BOOLEAN_WORDS)).as_py()
    return False


def _matches_all(values: pa.Array, column_type: str) -> bool:
    if _plainly_matches_all(values, column_type):
        return True
    matched = pc.match_substring_regex(
        values, PATTERNS[column_type], ignore_case=column_type in CASE_INSENSITIVE
    )
    if not pc.all(matched).as_py():
        return False
    # A date-shaped value that is no real date (2024-02-30) is no timestamp either: the column
    # stays a date and chart sets that row aside, rather than widening the whole column.
    return True


class ColumnTypeInference:
    """Narrows one column's type as batches stream past; whatever no family survives is text."""

    def __init__(self) -> None:
        # Per family, the index of the narrowest member still possible (None: family ruled out).
        self._alive: dict[int, int | None] = {i: 0 for i in range(len(FAMILIES))}
        self.non_empty = 0
        # Whitespace-only values are empty, but only btrim() makes PostgreSQL see them so.
        self.has_blank_padding = False

    def observe(self, array: pa.Array) -> None:
        if all(member is None for member in self._alive.values()):
            return  # text whatever comes next
        values = array.drop_null()
        if len(values) == 0:
            return
        values = values.filter(pc.not_equal(values, ""))
        blank = pc.utf8_is_space(values)
        if pc.any(blank).as_py():
            self.has_blank_padding = True
            values = values.filter(pc.invert(blank))
        if len(values) == 0:
            return
        self.non_empty += len(values)
        for family_index, member in self._alive.items():
            family = FAMILIES[family_index]
            while member is not None and not _matches_all(values, family[member]):
                member = member + 1 if member + 1 < len(family) else None
            self._alive[family_index] = member

    def result(self) -> str:
        if self.non_empty == 0:
            return ColumnType.TEXT
        survivors = {FAMILIES[f][m] for f, m in self._alive.items() if m is not None}
        for column_type in PREFERENCE:
            if column_type in survivors:
                return column_type
        return ColumnType.TEXT


def cast_expression(
    column: str, column_type: str, source_alias: str = "e", *, trim: bool = True
) -> sql.Composable:
    """The SQL that turns explore's text into chart's type; empty text becomes NULL.

    PostgreSQL's input functions ignore surrounding spaces themselves, so ``btrim``
    is only needed (``trim``) when the column has whitespace-only values.
    """
    ref = sql.Identifier(source_alias, column)
    if column_type == ColumnType.TEXT:
        return sql.SQL("NULLIF({}, '')").format(ref)
    template = "NULLIF(btrim({}), '')::{}" if trim else "NULLIF({}, '')::{}"
    return sql.SQL(template).format(ref, sql.SQL(PG_TYPES[column_type]))


def valid_expression(column: str, column_type: str, source_alias: str = "e") -> sql.Composable:
    """True when the explore value is empty or casts cleanly to ``column_type``."""
    ref = sql.Identifier(source_alias, column)
    if column_type == ColumnType.TEXT:
        return sql.SQL("true")
    # PostgreSQL also reads words as numbers and dates ('NaN', 'Infinity', 'today', 'epoch');
    # in received data they are mistakes, so a valid number or date holds a digit.
    digit = sql.SQL("") if column_type == ColumnType.BOOLEAN else sql.SQL(" AND {} ~ '[0-9]'").format(ref)
    return sql.SQL(
        "(btrim(coalesce({ref}, '')) = '' OR (atlas_input_is_valid(btrim({ref}), {type}){digit}))"
    ).format(ref=ref, type=sql.Literal(PG_TYPES[column_type]), digit=digit)
