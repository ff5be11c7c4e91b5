"""Sources: every supported format read from real files into Arrow batches of text."""

from __future__ import annotations

import codecs
import datetime as dt

import pyarrow as pa
import pytest

from pipeline.choices import SourceFormat
from pipeline.sources import SourceError, open_source
from pipeline.sources.base import BATCH_ROWS
from pipeline.sources.csv import BLOCK_SIZE as CSV_BLOCK
from pipeline.tests.factories import csv_text, write_bytes, write_csv, write_jsonl, write_parquet, write_xlsx


def read_all(source) -> list[dict]:
    """Every row the source yields, as dicts of header → text."""
    rows: list[dict] = []
    for batch in source.batches():
        assert all(pa.types.is_string(field.type) for field in batch.schema), batch.schema
        rows.extend(batch.to_pylist())
    return rows


# --- CSV -------------------------------------------------------------------------------------------


@pytest.mark.parametrize("delimiter", [",", ";", "\t", "|"])
def test_csv_delimiter_is_sniffed(tmp_path, delimiter):
    path = write_csv(
        tmp_path / "data.csv",
        [["id", "name", "amount"], [1, "Ann", "2.5"], [2, "Bob", "3"]],
        delimiter=delimiter,
    )
    source = open_source(path)
    assert source.format == SourceFormat.CSV
    assert source.delimiter == delimiter
    assert source.headers == ["id", "name", "amount"]
    assert read_all(source) == [
        {"id": "1", "name": "Ann", "amount": "2.5"},
        {"id": "2", "name": "Bob", "amount": "3"},
    ]


def test_csv_semicolon_with_decimal_commas_is_not_mistaken_for_commas(tmp_path):
    # European exports: ";" separates, "," is the decimal mark.
    path = write_bytes(tmp_path / "eu.csv", b"id;price;note\n1;2,50;a\n2;3,75;b\n3;10,00;c\n")
    source = open_source(path)
    assert source.delimiter == ";"
    assert [r["price"] for r in read_all(source)] == ["2,50", "3,75", "10,00"]


def test_csv_quoted_newlines_and_quotes_stay_in_one_field(tmp_path):
    rows = [
        ["id", "comment"],
        [1, "first line\nsecond line"],
        [2, 'she said "hi", twice'],
        [3, "crlf\r\nhere"],
    ]
    source = open_source(write_csv(tmp_path / "notes.csv", rows))
    assert read_all(source) == [
        {"id": "1", "comment": "first line\nsecond line"},
        {"id": "2", "comment": 'she said "hi", twice'},
        {"id": "3", "comment": "crlf\r\nhere"},
    ]


def test_csv_windows_line_endings(tmp_path):
    source = open_source(
        write_csv(tmp_path / "crlf.csv", [["a", "b"], ["1", "2"], ["3", "4"]], newline="\r\n")
    )
    assert source.headers == ["a", "b"]
    assert read_all(source) == [{"a": "1", "b": "2"}, {"a": "3", "b": "4"}]


UNICODE_ROWS = [["name", "city"], ["Søren", "København"], ["café", "Zürich"], ["Łukasz", "東京"]]


def test_csv_utf8(tmp_path):
    source = open_source(write_csv(tmp_path / "u.csv", UNICODE_ROWS))
    assert source.encoding == "utf-8"
    assert read_all(source)[2] == {"name": "Łukasz", "city": "東京"}


def test_csv_utf8_with_bom_has_a_clean_first_header(tmp_path):
    data = codecs.BOM_UTF8 + csv_text(UNICODE_ROWS).encode("utf-8")
    source = open_source(write_bytes(tmp_path / "bom.csv", data))
    assert source.headers == ["name", "city"]  # no "\ufeffname"
    assert read_all(source)[0] == {"name": "Søren", "city": "København"}


def test_csv_utf16_le_with_bom(tmp_path):
    data = csv_text(UNICODE_ROWS).encode("utf-16")  # Python writes a BOM, little-endian here
    assert data.startswith(codecs.BOM_UTF16_LE)
    source = open_source(write_bytes(tmp_path / "excel-export.csv", data))
    assert source.encoding.startswith("utf-16")
    assert source.headers == ["name", "city"]
    assert [r["name"] for r in read_all(source)] == ["Søren", "café", "Łukasz"]


def test_csv_utf16_tab_separated_as_excel_saves_unicode_text(tmp_path):
    data = csv_text(UNICODE_ROWS, delimiter="\t", newline="\r\n").encode("utf-16")
    source = open_source(write_bytes(tmp_path / "unicode.txt", data))
    assert source.delimiter == "\t"
    assert read_all(source)[1] == {"name": "café", "city": "Zürich"}


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-le", "utf-16-be", "utf-8-sig", "cp1252"])
def test_files_past_the_sniffed_megabyte_in_any_encoding(tmp_path, encoding):
    # The sniffed first megabyte ends inside a character or a row; the whole file still reads.
    rows = [["id", "name"]] + [[i, f"Søren {i}"] for i in range(80_000)]
    data = csv_text(rows).encode(encoding)
    assert len(data) > 1 << 20
    source = open_source(write_bytes(tmp_path / "big.csv", data))
    assert source.headers == ["id", "name"]
    got = read_all(source)
    assert len(got) == 80_000 and got[-1] == {"id": "79999", "name": "Søren 79999"}


def test_a_utf8_file_of_three_byte_characters_past_the_first_megabyte(tmp_path):
    rows = [["id", "住所"]] + [[i, "東京都渋谷区の住所です"] for i in range(60_000)]
    for pad in range(3):  # every alignment of the cut against the characters
        source = open_source(write_bytes(tmp_path / f"jp{pad}.csv", ("x" * pad + csv_text(rows)).encode()))
        assert source.encoding == "utf-8"
        assert sum(batch.num_rows for batch in source.batches()) == 60_000


@pytest.mark.parametrize("encoding", ["latin-1", "cp1252"])
def test_csv_latin1_and_cp1252_are_detected(tmp_path, encoding):
    rows = [["id", "name", "note"]] + [[i, "Søren Ærø", "café crème brûlée à la carte"] for i in range(1, 40)]
    if encoding == "cp1252":
        rows.append([99, "Zoë", "costs €5 – “quoted”"])  # bytes only cp1252 has
    source = open_source(write_csv(tmp_path / "legacy.csv", rows, encoding=encoding))
    assert source.encoding in {"cp1252", "latin-1"}
    got = read_all(source)
    assert got[0] == {"id": "1", "name": "Søren Ærø", "note": "café crème brûlée à la carte"}
    if encoding == "cp1252":
        assert got[-1]["note"] == "costs €5 – “quoted”"


def test_csv_gzip(tmp_path):
    rows = [["id", "name"]] + [[i, f"name {i}"] for i in range(1000)]
    source = open_source(write_csv(tmp_path / "big.csv.gz", rows, compress=True))
    assert source.format == SourceFormat.CSV
    got = read_all(source)
    assert len(got) == 1000 and got[-1] == {"id": "999", "name": "name 999"}


def test_csv_gzip_of_latin1_semicolons(tmp_path):
    rows = [["navn", "by"], ["Søren", "Århus"], ["Åse", "Ølstykke"]]
    source = open_source(
        write_csv(tmp_path / "x.csv.gz", rows, delimiter=";", encoding="latin-1", compress=True)
    )
    assert source.delimiter == ";"
    assert read_all(source) == [{"navn": "Søren", "by": "Århus"}, {"navn": "Åse", "by": "Ølstykke"}]


def test_csv_empty_fields_are_empty_text_not_null(tmp_path):
    source = open_source(write_bytes(tmp_path / "e.csv", b'a,b,c\n1,,""\n'))
    assert read_all(source) == [{"a": "1", "b": "", "c": ""}]


def test_csv_ragged_rows_are_set_aside_with_the_reason(tmp_path):
    source = open_source(write_bytes(tmp_path / "r.csv", b"a,b,c\n1,2,3\n4,5\n6,7,8,9\n10,11,12\n"))
    assert read_all(source) == [{"a": "1", "b": "2", "c": "3"}, {"a": "10", "b": "11", "c": "12"}]
    reasons = [r.reason for r in source.rejected]
    assert reasons == [
        "the row has 2 fields but the header has 3",
        "the row has 4 fields but the header has 3",
    ]
    assert source.rejected[0].text == "4,5"
    assert [r.row for r in source.rejected] == [2, 3]  # data rows of the file, counted from 1


# --- JSON Lines ------------------------------------------------------------------------------------


def test_jsonl_nested_values_become_json_and_late_keys_are_columns(tmp_path):
    path = write_jsonl(
        tmp_path / "events.jsonl",
        [
            {"id": 1, "user": {"name": "Ann", "tags": ["a", "b"]}, "ok": True, "score": 1.5},
            {"id": 2, "user": None, "ok": False, "score": None},
            {"id": 3, "ok": True, "late": "appears on line 3", "items": [1, 2, {"x": "é"}]},
        ],
    )
    source = open_source(path)
    assert source.format == SourceFormat.JSONL
    assert source.headers == ["id", "user", "ok", "score", "late", "items"]
    rows = read_all(source)
    assert rows[0] == {
        "id": "1",
        "user": '{"name": "Ann", "tags": ["a", "b"]}',
        "ok": "true",
        "score": "1.5",
        "late": None,
        "items": None,
    }
    assert rows[1]["user"] is None and rows[1]["ok"] == "false"
    assert rows[2]["late"] == "appears on line 3"
    assert rows[2]["items"] == '[1, 2, {"x": "é"}]'


def test_jsonl_is_recognised_by_content_and_bad_lines_are_set_aside(tmp_path):
    path = write_bytes(tmp_path / "export.txt", b'{"a": 1}\n\n{"a": 2\n[1, 2]\n{"a": 3}\n')
    source = open_source(path)
    assert source.format == SourceFormat.JSONL
    assert [r["a"] for r in read_all(source)] == ["1", "3"]
    assert [r.row for r in source.rejected] == [3, 4]
    assert "not valid JSON" in source.rejected[0].reason
    assert "not an object" in source.rejected[1].reason


def test_jsonl_gzip(tmp_path):
    data = b"".join(b'{"n": %d}\n' % i for i in range(10))
    source = open_source(write_bytes(tmp_path / "n.jsonl.gz", data, compress=True))
    assert [r["n"] for r in read_all(source)] == [str(i) for i in range(10)]


# --- Parquet ---------------------------------------------------------------------------------------


def test_parquet_types_become_text(tmp_path):
    table = pa.table(
        {
            "id": pa.array([1, 2, None], pa.int64()),
            "price": pa.array([1.5, None, -2.25], pa.float64()),
            "at": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5), None, dt.datetime(2023, 12, 31, 23, 59, 59)],
                pa.timestamp("us"),
            ),
            "at_utc": pa.array(
                [dt.datetime(2024, 1, 2, 3, 4, 5, tzinfo=dt.UTC)] * 3, pa.timestamp("ms", tz="UTC")
            ),
            "day": pa.array([dt.date(2024, 2, 29), None, dt.date(2000, 1, 1)], pa.date32()),
            "active": pa.array([True, False, None]),
            "tags": pa.array([["a", "b"], [], None], pa.list_(pa.string())),
            "name": pa.array(["Søren", None, "東京"]),
        }
    )
    source = open_source(write_parquet(tmp_path / "t.parquet", table))
    assert source.format == SourceFormat.PARQUET
    assert source.headers == ["id", "price", "at", "at_utc", "day", "active", "tags", "name"]
    rows = read_all(source)
    # Timestamps keep their unit's precision and the zone when there is one.
    assert rows[0] == {
        "id": "1",
        "price": "1.5",
        "at": "2024-01-02T03:04:05.000000",
        "at_utc": "2024-01-02T03:04:05.000+0000",
        "day": "2024-02-29",
        "active": "true",
        "tags": '["a", "b"]',
        "name": "Søren",
    }
    assert rows[1] == {
        "id": "2",
        "price": None,
        "at": None,
        "at_utc": "2024-01-02T03:04:05.000+0000",
        "day": None,
        "active": "false",
        "tags": "[]",
        "name": None,
    }
    assert (
        rows[2]["id"] is None
        and rows[2]["price"] == "-2.25"
        and rows[2]["tags"] is None
        and rows[2]["active"] is None
    )


def test_parquet_nan_arrives_as_a_missing_number(tmp_path):
    table = pa.table({"score": pa.array([1.5, float("nan"), None, 2.0], pa.float64())})
    source = open_source(write_parquet(tmp_path / "scores.parquet", table))
    assert [row["score"] for row in read_all(source)] == ["1.5", None, None, "2"]


def test_parquet_without_the_extension_is_recognised_by_its_magic(tmp_path):
    path = write_parquet(tmp_path / "download.bin", pa.table({"a": [1, 2]}))
    assert open_source(path).format == SourceFormat.PARQUET


# --- Excel -----------------------------------------------------------------------------------------


def test_xlsx_dates_numbers_bools_and_empty_cells(tmp_path):
    path = write_xlsx(
        tmp_path / "book.xlsx",
        [
            ["id", "when", "day", "amount", "active", "note"],
            [1, dt.datetime(2024, 3, 1, 12, 30), dt.date(2024, 3, 1), 2.5, True, "ok"],
            [2, None, dt.date(2024, 2, 29), 3, False, None],
            [None, None, None, None, None, None],  # a blank row is skipped
            [3, dt.datetime(2024, 3, 2), None, -1.25, None, "last"],
        ],
    )
    source = open_source(path)
    assert source.format == SourceFormat.XLSX
    assert source.headers == ["id", "when", "day", "amount", "active", "note"]
    rows = read_all(source)
    assert len(rows) == 3
    # Excel keeps dates as datetimes at midnight: they read as dates.
    assert rows[0] == {
        "id": "1",
        "when": "2024-03-01 12:30:00",
        "day": "2024-03-01",
        "amount": "2.5",
        "active": "true",
        "note": "ok",
    }
    assert rows[1] == {
        "id": "2",
        "when": None,
        "day": "2024-02-29",
        "amount": "3",
        "active": "false",
        "note": None,
    }
    assert rows[2]["amount"] == "-1.25" and rows[2]["active"] is None


def test_xlsx_named_sheet_and_a_missing_one(tmp_path):
    from openpyxl import Workbook

    book = Workbook()
    book.active.title = "Cover"
    book.active.append(["title"])
    data = book.create_sheet("Data")
    data.append(["a", "b"])
    data.append([1, 2])
    book.save(tmp_path / "two.xlsx")
    assert read_all(open_source(tmp_path / "two.xlsx", options={"sheet": "Data"})) == [{"a": "1", "b": "2"}]
    with pytest.raises(SourceError, match="no sheet 'Nope'.*Cover, Data"):
        open_source(tmp_path / "two.xlsx", options={"sheet": "Nope"})


# --- streaming -------------------------------------------------------------------------------------


def test_a_large_csv_streams_in_several_bounded_batches(tmp_path):
    path = tmp_path / "large.csv"
    block = "".join(
        f'{i},name {i},{i * 1.5},"a comment that pads the row out, {i}"\n' for i in range(100_000)
    )
    with open(path, "w", encoding="utf-8") as handle:
        handle.write("id,name,amount,comment\n")
        for _ in range(12):
            handle.write(block)
    size = path.stat().st_size
    assert size > 8 * CSV_BLOCK  # about 80 MB
    source = open_source(path)
    batches, total, fractions, peak = 0, 0, [], 0
    for batch in source.batches():
        batches += 1
        total += batch.num_rows
        fractions.append(source.progress())
        peak = max(peak, pa.total_allocated_bytes())
        del batch
    assert total == 1_200_000
    assert batches >= 8
    assert fractions == sorted(fractions) and fractions[-1] == pytest.approx(1.0)
    # Arrow holds a few read blocks at a time, never the whole file.
    assert peak < size * 0.6, f"{peak / 1e6:.0f} MB of Arrow memory for a {size / 1e6:.0f} MB file"


def test_a_large_jsonl_streams_in_batches(tmp_path):
    path = tmp_path / "large.jsonl"
    with open(path, "w") as handle:
        for i in range(BATCH_ROWS * 2 + 5):
            handle.write(f'{{"id": {i}}}\n')
    sizes = [b.num_rows for b in open_source(path).batches()]
    assert sizes == [BATCH_ROWS, BATCH_ROWS, 5]


def test_a_large_parquet_streams_in_batches(tmp_path):
    n = BATCH_ROWS * 3
    path = write_parquet(tmp_path / "large.parquet", pa.table({"id": pa.array(range(n), pa.int64())}))
    sizes = [b.num_rows for b in open_source(path).batches()]
    assert len(sizes) >= 3 and sum(sizes) == n and max(sizes) <= BATCH_ROWS
