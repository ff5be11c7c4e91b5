"""Type inference over Arrow text, and the cast SQL that must agree with it in PostgreSQL."""

from __future__ import annotations

import pyarrow as pa
import pytest
from django.db import connection
from psycopg import sql

from catalog.choices import ColumnType
from pipeline.types import PATTERNS, PG_TYPES, ColumnTypeInference, cast_expression, valid_expression

INTEGER, DECIMAL, BOOLEAN = ColumnType.INTEGER, ColumnType.DECIMAL, ColumnType.BOOLEAN
DATE, TIMESTAMP, TEXT = ColumnType.DATE, ColumnType.TIMESTAMP, ColumnType.TEXT


def infer(*batches: list[str | None]) -> str:
    inference = ColumnTypeInference()
    for values in batches:
        inference.observe(pa.array(values, pa.string()))
    return inference.result()


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["1", "-2", "+3", " 4 "], INTEGER),
        (["0", "999999999999999999"], INTEGER),
        (["9223372036854775808"], DECIMAL),  # past bigint
        (["01234", "2"], TEXT),  # leading zeros: a postcode, not a number
        (["1.5", "2", "-0.25", ".5", "1e5", "2.5E-3"], DECIMAL),
        (["e5", "E12"], TEXT),  # codes, not numbers
        (["1,5"], TEXT),
        (["1 000"], TEXT),
        (["NaN", "Infinity"], TEXT),
        (["true", "FALSE", "Yes", "n", "T", "f"], BOOLEAN),
        (["1", "0"], INTEGER),  # numbers before booleans
        (["2024-01-02", "2000-02-29"], DATE),
        (["2024-01-02", "2024-01-02 10:00"], TIMESTAMP),
        (["2024-01-02T03:04:05Z", "2024-01-02 03:04:05.123456+02:00", "2024-01-02T03:04:05+0530"], TIMESTAMP),
        (["2024-01-02T03:04:05.123456789"], TIMESTAMP),  # nanoseconds, as pandas writes them
        (["2024-01-02 10:00 UTC"], TIMESTAMP),
        (["2024-1-2"], TEXT),
        (["02/01/2024"], TEXT),
        (["20240102"], INTEGER),
        (["a", "1"], TEXT),
        (["", " ", None], TEXT),  # nothing to go on
        (["", "  ", None, "7"], INTEGER),  # blanks are empty, not text
        # Plain digits and lower-case words take a faster path: it must agree with the patterns.
        (["12", "0", "345"], INTEGER),
        (["1234567890123456789"], DECIMAL),  # 19 plain digits: past the 18 an integer may have
        (["12", "007"], TEXT),
        (["\u0663", "12"], TEXT),  # an Arabic-Indic three is a digit, but not one PostgreSQL reads
        (["true", "false", "t"], BOOLEAN),
        (["true", "maybe"], TEXT),
    ],
)
def test_inference(values, expected):
    assert infer(values) == expected


def test_an_impossible_date_keeps_the_column_a_date():
    # 2024-02-30 is date-shaped: the column is a date and chart sets that one row aside.
    assert infer(["2024-01-02", "2024-02-30", "2024-03-01"]) == DATE


def test_inference_only_widens_across_batches():
    assert infer(["1", "2"], ["3.5"], ["4"]) == DECIMAL
    assert infer(["2024-01-01"], ["2024-01-01 10:00"], ["2024-01-03"]) == TIMESTAMP
    assert infer(["1"], ["x"], ["2"]) == TEXT
    assert infer(["true"], ["1"]) == TEXT  # boolean and integer both ruled out


def test_whitespace_only_values_are_noted_so_the_cast_trims():
    inference = ColumnTypeInference()
    inference.observe(pa.array(["1", "   ", "2"]))
    assert inference.result() == INTEGER and inference.has_blank_padding
    plain = ColumnTypeInference()
    plain.observe(pa.array(["1", "", "2"]))
    assert not plain.has_blank_padding


# --- PostgreSQL agrees ------------------------------------------------------------------------------

ACCEPTED = {
    INTEGER: ["1", "-2", "+3", " 4 ", "999999999999999999"],
    DECIMAL: ["1.5", "-0.25", ".5", "1e5", "2.5E-3", "10"],
    BOOLEAN: ["true", "FALSE", "Yes", "n", "T", "f", " y "],
    DATE: ["2024-01-02", "2000-02-29", " 1999-12-31 "],
    TIMESTAMP: [
        "2024-01-02T03:04:05Z",
        "2024-01-02 03:04:05.123456+02:00",
        "2024-01-02T03:04:05+0530",
        "2024-01-02T03:04:05.123456789",
        "2024-01-02 10:00 UTC",
        "2024-01-02",
    ],
}


@pytest.mark.django_db
@pytest.mark.parametrize("column_type", list(ACCEPTED))
def test_what_inference_accepts_postgresql_casts(column_type):
    values = ACCEPTED[column_type]
    assert infer(values) == column_type
    with connection.cursor() as cursor:
        cursor.execute("CREATE TEMP TABLE t (v text)")
        cursor.executemany("INSERT INTO t VALUES (%s)", [[v] for v in values])
        query = sql.SQL("SELECT {}, {} FROM t e").format(
            cast_expression("v", column_type), valid_expression("v", column_type)
        )
        cursor.execute(query.as_string(cursor.connection))
        rows = cursor.fetchall()
    assert all(valid for _, valid in rows)
    assert all(value is not None for value, _ in rows)


@pytest.mark.django_db
def test_cast_and_validity_in_postgresql():
    cases = [
        ("abc", INTEGER, False),
        ("", INTEGER, True),
        ("   ", INTEGER, True),
        (None, INTEGER, True),
        ("2024-02-30", DATE, False),
        ("2024-02-29", DATE, True),
        ("maybe", BOOLEAN, False),
        ("1.5", INTEGER, False),
        ("1e400", DECIMAL, True),
        ("x", TEXT, True),
        # Words PostgreSQL would read as dates or numbers are not data.
        ("today", DATE, False),
        ("tomorrow", TIMESTAMP, False),
        ("epoch", TIMESTAMP, False),
        ("infinity", DATE, False),
        ("NaN", DECIMAL, False),
        ("Infinity", DECIMAL, False),
        (" 7 ", INTEGER, True),
        ("007", INTEGER, True),  # a declared integer may have leading zeros
    ]
    with connection.cursor() as cursor:
        for value, column_type, expected in cases:
            query = sql.SQL("SELECT {} FROM (SELECT %s::text AS v) e").format(
                valid_expression("v", column_type)
            )
            cursor.execute(query.as_string(cursor.connection), [value])
            assert cursor.fetchone()[0] is expected, (value, column_type)
        # Empty text is NULL after the cast, whatever the type.
        for column_type in PG_TYPES:
            query = sql.SQL("SELECT {} FROM (SELECT ''::text AS v) e").format(
                cast_expression("v", column_type)
            )
            cursor.execute(query.as_string(cursor.connection))
            assert cursor.fetchone()[0] is None


def test_patterns_are_anchored():
    # Every pattern must match a whole value, or "12abc" would pass as an integer.
    for column_type, pattern in PATTERNS.items():
        assert pattern.startswith("^") and pattern.endswith("$"), column_type
    assert infer(["12abc"]) == TEXT


# --- the fast paths agree with the patterns ------------------------------------------------------------


def _mutations(seed: int, valid: list[str], alphabet: str, count: int = 4000) -> list[str]:
    """Valid values with up to two characters replaced, added or removed: near misses of every kind."""
    import random

    rng = random.Random(seed)
    values = []
    for _ in range(count):
        value = list(rng.choice(valid))
        for _ in range(rng.randint(0, 2)):
            place = rng.randrange(len(value) + 1)
            edit = rng.choice(("replace", "insert", "delete"))
            if edit == "insert" or place == len(value):
                value.insert(place, rng.choice(alphabet))
            elif edit == "replace":
                value[place] = rng.choice(alphabet)
            elif len(value) > 1:
                del value[place]
        values.append("".join(value))
    return values


@pytest.mark.parametrize(
    ("column_type", "valid", "alphabet"),
    [
        (DECIMAL, ["12.5", "0.25", ".5", "7", "1234.5678"], "0123456789.-+eE "),
        (DATE, ["2024-01-02"], "0123456789-/T "),
        (TIMESTAMP, ["2024-01-02T03:04:05", "2024-01-02 03:04", "2024-01-02"], "0123456789-:T Z.+"),
    ],
)
def test_a_value_the_fast_path_accepts_matches_the_pattern(column_type, valid, alphabet):
    from pipeline.types import _plainly_matches_all, _Strings

    accepted = rejected = 0
    for value in _mutations(len(alphabet), valid, alphabet):
        if _plainly_matches_all(_Strings(pa.array([value])), column_type):
            accepted += 1
            matched = pa.compute.match_substring_regex(pa.array([value]), PATTERNS[column_type])
            assert matched[0].as_py(), value
        else:
            rejected += 1
    assert accepted > 100 and rejected > 100  # both sides exercised


@pytest.mark.parametrize(
    ("column_type", "valid", "alphabet"),
    [
        (DECIMAL, ["12.5", "0.25", ".5", "7", "1234.5678"], "0123456789."),
        (TIMESTAMP, ["2024-01-02T03:04:05", "2024-01-02 03:04:05"], "0123456789-:T "),
    ],
)
def test_a_batch_the_fast_path_accepts_matches_the_pattern_in_every_value(column_type, valid, alphabet):
    # Checked a batch at a time, values must not lend each other what they lack (a point, a place).
    from pipeline.types import _plainly_matches_all, _Strings

    values = _mutations(len(alphabet), valid, alphabet)
    accepted = 0
    for start in range(0, len(values) - 3, 3):
        batch = pa.array([v for v in values[start:start + 3] if v])
        if len(batch) and _plainly_matches_all(_Strings(batch), column_type):
            accepted += 1
            matched = pa.compute.match_substring_regex(batch, PATTERNS[column_type])
            assert pa.compute.all(matched).as_py(), batch
    assert accepted > 20


@pytest.mark.parametrize(
    ("values", "expected"),
    [
        (["12.5", "0.25", ".5", "7"], DECIMAL),
        (["12.5", "5."], TEXT),  # a point needs digits after it
        (["1.2.3"], TEXT),
        (["00.5"], TEXT),
        (["2024-01-02T03:04:05", "2024-01-02 03:04:05"], TIMESTAMP),
        (["2024-01-02T03:04", "2024-01-02T03:05"], TIMESTAMP),
        (["2024-01-02T03:04:05", "2024-01-02T03:04"], TIMESTAMP),  # mixed widths: the pattern decides
        (["2024-01-02x03:04:05"], TEXT),
        (["2024/01/02"], TEXT),
    ],
)
def test_inference_over_the_fast_paths(values, expected):
    assert infer(values) == expected


def test_inference_reads_sliced_batches_from_their_own_offset():
    # A reader's first batch is sliced past the header row: the buffers start before the values.
    batch = pa.array(["header", "2024-01-02T03:04:05", "", None, "2024-01-03T03:04:05"]).slice(1)
    inference = ColumnTypeInference()
    inference.observe(batch)
    assert inference.result() == TIMESTAMP and inference.non_empty == 2
    decimals = pa.array(["x.y", "1.5", "2.25"]).slice(1)
    inference = ColumnTypeInference()
    inference.observe(decimals)
    assert inference.result() == DECIMAL


def test_inference_and_explore_batches_do_not_import_pandas():
    # Importing pandas costs a run about a quarter of a second; nothing in a run needs it.
    import subprocess
    import sys
    from pathlib import Path

    script = (
        "import io, sys\n"
        "import numpy as np, pyarrow as pa, pyarrow.csv as pacsv\n"
        "from pipeline.types import ColumnTypeInference, int64_array\n"
        "table = pacsv.read_csv(io.BytesIO(b'a,b,c\\n1,x,2024-01-02\\n,  ,2024-01-03\\n2.5,y,\\n'),\n"
        "    convert_options=pacsv.ConvertOptions(column_types={n: pa.string() for n in 'abc'}))\n"
        "found = []\n"
        "for column in table.columns:\n"
        "    inference = ColumnTypeInference()\n"
        "    inference.observe(column.combine_chunks())\n"
        "    found.append(inference.result())\n"
        "int64_array(np.arange(3))\n"
        "assert found == ['decimal', 'text', 'date'], found\n"
        "assert 'pandas' not in sys.modules\n"
    )
    root = Path(__file__).resolve().parents[2]
    result = subprocess.run([sys.executable, "-c", script], cwd=root, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_inference_notes_whether_every_value_was_ascii():
    plain = ColumnTypeInference()
    for batch in (["a", None, "b"], ["c"]):
        plain.observe(pa.array(batch, pa.string()))
    assert plain.ascii_only
    accented = ColumnTypeInference()
    for batch in (["a"], [None, "é"], ["b"]):  # seen in a later batch of a column already known as text
        accented.observe(pa.array(batch, pa.string()))
    assert accented.result() == TEXT and not accented.ascii_only
