"""Bad input, one test per class: each gets a clear message and leaves nothing half-done."""

from __future__ import annotations

import json
import os
import random

import pytest

from catalog.models import Column, Dataset
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun
from pipeline.services.submit import SubmitError
from pipeline.sources import MAX_COLUMNS
from pipeline.tests.factories import (
    csv_text,
    ingest,
    layer_columns,
    layer_rows,
    submit,
    warehouse_tables,
    write_bytes,
    write_csv,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]

# A one-pixel PNG.
PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082"
)


def failed(run: PipelineRun) -> str:
    """The run failed, kept nothing and can be retried; returns its error."""
    assert run.status == RunStatus.FAILED, run.status
    assert run.error and "Traceback" not in run.error
    assert "\n" not in run.error.strip()
    assert warehouse_tables() == set(), "a failed first run must leave no tables"
    assert (run.rows_explore, run.rows_chart, run.rows_rejected, run.rows_navigate) == (0, 0, 0, 0)
    assert run.source_file is not None and os.path.exists(run.source_file.file.path)
    assert run.can_retry
    assert not Column.objects.filter(dataset=run.dataset).exists()
    return run.error


def ok(run):
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


def test_an_empty_file(tmp_path):
    error = failed(ingest(write_bytes(tmp_path / "empty.csv", b""), "x"))
    assert error.startswith("The file is empty.")
    error = failed(ingest(write_bytes(tmp_path / "blank.csv", b"\n\n  \r\n"), "y"))
    assert error.startswith("The file is empty.")


def test_a_header_only(tmp_path):
    error = failed(ingest(write_bytes(tmp_path / "header.csv", b"id,name,amount\n"), "x"))
    assert error == "The file has a header row but no data rows; there is nothing to load."


def test_blank_and_duplicate_column_names_are_renamed_with_a_warning(tmp_path):
    path = write_csv(
        tmp_path / "d.csv", [["id", "", "Name", "name", "id", " "], [1, "a", "b", "c", "d", "e"]]
    )
    run = ok(ingest(path, "dups"))
    columns = Dataset.objects.get(name="dups").columns.order_by("position")
    assert [c.name for c in columns] == ["id", "column_2", "Name", "name_2", "id_2", "column_6"]
    assert [c.warehouse_name for c in columns] == ["id", "column_2", "name", "name_2", "id_2", "column_6"]
    assert layer_rows("chart", "dups") == [
        {"id": 1, "column_2": "a", "name": "b", "name_2": "c", "id_2": "d", "column_6": "e"}
    ]
    assert "Column 2 had no name; it is called 'column_2'." in run.warnings
    assert "Column 4 repeats the name 'name'; it is called 'name_2'." in run.warnings
    assert "Column 5 repeats the name 'id'; it is called 'id_2'." in run.warnings
    assert run.report["warnings"] == run.warnings


def test_thousands_of_columns_are_refused_naming_the_limit(tmp_path):
    width = 2000
    path = write_csv(tmp_path / "wide.csv", [[f"c{i}" for i in range(width)], list(range(width))])
    error = failed(ingest(path, "wide"))
    assert "2,000 columns" in error and f"at most {MAX_COLUMNS:,}" in error and "1,597" in error


def test_one_thousand_five_hundred_columns_load(tmp_path):
    width = 1500
    header = [f"measure {i}" for i in range(width)]
    # PostgreSQL keeps a row on one 8 kB page: so many columns leave room for short values only
    # (a bigint takes 8 bytes, a short text 2 to 3).
    rows = [header] + [[str(r) if i % 10 == 1 else "ab"[r % 2] for i in range(width)] for r in range(3)]
    run = ok(ingest(write_csv(tmp_path / "wide.csv", rows), "wide", mode="replace"))
    assert (run.rows_explore, run.rows_chart, run.rows_navigate) == (3, 3, 3)
    assert len(layer_columns("navigate", "wide")) == width + 3
    assert Dataset.objects.get(name="wide").columns.count() == width
    assert layer_columns("chart", "wide")["measure_1"] == "bigint"
    assert len(run.report["columns"]) == width


def test_a_row_too_wide_for_postgresql_says_so(tmp_path):
    width = 1200
    rows = [[f"c{i}" for i in range(width)]] + [
        [f"value number {r}-{i}" for i in range(width)] for r in range(2)
    ]
    error = failed(ingest(write_csv(tmp_path / "wide.csv", rows), "wide"))
    assert error.startswith("A row is too wide for PostgreSQL in the explore stage")
    assert "fewer columns" in error


def test_random_bytes(tmp_path):
    noise = random.Random(7).randbytes(64 * 1024)
    error = failed(ingest(write_bytes(tmp_path / "noise.csv", noise), "x"))
    assert "binary" in error or "encoding" in error


def test_a_png_renamed_csv(tmp_path):
    error = failed(ingest(write_bytes(tmp_path / "photo.csv", PNG), "x"))
    assert "binary data" in error and "CSV" in error


def test_a_file_that_turns_from_utf8_to_latin1_after_the_first_megabyte(tmp_path):
    good = csv_text([["id", "name"]] + [[i, f"Søren {i}"] for i in range(80_000)]).encode("utf-8")
    assert len(good) > 1 << 20
    bad = "80001,Søren Ærø\n".encode("latin-1")
    error = failed(ingest(write_bytes(tmp_path / "mixed.csv", good + bad + b"80002,plain\n"), "x"))
    assert "mix" in error and "UTF-8" in error


def test_a_latin1_file_is_not_mistaken_for_utf8(tmp_path):
    run = ok(
        ingest(
            write_csv(tmp_path / "l.csv", [["id", "name"], [1, "Søren"], [2, "café"]], encoding="latin-1"),
            "legacy",
        )
    )
    assert [r["name"] for r in layer_rows("chart", "legacy")] == ["Søren", "café"]
    assert run.rows_rejected == 0


def test_ragged_rows_go_to_rejected_with_the_reason(tmp_path):
    path = write_bytes(tmp_path / "r.csv", b"id,name,amount\n1,Ann,2\n2,Bo\n3,Cy,4,extra\n4,Di,5\n")
    run = ok(ingest(path, "ragged"))
    assert [r["id"] for r in layer_rows("chart", "ragged")] == [1, 4]
    rejected = layer_rows("rejected", "ragged", system=True)
    assert [(r["_atlas_run_id"], r["_atlas_row"], r["value"], r["reason"]) for r in rejected] == [
        (run.pk, 2, "2,Bo", "the row has 2 fields but the header has 3"),
        (run.pk, 3, "3,Cy,4,extra", "the row has 4 fields but the header has 3"),
    ]
    assert json.loads(rejected[0]["record"]) == {"raw": "2,Bo"}
    assert (run.rows_received, run.rows_explore, run.rows_rejected) == (4, 2, 2)


def test_a_file_of_nothing_but_ragged_rows_says_check_the_delimiter(tmp_path):
    error = failed(ingest(write_bytes(tmp_path / "r.csv", b"a,b,c\n1\n2\n3\n"), "x"))
    assert "None of the file's 3 data rows matched the header" in error and "delimiter" in error


def test_column_names_that_look_like_sql_or_use_any_unicode(tmp_path):
    names = ['"; DROP TABLE x; --', "Robert'); DROP TABLE students;--", "😀 mood", "名前", "الاسم", "Ünïcödé"]
    path = write_csv(tmp_path / "u.csv", [names, ["1", "2", "3", "4", "5", "6"]])
    ok(ingest(path, "hostile"))
    columns = list(Dataset.objects.get(name="hostile").columns.order_by("position"))
    assert [c.name for c in columns] == names  # originals kept exactly
    warehouse_names = [c.warehouse_name for c in columns]
    assert len(set(warehouse_names)) == len(names)
    assert all(n.isascii() and n == n.lower() and len(n.encode()) <= 63 for n in warehouse_names)
    assert warehouse_names[:2] == ["drop_table_x", "robert_drop_table_students"]
    assert warehouse_names[5] == "unicode"
    # Nothing was dropped, and every layer has every column.
    assert {
        "explore.hostile",
        "chart.hostile",
        "chart.hostile__rejected",
        "navigate.hostile",
    } <= warehouse_tables()
    for layer in ("explore", "chart", "navigate"):
        assert set(warehouse_names) <= set(layer_columns(layer, "hostile")), layer
    assert list(layer_rows("chart", "hostile")[0].values()) == [1, 2, 3, 4, 5, 6]


def test_reserved_words_as_column_names(tmp_path):
    names = ["select", "from", "user", "order", "table", "_atlas_run_id", "oid"]
    ok(ingest(write_csv(tmp_path / "r.csv", [names, ["v1", "v2", "v3", "v4", "v5", "v6", "v7"]]), "reserved"))
    columns = Dataset.objects.get(name="reserved").columns.order_by("position")
    assert [c.warehouse_name for c in columns] == [
        "select_",
        "from_",
        "user_",
        "order_",
        "table_",
        "atlas_run_id_",
        "oid_",
    ]
    row = layer_rows("navigate", "reserved", system=True)[0]
    assert row["select_"] == "v1" and row["atlas_run_id_"] == "v6"
    assert isinstance(row["_atlas_run_id"], int)  # Atlas's own column is untouched


def test_names_longer_than_63_bytes_sharing_a_prefix_stay_distinct(tmp_path):
    prefix = "quarterly revenue by region and product line including returns and "
    names = [prefix + "excluding tax", prefix + "including tax", "ø" * 40]
    assert all(len(n.encode()) > 63 for n in names)
    ok(ingest(write_csv(tmp_path / "l.csv", [names, [1, 2, 3]]), "long names"))
    columns = Dataset.objects.get(name="long names").columns.order_by("position")
    warehouse_names = [c.warehouse_name for c in columns]
    assert [c.name for c in columns] == names
    assert len(set(warehouse_names)) == 3
    assert all(len(n.encode()) <= 63 for n in warehouse_names)
    assert warehouse_names[0].startswith("quarterly_revenue_by_region")
    assert layer_rows("chart", "long names") == [dict(zip(warehouse_names, [1, 2, 3], strict=True))]
    # A later file with the same long names, in another order, maps onto the same columns.
    ok(ingest(write_csv(tmp_path / "l2.csv", [names[::-1], [9, 5, 4]]), "long names"))
    assert Dataset.objects.get(name="long names").columns.count() == 3
    assert layer_rows("chart", "long names")[1] == dict(zip(warehouse_names, [4, 5, 9], strict=True))


def test_a_dataset_name_that_clashes_with_another(tmp_path):
    path = write_csv(tmp_path / "s.csv", [["id"], [1]])
    ok(ingest(path, "sales_data"))
    with pytest.raises(SubmitError) as caught:
        submit(path, "Sales Data", force=True)
    message = str(caught.value)
    assert "'Sales Data'" in message and "'sales_data'" in message and "different name" in message
    assert not Dataset.objects.filter(name="Sales Data").exists()
    with pytest.raises(SubmitError, match="too close"):
        submit(path, "SALES_DATA", force=True)
    with pytest.raises(SubmitError, match="Name the dataset"):
        submit(path, "   ")


def test_nul_bytes_inside_a_field(tmp_path):
    error = failed(ingest(write_bytes(tmp_path / "nul.csv", b"id,note\n1,before\x00after\n2,clean\n"), "nul"))
    assert error.startswith("The file contains NUL bytes (the first on line 2)")


def test_nul_bytes_past_the_first_megabyte(tmp_path):
    good = csv_text([["id", "note"]] + [[i, f"note {i}"] for i in range(120_000)]).encode()
    assert len(good) > 1 << 20
    error = failed(ingest(write_bytes(tmp_path / "nul.csv", good + b"120001,bad\x00value\n"), "nul"))
    assert "NUL" in error and "not valid text" in error


def test_files_whose_columns_add_up_past_the_limit_are_refused(tmp_path):
    first = [f"a{i}" for i in range(1000)]
    ok(ingest(write_csv(tmp_path / "1.csv", [first, ["x"] * 1000]), "growing"))
    second = [f"b{i}" for i in range(700)]
    run = ingest(write_csv(tmp_path / "2.csv", [second, ["y"] * 700]), "growing")
    assert run.status == RunStatus.FAILED
    assert run.error == (
        "With this file's 700 new columns the dataset 'growing' would have 1,700 columns; "
        "Atlas keeps at most 1,597 per dataset (PostgreSQL's limit). "
        "Load this file into a dataset of its own."
    )
    assert len(layer_columns("explore", "growing")) == 1003
    assert Dataset.objects.get(name="growing").columns.count() == 1000
