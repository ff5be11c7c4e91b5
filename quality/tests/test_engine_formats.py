"""Format rules by semantic type, evaluated by PostgreSQL itself."""

from __future__ import annotations

import pytest
from psycopg import sql

from quality.engine.dimensions import _well_formed
from quality.engine.formats import FORMATS, format_for, semantic_type_for_entity
from quality.engine.spec import ColumnSpec
from quality.tests.conftest_engine import conn  # noqa: F401

CASES: dict[str, tuple[list[str], list[str]]] = {
    "email": (
        ["jane.doe@example.com", "o'brien+tag@mail.example.co.uk", "A_B-c%d@x-y.io"],
        ["jane.doe.example.com", "a@b", "a b@example.com", "a@@example.com", "@example.com", "a@example.c0m"],
    ),
    "phone": (
        ["+44 20 7946 0958", "(030) 1234567", "555-123-4567", "+4915112345678", "030.123.4567"],
        ["12345", "phone: 555", "+44 20 79x6 0958", "++4420794609", "1234567890123456789012345"],
    ),
    "iban": (
        ["GB82WEST12345698765432", "DE89 3704 0044 0532 0130 00", "no9386011117947"],
        ["GB82", "1234WEST12345698765432", "GB8AWEST12345698765432", "GB82-WEST-1234-5698"],
    ),
    "url": (
        ["https://example.com", "http://localhost:8000/a/b?c=d#e", "ftp://files.example.org/x"],
        ["example.com", "https://", "https://exa mple.com", "mailto:a@b.com"],
    ),
    "ip": (
        ["192.168.0.1", "255.255.255.255", "0.0.0.0", "2001:db8::1", "::1", "::ffff:192.0.2.1"],
        ["256.1.1.1", "1.2.3", "1.2.3.4.5", "abc", "01.2.3.4x"],
    ),
    "date": (["2025-01-31", "1999-12-01T10:00:00Z"], ["2025-13-01", "31/01/2025", "2025-1-1"]),
    "us_ssn": (["123-45-6789", "123456789"], ["12-345-6789", "123-45-678"]),
    "uuid": (["123e4567-e89b-12d3-a456-426614174000"], ["123e4567e89b12d3a456426614174000", "not-a-uuid"]),
}


def test_every_format_has_cases():
    assert set(CASES) <= set(FORMATS)


@pytest.mark.parametrize("semantic_type", sorted(CASES))
def test_format_accepts_good_and_rejects_bad_values(conn, semantic_type):  # noqa: F811
    good, bad = CASES[semantic_type]
    fmt = format_for(semantic_type)
    assert fmt is not None
    predicate = _well_formed(ColumnSpec("v", "v", "text"), fmt)
    # The values go in as a literal: the patterns contain '%', which a
    # parameterised execute() would read as placeholders.
    query = sql.SQL("SELECT v, {} FROM unnest({}::text[]) AS v").format(predicate, sql.Literal(good + bad))
    verdicts = dict(conn.execute(query).fetchall())
    assert [v for v in good if not verdicts[v]] == []
    assert [v for v in bad if verdicts[v]] == []


def test_presidio_entities_map_to_semantic_types():
    assert semantic_type_for_entity("EMAIL_ADDRESS") == "email"
    assert semantic_type_for_entity("iban_code") == "iban"
    assert semantic_type_for_entity("PERSON") is None
    assert format_for(None) is None and format_for("shoe size") is None
