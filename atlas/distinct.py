"""Distinct values counted in numpy, from 64-bit values PostgreSQL computes and streams in binary arrays.

``count(DISTINCT ...)`` sorts in one process, and a ``GROUP BY`` over a
million keys builds a hash table of a million entries; PostgreSQL instead
computes one bigint per row in a (parallel) scan, hands them over as
``array_send`` results of about ``VALUES_PER_ARRAY`` each, and numpy sorts
them in milliseconds. Memory holds 8 bytes a row and one array, so callers
fall back to SQL past ``MAX_ROWS``.
"""

from __future__ import annotations

import re

import numpy as np
import psycopg
from psycopg import sql

from atlas.warehouse import PARALLEL_SELECT, local_settings

MAX_ROWS = 10_000_000
# Column names that announce an identifier, a value of its own in every row: tried first
# when looking for a key, or for a column that proves rows distinct.
IDENTIFIER_NAME = re.compile(r"(^|_)(id|key|uuid|guid|code|number|no|ref|reference)$")
VALUES_PER_ARRAY = 1 << 18
ROW_COLUMN = "_atlas_row"
# array_send of a one-dimensional bigint[] (or float8[]) without NULLs: a 20-byte header
# (dimensions, flags, element type, length, lower bound), then per element
# its length and value, big-endian.
_ARRAY_HEADER = 20
INT8_ITEM = np.dtype([("length", ">i4"), ("value", ">i8")])
FLOAT8_ITEM = np.dtype([("length", ">i4"), ("value", ">f8")])


def sent_array(data: bytes | None, item: np.dtype) -> np.ndarray:
    """The values of an ``array_send`` of a bigint[] or float8[] without NULLs, in native byte order.

    An empty array has a 12-byte header and no elements.
    """
    if not data or len(data) <= _ARRAY_HEADER:
        return np.empty(0, dtype=item["value"].newbyteorder("="))
    values = np.frombuffer(data, dtype=item, offset=_ARRAY_HEADER)["value"]
    return values.astype(values.dtype.newbyteorder("="))


def count_distinct(values: np.ndarray) -> int:
    """How many different values ``values`` holds (sorted in place)."""
    if not len(values):
        return 0
    values.sort()
    return int(np.count_nonzero(values[1:] != values[:-1])) + 1


def row_values(
    conn: psycopg.Connection,
    relation: sql.Composable,
    where: sql.Composable,
    value: sql.Composable,
    rows: int,
) -> np.ndarray:
    """The bigint ``value`` of every row of ``relation`` where ``where`` holds, as a numpy array.

    ``rows`` (about how many rows match) sizes the arrays; the rows are
    split among them by their ``_atlas_row``.
    """
    arrays = max(-(-rows // VALUES_PER_ARRAY), 1)
    # The fence (OFFSET 0) keeps the planner from sorting whole rows by their array: it computes the
    # values first, then groups 16-byte pairs, with enable_sort off, in a hash table of a few entries.
    query = sql.SQL(
        "SELECT array_send(array_agg(v)) FROM (SELECT {row} % {arrays} AS a, {value} AS v "
        "FROM {relation} WHERE {where} OFFSET 0) s GROUP BY a"
    ).format(
        row=sql.Identifier(ROW_COLUMN), arrays=sql.Literal(arrays), value=value,
        relation=relation, where=where,
    )
    parts = [np.empty(0, dtype=np.int64)]
    # A plain cursor (Django's are client-side ones) receives the arrays as bytes, not hex text,
    # and one at a time.
    with psycopg.Cursor(conn) as cur, local_settings(cur, {"enable_sort": "off", **PARALLEL_SELECT}):
        for (data,) in cur.stream(query, binary=True):
            parts.append(sent_array(data, INT8_ITEM))
    return np.concatenate(parts)


def identifying_value(column: str, is_text: bool) -> sql.Composable:
    """A bigint per row that differs wherever the column's values differ.

    Integers are their own value; text is hashed. Different hashes mean
    different values; equal ones may be a collision, which can only make a
    proof of distinctness fail, never succeed wrongly.
    """
    ident = sql.Identifier(column)
    return sql.SQL("hashtextextended({}, 0)").format(ident) if is_text else ident


def all_distinct(
    conn: psycopg.Connection,
    relation: sql.Composable,
    where: sql.Composable,
    values: sql.Composable,
    rows: int,
) -> bool:
    """True when ``values`` (bigints, never NULL where ``where`` holds) differ in each of ``rows`` rows."""
    found = row_values(conn, relation, where, values, rows)
    return len(found) == rows and count_distinct(found) == rows
