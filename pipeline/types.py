"""Column types: inference over Arrow batches, and the SQL that casts explore text into chart.

The patterns are written in the subset that both RE2 (Arrow) and PostgreSQL's
regular expressions understand, so what inference accepts, the cast accepts.
"""

from __future__ import annotations

import numpy as np
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


def int64_array(values: np.ndarray) -> pa.Array:
    """An Arrow int64 array over a numpy one's memory.

    ``pa.array`` would import pandas (a quarter of a second) to ask whether the
    values are a pandas object; a run never needs pandas otherwise.
    """
    values = np.ascontiguousarray(values, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(values), [None, pa.py_buffer(values)])


def string_array(words: tuple[str, ...]) -> pa.Array:
    """An Arrow string array of ``words``, built from its buffers (see ``int64_array``)."""
    encoded = [word.encode() for word in words]
    offsets = np.cumsum([0] + [len(word) for word in encoded], dtype=np.int32)
    return pa.Array.from_buffers(
        pa.string(), len(words), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(encoded))]
    )


_LOWER_BOOLEAN_WORDS = string_array(BOOLEAN_WORDS)
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


class _Strings:
    """One column's values in a batch, with their UTF-8 bytes and offsets for numpy."""

    def __init__(self, values: pa.Array) -> None:
        self.values = values
        offsets, data = values.buffers()[1:3]
        width = 4 if pa.types.is_string(values.type) else 8
        self.offsets = np.frombuffer(offsets, dtype=np.int32 if width == 4 else np.int64,
                                     count=len(values) + 1, offset=values.offset * width)
        self.data = np.frombuffer(data, dtype=np.uint8) if data is not None else np.empty(0, np.uint8)
        self.starts = self.offsets[:-1]
        self.lengths = np.diff(self.offsets)

    @property
    def window(self) -> np.ndarray:
        """The bytes of every value, back to back."""
        return self.data[self.offsets[0]: self.offsets[-1]]

    @property
    def ascii(self) -> bool:
        """True when every byte of every value is ASCII."""
        window = self.window
        return not len(window) or int(window.max()) < 128

    @property
    def plainly_not_blank(self) -> bool:
        """True when every value starts with a visible ASCII character, so none is all whitespace."""
        first = self.data[self.starts]
        return bool(np.all((first > 32) & (first < 127)))

    def fixed_width(self, template: bytes) -> bool:
        """True when every value has the template's length and, at each place, a character it allows.

        ``9`` stands for a digit, ``T`` for ``T`` or a space, anything else for itself.
        """
        width = len(template)
        if not np.all(self.lengths == width):
            return False
        grid = self.window.reshape(-1, width)
        low, high = _template_bounds(template)
        # Every place of every value against its byte range at once (a digit place 0-9, any other
        # place its own byte); a T place takes a space as well.
        inside = (grid >= low) & (grid <= high)
        for place in (i for i, expected in enumerate(template) if expected == ord("T")):
            inside[:, place] |= grid[:, place] == ord(" ")
        return bool(inside.all())

    def plain_integers(self) -> bool:
        """True when every value is at most 18 ASCII digits without a leading zero."""
        window = self.window
        if self.lengths.max() > 18 or not np.all((window >= 48) & (window <= 57)):
            return False
        return not np.any((self.data[self.starts] == ord("0")) & (self.lengths > 1))

    def non_empty(self) -> _Strings:
        """These strings without the empty ones."""
        if self.lengths.all():
            return self
        return _Strings(self.values.take(int64_array(np.flatnonzero(self.lengths))))

    def plain_decimals(self) -> bool:
        """True when every value is digits around at most one inner or leading point, no leading zero.

        Such values (``12``, ``0.5``, ``.25``, ``1234.5678``) all match the decimal
        pattern; anything else (signs, exponents, spaces) is left to it.
        """
        window = self.window
        point = window == ord(".")
        if not np.all(((window >= 48) & (window <= 57)) | point):
            return False
        if not self.lengths.all():
            return False
        # Points per value (summed as bytes: faster than as booleans); more than one fails.
        per_value = np.add.reduceat(point.view(np.uint8), self.starts - self.offsets[0], dtype=np.int32)
        if np.any(per_value > 1):
            return False
        if np.any(self.data[self.offsets[1:] - 1] == ord(".")):
            return False
        first = self.data[self.starts]
        second = self.data[np.minimum(self.starts + 1, len(self.data) - 1)]
        return not np.any((first == ord("0")) & (self.lengths > 1) & (second != ord(".")))


def _template_bounds(template: bytes) -> tuple[np.ndarray, np.ndarray]:
    """Per place of a ``fixed_width`` template, the lowest and highest byte allowed there."""
    low = np.frombuffer(template, dtype=np.uint8).copy()
    high = low.copy()
    digit = low == ord("9")
    low[digit], high[digit] = ord("0"), ord("9")
    return low, high


def holds_byte(values: pa.Array, byte: int) -> bool:
    """True when the UTF-8 bytes of some value of a string array include ``byte``."""
    if not len(values):
        return False
    return bool(np.any(_Strings(values).window == byte))


# Shapes most dates and timestamps come in, checked a whole batch at a time (see _Strings.fixed_width).
FIXED_WIDTH = {
    ColumnType.DATE: (b"9999-99-99",),
    ColumnType.TIMESTAMP: (b"9999-99-99T99:99:99", b"9999-99-99T99:99", b"9999-99-99"),
}


def _plainly_matches_all(strings: _Strings, column_type: str) -> bool:
    """True when cheap checks prove every value matches the type's pattern (False: they cannot tell).

    Most columns are plain ASCII digits, lower-case words, plain decimals or
    ISO dates of one width, which these checks recognise several times
    faster than the regular expression.
    """
    values = strings.values
    if column_type == ColumnType.INTEGER:
        return strings.plain_integers()
    if column_type == ColumnType.DECIMAL:
        return strings.plain_decimals()
    if column_type == ColumnType.BOOLEAN:
        return pc.all(pc.is_in(values, value_set=_LOWER_BOOLEAN_WORDS)).as_py()
    return any(strings.fixed_width(template) for template in FIXED_WIDTH.get(column_type, ()))


def _matches_all(strings: _Strings, column_type: str) -> bool:
    if _plainly_matches_all(strings, column_type):
        return True
    matched = pc.match_substring_regex(
        strings.values, PATTERNS[column_type], ignore_case=column_type in CASE_INSENSITIVE
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
        self.ascii_only = True

    def observe(self, array: pa.Array) -> None:
        if len(array) == array.null_count:
            return
        if self.ascii_only and not _Strings(array).ascii:
            self.ascii_only = False
        if all(member is None for member in self._alive.values()):
            return  # text whatever comes next
        values = array.drop_null() if array.null_count else array
        # pc.not_equal(values, "") would import pandas to convert the "" (see int64_array).
        strings = _Strings(values).non_empty()
        if not strings.plainly_not_blank:
            blank = pc.utf8_is_space(strings.values)
            if pc.any(blank).as_py():
                self.has_blank_padding = True
                strings = _Strings(strings.values.filter(pc.invert(blank)))
        if len(strings.values) == 0:
            return
        self.non_empty += len(strings.values)
        for family_index, member in self._alive.items():
            family = FAMILIES[family_index]
            while member is not None and not _matches_all(strings, family[member]):
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
