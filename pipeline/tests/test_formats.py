"""Every format end to end: the file lands in explore as text and in chart and navigate typed."""

from __future__ import annotations

import codecs
import datetime as dt
import json
from decimal import Decimal

import pyarrow as pa
import pytest

from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.tests.factories import (
    csv_text,
    ingest,
    layer_rows,
    write_bytes,
    write_csv,
    write_jsonl,
    write_parquet,
    write_xlsx,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]

UTC = dt.UTC


def ok(run):
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


def chart_types(name: str) -> dict[str, str]:
    return {c.name: c.data_type for c in Dataset.objects.get(name=name).columns.order_by("position")}


def test_jsonl(tmp_path):
    path = write_jsonl(
        tmp_path / "events.jsonl",
        [
            {"id": 1, "at": "2024-01-02T10:00:00Z", "amount": 2.5, "ok": True, "user": {"name": "Ann"}},
            {
                "id": 2,
                "at": "2024-01-03T11:00:00Z",
                "amount": 3,
                "ok": False,
                "user": None,
                "tags": ["a", "b"],
            },
            '{"id": 3, "at": "2024-01-04T12:00:00Z", "amount": null, "ok": true}',
        ],
    )
    run = ok(ingest(path, "events"))
    assert chart_types("events") == {
        "id": "integer",
        "at": "timestamp",
        "amount": "decimal",
        "ok": "boolean",
        "user": "text",
        "tags": "text",
    }
    rows = layer_rows("navigate", "events")
    assert rows[0]["at"] == dt.datetime(2024, 1, 2, 10, tzinfo=UTC)
    assert json.loads(rows[0]["user_"]) == {"name": "Ann"} and rows[0]["tags"] is None  # "user" is reserved
    assert json.loads(rows[1]["tags"]) == ["a", "b"]
    assert [r["amount"] for r in rows] == [Decimal("2.5"), Decimal("3"), None]
    assert run.source_file.format in ("", "jsonl")


def test_jsonl_bad_lines_are_rejected_with_their_line_number(tmp_path):
    path = write_bytes(tmp_path / "e.jsonl", b'{"id": 1}\n{"id": 2,\n"just a string"\n{"id": 4}\n')
    run = ok(ingest(path, "events"))
    assert [r["id"] for r in layer_rows("chart", "events")] == [1, 4]
    rejected = layer_rows("rejected", "events")
    assert [r["_atlas_row"] if "_atlas_row" in r else None for r in rejected] == [None, None]
    assert [r["reason"].split(":")[0] for r in rejected] == [
        "not valid JSON",
        "the line is JSON but not an object",
    ]
    assert run.rows_received == 4 and run.rows_rejected == 2


def test_parquet(tmp_path):
    table = pa.table(
        {
            "id": pa.array([1, 2, 3], pa.int64()),
            "price": pa.array([1.5, float("nan"), -2.25], pa.float64()),  # pandas' missing number
            "at": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5, 123456), None, dt.datetime(2024, 1, 3)], pa.timestamp("ns")
            ),  # pandas' default unit
            "at_utc": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC)] * 3, pa.timestamp("ms", tz="UTC")
            ),
            "day": pa.array([dt.date(2024, 2, 29), None, dt.date(2000, 1, 1)], pa.date32()),
            "active": pa.array([True, False, None]),
            "tags": pa.array([["a", "b"], [], None], pa.list_(pa.string())),
            "name": pa.array(["Søren", None, "東京"]),
        }
    )
    ok(ingest(write_parquet(tmp_path / "t.parquet", table), "pq"))
    assert chart_types("pq") == {
        "id": "integer",
        "price": "decimal",
        "at": "timestamp",
        "at_utc": "timestamp",
        "day": "date",
        "active": "boolean",
        "tags": "text",
        "name": "text",
    }
    rows = layer_rows("chart", "pq")
    assert rows[0] == {
        "id": 1,
        "price": Decimal("1.5"),
        "at": dt.datetime(2024, 1, 2, 3, 4, 5, 123456, tzinfo=UTC),
        "at_utc": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "day": dt.date(2024, 2, 29),
        "active": True,
        "tags": '["a", "b"]',
        "name": "Søren",
    }
    assert rows[1] == {
        "id": 2,
        "price": None,
        "at": None,
        "at_utc": dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=UTC),
        "day": None,
        "active": False,
        "tags": "[]",
        "name": None,
    }
    assert rows[2]["tags"] is None and rows[2]["active"] is None and rows[2]["name"] == "東京"


def test_xlsx(tmp_path):
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [
            ["id", "when", "day", "amount", "active", "note"],
            [1, dt.datetime(2024, 3, 1, 12, 30), dt.date(2024, 3, 1), 2.5, True, "ok"],
            [2, None, dt.date(2024, 2, 29), 3, False, None],
            [3, dt.datetime(2024, 3, 2, 8, 0), None, -1.25, None, "last"],
        ],
    )
    ok(ingest(path, "book"))
    assert chart_types("book") == {
        "id": "integer",
        "when": "timestamp",
        "day": "date",
        "amount": "decimal",
        "active": "boolean",
        "note": "text",
    }
    rows = layer_rows("navigate", "book")
    assert rows[0] == {
        "id": 1,
        "when_": dt.datetime(2024, 3, 1, 12, 30, tzinfo=UTC),
        "day": dt.date(2024, 3, 1),
        "amount": Decimal("2.5"),
        "active": True,
        "note": "ok",
    }
    assert rows[1]["when_"] is None and rows[1]["note"] is None and rows[1]["active"] is False
    assert rows[2]["day"] is None and rows[2]["active"] is None


def test_gzipped_semicolon_latin1_csv(tmp_path):
    rows = [["kunde", "beløb", "dato"], ["Søren", "12.50", "2024-05-01"], ["Åse", "7", "2024-05-02"]]
    ok(
        ingest(
            write_csv(tmp_path / "salg.csv.gz", rows, delimiter=";", encoding="latin-1", compress=True),
            "salg",
        )
    )
    assert chart_types("salg") == {"kunde": "text", "beløb": "decimal", "dato": "date"}
    assert layer_rows("chart", "salg") == [
        {"kunde": "Søren", "belob": Decimal("12.50"), "dato": dt.date(2024, 5, 1)},
        {"kunde": "Åse", "belob": Decimal("7"), "dato": dt.date(2024, 5, 2)},
    ]


def test_utf16_tab_separated(tmp_path):
    text = csv_text([["id", "city"], [1, "København"], [2, "東京"]], delimiter="\t", newline="\r\n")
    ok(ingest(write_bytes(tmp_path / "u.txt", text.encode("utf-16")), "cities"))
    assert layer_rows("chart", "cities") == [{"id": 1, "city": "København"}, {"id": 2, "city": "東京"}]


def test_utf8_bom_and_quoted_newlines(tmp_path):
    text = csv_text([["id", "comment"], [1, "line one\nline two"], [2, 'a "quoted" word']])
    ok(ingest(write_bytes(tmp_path / "b.csv", codecs.BOM_UTF8 + text.encode()), "comments"))
    assert chart_types("comments") == {"id": "integer", "comment": "text"}
    assert [r["comment"] for r in layer_rows("chart", "comments")] == [
        "line one\nline two",
        'a "quoted" word',
    ]


def test_a_large_utf8_file_of_multibyte_text(tmp_path):
    # Three-byte characters across the first megabyte: the sniffed block ends inside one.
    rows = [["id", "住所"]] + [[i, "東京都渋谷区の住所です"] for i in range(60_000)]
    for pad in range(3):
        path = write_bytes(tmp_path / f"jp{pad}.csv", ("x" * pad + csv_text(rows)).encode("utf-8"))
        run = ok(ingest(path, f"jp{pad}"))
        assert run.rows_chart == 60_000
