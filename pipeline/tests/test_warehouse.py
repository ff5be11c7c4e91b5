"""Warehouse identifiers as the pipeline relies on them: safe, stable, unique, usable without quotes.

atlas/tests/test_warehouse.py covers the table helpers; these tests hold the naming
rules against PostgreSQL's own keyword list and against real runs.
"""

from __future__ import annotations

import re

import pytest
from django.db import connection
from psycopg import sql

from atlas import warehouse
from atlas.warehouse import MAX_IDENTIFIER_BYTES, RESERVED, safe_identifier, safe_table_name
from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.services.submit import SubmitError, get_or_create_dataset
from pipeline.tests.factories import ingest, layer_rows, write_csv

HOSTILE = [
    '"; DROP TABLE x; --',
    "Robert'); DROP TABLE students;--",
    'a"b',
    "back\\slash",
    "tab\there",
    "new\nline",
    "😀",
    "😀 mood",
    "名前",
    "الاسم",
    "Ünïcödé",
    "Straße",
    "beløb",
    "Æble",
    "Łódź",
    "Þór",
    "ǅ",
    "   ",
    "",
    "___",
    "123",
    "1st place",
    "$price",
    "%",
    "x" * 300,
    "ø" * 100,
    "é" * 100,
    "select",
    "SELECT",
    "_atlas_row",
    "_ATLAS_LOADED_AT",
    "column",
    "oid",
    "user",
]
IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


@pytest.mark.parametrize("name", HOSTILE)
def test_every_name_becomes_a_plain_identifier(name):
    identifier = safe_identifier(name)
    assert IDENTIFIER.match(identifier), identifier
    assert len(identifier.encode()) <= MAX_IDENTIFIER_BYTES
    assert identifier not in RESERVED
    assert not identifier.startswith(warehouse.SYSTEM_PREFIX)
    assert safe_identifier(name) == identifier  # stable


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("beløb", "belob"),
        ("Æble", "aeble"),
        ("Łódź", "lodz"),
        ("Þór", "thor"),
        ("Straße", "strasse"),
        ("Crème Brûlée", "creme_brulee"),
        ("Œuvre", "oeuvre"),
        ("Ðe", "de"),
    ],
)
def test_letters_are_transliterated_not_dropped(name, expected):
    assert safe_identifier(name) == expected


def test_many_identical_names_stay_unique_and_within_63_bytes():
    long = "a very long column name that goes on and on past what postgresql allows in one identifier"
    taken: set[str] = set()
    for _ in range(150):
        identifier = safe_identifier(long, taken)
        assert identifier not in taken and len(identifier) <= MAX_IDENTIFIER_BYTES
        taken.add(identifier)
    assert len(taken) == 150
    assert safe_identifier("a", {"a", "a_2"}) == "a_3"


def test_table_names_leave_room_for_the_rejected_suffix():
    name = safe_table_name("t" * 200)
    assert len(f"{name}__rejected".encode()) <= MAX_IDENTIFIER_BYTES


@pytest.mark.django_db
def test_every_postgresql_reserved_word_is_avoided():
    with connection.cursor() as cursor:
        cursor.execute("SELECT word FROM pg_get_keywords() WHERE catcode IN ('R', 'T')")
        reserved = {row[0] for row in cursor.fetchall()}
    assert reserved <= RESERVED, sorted(reserved - RESERVED)
    assert all(safe_identifier(word) == f"{word}_" for word in reserved)


@pytest.mark.django_db
def test_sanitised_names_need_no_quotes_in_sql():
    identifiers: list[str] = []
    for name in HOSTILE:
        identifiers.append(safe_identifier(name, identifiers))
    columns = ", ".join(f"{identifier} text" for identifier in identifiers)
    with connection.cursor() as cursor:
        cursor.execute(f"CREATE TEMP TABLE unquoted ({columns})")  # noqa: S608 - sanitised names only
        cursor.execute(f"SELECT {', '.join(identifiers)} FROM unquoted")
        assert [d[0] for d in cursor.description] == identifiers


@pytest.mark.django_db
def test_long_dataset_names_that_share_a_prefix_get_distinct_tables():
    stem = "Quarterly revenue by region and product line including returns for fiscal year "
    first = get_or_create_dataset(stem + "2023")
    second = get_or_create_dataset(stem + "2024")
    assert first.table_name != second.table_name
    assert all(len(d.rejected_table_name.encode()) <= MAX_IDENTIFIER_BYTES for d in (first, second))
    assert get_or_create_dataset(stem + "2024").pk == second.pk  # found again by its name


@pytest.mark.django_db
def test_names_that_sanitise_alike_clash_with_a_clear_message():
    Dataset.objects.create(name="sales_data", table_name="sales_data")
    for name in ("Sales Data", "SALES-DATA", "sales  data!"):
        with pytest.raises(SubmitError, match="too close to the existing dataset 'sales_data'"):
            get_or_create_dataset(name)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("clean_warehouse")
def test_a_dataset_with_a_hostile_name_loads(tmp_path):
    name = 'Orders"; DROP SCHEMA navigate CASCADE; --'
    run = ingest(write_csv(tmp_path / "o.csv", [["id", "v"], [1, "a"]]), name)
    assert run.status == RunStatus.SUCCEEDED, run.error
    dataset = Dataset.objects.get(name=name)
    assert dataset.table_name == "orders_drop_schema_navigate_cascade"
    assert layer_rows("navigate", dataset) == [{"id": 1, "v": "a"}]
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'navigate'")
        assert cursor.fetchone()[0] == 1
        cursor.execute(
            sql.SQL("SELECT count(*) FROM {}")
            .format(warehouse.table("explore", dataset.table_name))
            .as_string(cursor.connection)
        )
        assert cursor.fetchone()[0] == 1
