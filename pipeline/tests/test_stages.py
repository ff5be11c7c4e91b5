"""The stages through real runs: explore, chart (and rejected), profile, navigate, catalog."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.conf import settings
from django.test import override_settings

from catalog.models import Dataset, SchemaVersion
from pipeline.choices import RunStatus
from pipeline.stages.base import Stage
from pipeline.tests.factories import (
    ingest,
    layer_columns,
    layer_count,
    layer_rows,
    write_bytes,
    write_csv,
    write_parquet,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]

UTC = dt.UTC


def ok(run):
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


# --- explore ---------------------------------------------------------------------------------------


def test_explore_keeps_every_row_as_text_tagged_with_the_run(tmp_path):
    path = write_csv(
        tmp_path / "s.csv", [["id", "amount", "when"], ["1", " 2.50 ", "2024-01-02"], ["2", "", "x"]]
    )
    run = ok(ingest(path, "sales"))
    assert set(layer_columns("explore", "sales").values()) == {"bigint", "text", "timestamp with time zone"}
    assert layer_columns("explore", "sales") == {
        "_atlas_run_id": "bigint",
        "_atlas_row": "bigint",
        "_atlas_loaded_at": "timestamp with time zone",
        "id": "text",
        "amount": "text",
        "when_": "text",  # "when" is reserved
    }
    rows = layer_rows("explore", "sales", system=True)
    # Exactly as received: spaces kept, empty text kept.
    assert [(r["_atlas_run_id"], r["_atlas_row"], r["id"], r["amount"], r["when_"]) for r in rows] == [
        (run.pk, 1, "1", " 2.50 ", "2024-01-02"),
        (run.pk, 2, "2", "", "x"),
    ]
    loaded = rows[0]["_atlas_loaded_at"]
    assert run.started_at - dt.timedelta(seconds=5) <= loaded <= run.finished_at


# Every character PostgreSQL's COPY text format (explore's load) or Arrow's unquoted writer treats
# specially, alone and together, and look-alikes of the format's own escapes.
AWKWARD_TEXT = [
    "back\\slash", "tab\there", "two\nlines", "carriage\rreturn", 'say "hi"', "\\N", "\\.", "\\x22",
    "\\t not a tab", "all\t\\\n\r\"", "a,b;c|d", "Søren Ærø", "", " ", "trailing\\",
]


def test_explore_keeps_every_character_the_load_format_treats_specially(tmp_path):
    rows = [["id", "plain", "awkward"]]
    rows += [[str(i), f"row {i}", AWKWARD_TEXT[i % len(AWKWARD_TEXT)]] for i in range(3 * len(AWKWARD_TEXT))]
    # Every value quoted: the csv module leaves a lone carriage return unquoted, which ends a CSV row.
    text = io.StringIO()
    csv.writer(text, lineterminator="\n", quoting=csv.QUOTE_ALL).writerows(rows)
    ok(ingest(write_bytes(tmp_path / "a.csv", text.getvalue().encode()), "awkward"))
    explore = layer_rows("explore", "awkward")
    assert [(r["id"], r["plain"], r["awkward"]) for r in explore] == [tuple(r) for r in rows[1:]]
    # Chart reads empty text as missing; every other value arrives as it was sent.
    assert [r["awkward"] for r in layer_rows("chart", "awkward")] == [
        value or None for value in (r[2] for r in rows[1:])
    ]


def test_explore_keeps_missing_apart_from_empty_and_from_the_word_null(tmp_path):
    import pyarrow as pa

    table = pa.table({"id": pa.array([1, 2, 3, 4]), "v": pa.array([None, "", "\\N", "NULL"], pa.string())})
    ok(ingest(write_parquet(tmp_path / "t.parquet", table), "nulls"))
    assert [r["v"] for r in layer_rows("explore", "nulls")] == [None, "", "\\N", "NULL"]


def test_explore_is_append_only_history_whatever_the_mode(tmp_path):
    first = ok(ingest(write_csv(tmp_path / "a.csv", [["id", "v"], [1, "a"], [2, "b"]]), "t", mode="replace"))
    second = ok(ingest(write_csv(tmp_path / "b.csv", [["id", "v"], [1, "c"]]), "t"))
    assert layer_count("explore", "t", first) == 2 and layer_count("explore", "t", second) == 1
    assert layer_count("chart", "t") == 3  # chart keeps every run's validated rows too
    assert layer_rows("navigate", "t") == [{"id": 1, "v": "c"}]  # replace: the latest run only


def run_indexes(schema: str, table: str) -> list[str]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE schemaname = %s AND tablename = %s AND indexdef LIKE %s",
            [schema, table, "%_atlas_run_id%"],
        )
        return [row[0] for row in cursor.fetchall()]


@pytest.mark.parametrize("mode", ["append", "merge"])
def test_every_layer_refuses_rows_without_their_system_columns(tmp_path, mode):
    from django.db import connection, transaction
    from django.db.utils import IntegrityError

    ok(ingest(write_csv(tmp_path / "a.csv", [["id", "v"], [1, "a"]]), "t", mode=mode, key=["id"]))
    for layer in ("explore", "chart", "navigate"):
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnotnull "
                "AND attname LIKE '\\_atlas%%' ORDER BY attnum",
                [f"{layer}.t"],
            )
            assert [r[0] for r in cursor.fetchall()] == ["_atlas_run_id", "_atlas_row", "_atlas_loaded_at"]
            for column in ("_atlas_run_id", "_atlas_row"):
                with pytest.raises(IntegrityError), transaction.atomic():
                    others = "_atlas_row" if column == "_atlas_run_id" else "_atlas_run_id"
                    cursor.execute(f"INSERT INTO {layer}.t ({others}, id) VALUES (1, '7')")


@pytest.mark.parametrize("mode", ["append", "merge"])
def test_a_layer_table_gets_its_run_index_with_its_second_run(tmp_path, mode):
    rows = [["id", "v"], [1, "a"], [2, "b"]]
    ok(ingest(write_csv(tmp_path / "a.csv", rows), "t", mode=mode, key=["id"]))
    # One run in a table: every row matches it, and an index would be built for nothing.
    assert [run_indexes(layer, "t") for layer in ("explore", "chart", "navigate")] == [[], [], []]
    second = ok(ingest(write_csv(tmp_path / "b.csv", rows + [[3, "c"]]), "t"))
    for layer in ("explore", "chart", "navigate"):
        [index] = run_indexes(layer, "t")
        assert "USING brin (_atlas_run_id)" in index, layer
    ok(ingest(write_csv(tmp_path / "c.csv", rows), "t", force=True))
    assert [len(run_indexes(layer, "t")) for layer in ("explore", "chart", "navigate")] == [1, 1, 1]
    assert layer_count("explore", "t", second) == 3


# --- chart -----------------------------------------------------------------------------------------

TYPED = [
    ["id", "price", "active", "day", "at", "name", "zip"],
    ["1", "2.50", "true", "2024-01-02", "2024-01-02T10:00:00Z", "Ann", "01234"],
    ["2", "-3", "no", "2024-02-29", "2024-01-02 12:30:00+02:00", "Bob", "90210"],
    ["3", "", "", "", "", "", ""],
]


def test_chart_is_typed_per_inference(tmp_path):
    ok(ingest(write_csv(tmp_path / "typed.csv", TYPED), "typed"))
    columns = layer_columns("chart", "typed")
    assert {k: v for k, v in columns.items() if not k.startswith("_atlas_")} == {
        "id": "bigint",
        "price": "numeric",
        "active": "boolean",
        "day": "date",
        "at": "timestamp with time zone",
        "name": "text",
        "zip": "text",
    }
    rows = layer_rows("chart", "typed")
    assert rows[0] == {
        "id": 1,
        "price": Decimal("2.50"),
        "active": True,
        "day": dt.date(2024, 1, 2),
        "at": dt.datetime(2024, 1, 2, 10, tzinfo=UTC),
        "name": "Ann",
        "zip": "01234",
    }
    assert rows[1]["at"] == dt.datetime(2024, 1, 2, 10, 30, tzinfo=UTC) and rows[1]["active"] is False
    assert rows[2] == {
        "id": 3,
        "price": None,
        "active": None,
        "day": None,
        "at": None,
        "name": None,
        "zip": None,
    }
    types = {c.name: c.data_type for c in Dataset.objects.get(name="typed").columns.all()}
    assert types == {
        "id": "integer",
        "price": "decimal",
        "active": "boolean",
        "day": "date",
        "at": "timestamp",
        "name": "text",
        "zip": "text",
    }


def test_declared_types_win_and_values_that_do_not_cast_are_rejected_with_the_reason(tmp_path):
    Dataset.objects.create(name="typed", table_name="typed", declared_types={"zip": "integer", "id": "text"})
    path = write_csv(
        tmp_path / "d.csv", [["id", "zip", "note"], ["1", "123", "a"], ["2", "abc", "b"], ["3", "", "c"]]
    )
    run = ok(ingest(path, "typed"))
    columns = layer_columns("chart", "typed")
    assert (columns["id"], columns["zip"]) == ("text", "bigint")
    assert layer_rows("chart", "typed") == [
        {"id": "1", "zip": 123, "note": "a"},
        {"id": "3", "zip": None, "note": "c"},
    ]
    rejected = layer_rows("rejected", "typed", system=True)
    assert len(rejected) == 1
    row = rejected[0]
    assert (
        row["_atlas_run_id"],
        row["_atlas_row"],
        row["column_name"],
        row["original_column"],
        row["value"],
    ) == (run.pk, 2, "zip", "zip", "abc")
    assert row["reason"] == "'abc' is not a valid integer for column zip"
    assert json.loads(row["record"]) == {"id": "2", "zip": "abc", "note": "b"}
    assert (run.rows_explore, run.rows_chart, run.rows_rejected, run.rows_navigate) == (3, 2, 1, 2)


def test_an_impossible_date_is_rejected_and_the_column_stays_a_date(tmp_path):
    path = write_csv(
        tmp_path / "d.csv", [["id", "day"], [1, "2024-02-28"], [2, "2024-02-30"], [3, "2024-03-01"]]
    )
    run = ok(ingest(path, "days"))
    assert layer_columns("chart", "days")["day"] == "date"
    assert [r["id"] for r in layer_rows("chart", "days")] == [1, 3]
    [rejected] = layer_rows("rejected", "days")
    assert (rejected["column_name"], rejected["value"]) == ("day", "2024-02-30")
    assert "is not a valid date for column day" in rejected["reason"]
    assert run.rows_rejected == 1 and run.rows_navigate == 2


def test_rejected_rows_name_the_first_failing_column_and_keep_the_whole_record(tmp_path):
    Dataset.objects.create(
        name="strict", table_name="strict", declared_types={"n": "integer", "d": "date", "b": "boolean"}
    )
    path = write_csv(
        tmp_path / "s.csv",
        [
            ["n", "d", "b"],
            ["1", "2024-01-01", "yes"],
            ["x", "2024-13-01", "maybe"],
            ["2", "soon", "no"],
            ["3", "2024-01-03", "perhaps"],
        ],
    )
    ok(ingest(path, "strict"))
    rejected = layer_rows("rejected", "strict")
    assert [(r["column_name"], r["value"]) for r in rejected] == [("n", "x"), ("d", "soon"), ("b", "perhaps")]
    assert json.loads(rejected[0]["record"]) == {"n": "x", "d": "2024-13-01", "b": "maybe"}
    assert layer_rows("chart", "strict") == [{"n": 1, "d": dt.date(2024, 1, 1), "b": True}]


# --- navigate --------------------------------------------------------------------------------------


def test_append_keeps_every_run_in_navigate(tmp_path):
    ok(ingest(write_csv(tmp_path / "a.csv", [["id", "v"], [1, "a"], [2, "b"]]), "t"))
    run = ok(ingest(write_csv(tmp_path / "b.csv", [["id", "v"], [1, "c"]]), "t"))
    assert [r["v"] for r in layer_rows("navigate", "t")] == ["a", "b", "c"]
    assert run.rows_navigate == 3 and Dataset.objects.get(name="t").key_columns == []


def test_replace_keeps_only_the_latest_run(tmp_path):
    ok(ingest(write_csv(tmp_path / "a.csv", [["id", "v"], [1, "a"], [2, "b"]]), "t", mode="replace"))
    run = ok(ingest(write_csv(tmp_path / "b.csv", [["id", "v"], [3, "c"]]), "t"))
    assert layer_rows("navigate", "t", system=True)[0]["_atlas_run_id"] == run.pk
    assert layer_rows("navigate", "t") == [{"id": 3, "v": "c"}]
    assert run.rows_navigate == 1


def test_merge_upserts_on_the_key_and_the_latest_row_wins(tmp_path):
    first = write_csv(
        tmp_path / "a.csv", [["sku", "qty"], ["A", 1], ["B", 2], ["A", 3]]
    )  # A twice in one file
    ok(ingest(first, "stock", mode="merge", key=["sku"]))
    assert layer_rows("navigate", "stock", order_by=["sku"]) == [
        {"sku": "A", "qty": 3},
        {"sku": "B", "qty": 2},
    ]
    run = ok(ingest(write_csv(tmp_path / "b.csv", [["sku", "qty"], ["B", 20], ["C", 30]]), "stock"))
    assert layer_rows("navigate", "stock", order_by=["sku"]) == [
        {"sku": "A", "qty": 3},
        {"sku": "B", "qty": 20},
        {"sku": "C", "qty": 30},
    ]
    assert run.rows_navigate == 3
    b = next(r for r in layer_rows("navigate", "stock", system=True) if r["sku"] == "B")
    assert b["_atlas_run_id"] == run.pk


def test_merge_on_a_composite_key(tmp_path):
    rows = [["country", "city", "pop"], ["DK", "Aarhus", 1], ["SE", "Aarhus", 2], ["DK", "Aarhus", 3]]
    ok(ingest(write_csv(tmp_path / "c.csv", rows), "cities", mode="merge", key=["country", "city"]))
    assert layer_rows("navigate", "cities", order_by=["country"]) == [
        {"country": "DK", "city": "Aarhus", "pop": 3},
        {"country": "SE", "city": "Aarhus", "pop": 2},
    ]


class KeyRecordingStage(Stage):
    """Records what profile learnt about the run's key, for the tests below."""

    name = "key_recording"
    label = "Recording the key"
    seen: list[tuple[list[str], bool | None]] = []

    def run(self, context) -> None:
        self.seen.append((list(context.key), context.extra.get("key_unique")))


def _with_key_recording():
    KeyRecordingStage.seen = []
    stages = [*settings.ATLAS_PIPELINE_STAGES, "pipeline.tests.test_stages.KeyRecordingStage"]
    return override_settings(ATLAS_PIPELINE_STAGES=stages)


@pytest.mark.parametrize(
    ("rows", "key", "unique"),
    [
        ([["sku", "qty"], ["A", 1], ["B", 2]], ["sku"], True),
        ([["sku", "qty"], ["A", 1], ["B", 2], ["A", 3]], ["sku"], False),
        ([["id", "qty"], [7, 1], [8, 2]], ["id"], True),
        ([["day", "shop", "qty"], ["2024-01-01", "x", 1], ["2024-01-01", "y", 2]], ["day", "shop"], True),
        ([["day", "shop", "qty"], ["2024-01-01", "x", 1], ["2024-01-01", "x", 2]], ["day", "shop"], False),
        ([["sku", "qty"], ["A", 1], ["", 2]], ["sku"], None),  # a missing key: not checked
    ],
    ids=["text", "text-repeats", "integer", "composite", "composite-repeats", "missing"],
)
def test_profile_tells_navigate_when_every_key_appears_once(tmp_path, rows, key, unique):
    with _with_key_recording():
        ok(ingest(write_csv(tmp_path / "u.csv", rows), "unique", mode="merge", key=key))
    assert KeyRecordingStage.seen == [(key, unique)]
    # Deduplicated or not, navigate holds the last row of each key.
    expected = {}
    for row in rows[1:]:
        if all(row[rows[0].index(k)] != "" for k in key):
            expected[tuple(row[rows[0].index(k)] for k in key)] = row[-1]
    assert sorted(r["qty"] for r in layer_rows("navigate", "unique")) == sorted(expected.values())


def test_an_inferred_key_is_known_unique(tmp_path):
    rows = [["group", "customer_id"], ["a", 10], ["a", 11], ["b", 12]]
    with _with_key_recording():
        ok(ingest(write_csv(tmp_path / "i.csv", rows), "inferred", mode="replace"))
    assert KeyRecordingStage.seen == [(["customer_id"], True)]
    assert layer_count("navigate", "inferred") == 3


@pytest.mark.parametrize("mode", ["replace", "merge"])
def test_the_key_is_inferred_when_a_column_is_unique_and_never_empty(tmp_path, mode):
    path = write_csv(
        tmp_path / "k.csv",
        [
            ["group", "customer_id", "email"],
            ["a", 10, "x@example.com"],
            ["a", 11, ""],
            ["b", 12, "y@example.com"],
        ],
    )
    run = ok(ingest(path, "customers", mode=mode))
    dataset = Dataset.objects.get(name="customers")
    assert dataset.key_columns == ["customer_id"] and dataset.key_inferred
    assert run.report["key"] == ["customer_id"]
    assert dataset.columns.get(name="customer_id").is_key
    if mode == "merge":
        ok(
            ingest(
                write_csv(
                    tmp_path / "k2.csv", [["group", "customer_id", "email"], ["c", 11, "z@example.com"]]
                ),
                "customers",
            )
        )
        assert layer_count("navigate", "customers") == 3
        assert [r["group_"] for r in layer_rows("navigate", "customers", order_by=["customer_id"])] == [
            "a",
            "c",
            "b",
        ]


def test_no_key_is_inferred_in_append_mode(tmp_path):
    ok(ingest(write_csv(tmp_path / "k.csv", [["id", "v"], [1, "a"], [2, "b"]]), "log"))
    assert Dataset.objects.get(name="log").key_columns == []


# --- profile and catalog ---------------------------------------------------------------------------


def test_profile_statistics_are_kept_on_the_columns(tmp_path):
    ok(
        ingest(
            write_csv(
                tmp_path / "p.csv", [["n", "name", "ok"], [1, "Ann", "yes"], [3, "", "no"], [5, "Bo", "y"]]
            ),
            "profiled",
        )
    )
    stats = {c.name: c.stats for c in Dataset.objects.get(name="profiled").columns.all()}
    assert (
        stats["n"]["rows"],
        stats["n"]["nulls"],
        stats["n"]["min"],
        stats["n"]["max"],
        stats["n"]["mean"],
    ) == (3, 0, "1", "5", 3.0)
    assert (stats["name"]["nulls"], stats["name"]["max_length"]) == (1, 3)
    assert stats["name"]["null_share"] == pytest.approx(1 / 3, abs=1e-6)
    assert stats["ok"]["true_count"] == 2


def test_text_lengths_are_counted_in_characters_whatever_the_alphabet(tmp_path):
    rows = [["city", "code"], ["Ålborg", "AB"], ["Zoë", "ABCD"], ["東京都", "A"]]
    ok(ingest(write_csv(tmp_path / "l.csv", rows), "lengths"))
    stats = {c.name: c.stats for c in Dataset.objects.get(name="lengths").columns.all()}
    # Ålborg is six characters in seven bytes; the ASCII column is measured by its bytes.
    assert (stats["city"]["max_length"], stats["code"]["max_length"]) == (6, 4)


def test_the_catalog_registers_dataset_columns_and_a_schema_version(tmp_path):
    path = write_csv(
        tmp_path / "c.csv",
        [["Customer ID", "E-mail", "select", "Straße"], [1, "a@b.c", "x", "Hauptstraße 1"]],
    )
    run = ok(ingest(path, "Customer Master"))
    dataset = Dataset.objects.get(name="Customer Master")
    assert dataset.table_name == "customer_master"
    assert [
        (c.name, c.warehouse_name, c.position, c.present) for c in dataset.columns.order_by("position")
    ] == [
        ("Customer ID", "customer_id", 1, True),
        ("E-mail", "e_mail", 2, True),
        ("select", "select_", 3, True),
        ("Straße", "strasse", 4, True),
    ]
    [version] = SchemaVersion.objects.filter(dataset=dataset)
    assert version.version == 1 and version.run_id == run.pk and version.changes == []
    assert version.columns == [
        {"name": "Customer ID", "warehouse_name": "customer_id", "type": "integer"},
        {"name": "E-mail", "warehouse_name": "e_mail", "type": "text"},
        {"name": "select", "warehouse_name": "select_", "type": "text"},
        {"name": "Straße", "warehouse_name": "strasse", "type": "text"},
    ]
    assert set(layer_columns("navigate", dataset)) >= {"customer_id", "e_mail", "select_", "strasse"}
    # The same file again changes nothing in the schema.
    ok(ingest(path, "Customer Master", force=True))
    assert SchemaVersion.objects.filter(dataset=dataset).count() == 1


def test_a_merge_dataset_whose_key_changes_merges_on_the_new_key(tmp_path):
    ok(ingest(write_csv(tmp_path / "a.csv", [["a", "b"], [1, 10], [2, 20]]), "m", mode="merge", key=["a"]))
    ok(ingest(write_csv(tmp_path / "b.csv", [["a", "b"], [3, 10], [4, 30]]), "m", key=["b"]))
    assert layer_rows("navigate", "m", order_by=["b"]) == [
        {"a": 3, "b": 10},
        {"a": 2, "b": 20},
        {"a": 4, "b": 30},
    ]
    # Back to the first key: navigate now holds a=2,3,4 once each, so it can be merged on a again.
    ok(ingest(write_csv(tmp_path / "c.csv", [["a", "b"], [3, 99]]), "m", key=["a"]))
    assert layer_rows("navigate", "m", order_by=["a"]) == [
        {"a": 2, "b": 20},
        {"a": 3, "b": 99},
        {"a": 4, "b": 30},
    ]


def test_merging_a_navigate_table_that_holds_duplicate_keys_says_how_to_start_clean(tmp_path):
    ok(
        ingest(write_csv(tmp_path / "a.csv", [["a", "b"], [1, 10], [1, 20]]), "m")
    )  # append: duplicates allowed
    run = ingest(write_csv(tmp_path / "b.csv", [["a", "b"], [2, 30]]), "m", mode="merge", key=["a"])
    assert run.status == RunStatus.FAILED
    assert "Navigate already holds several rows for the same key" in run.error and "replace" in run.error
    assert layer_rows("navigate", "m") == [{"a": 1, "b": 10}, {"a": 1, "b": 20}]


def test_values_postgresql_refuses_in_any_way_are_rejected_not_fatal(tmp_path):
    # Each looks like its type to inference but is refused by PostgreSQL, each with another error code.
    rows = [
        ["id", "at", "day", "n"],
        [1, "2024-01-02T10:00:00+01:00", "2024-01-02", "1"],
        [2, "2024-01-02T10:00:00+99:00", "2024-01-03", "2"],  # time zone displacement out of range
        [3, "2024-01-02T25:00:00", "2024-01-04", "3"],  # hour out of range
        [4, "2024-01-02T10:00:00", "0000-01-01", "4"],  # there is no year 0
        [5, "2024-01-02T10:00:00", "2024-01-05", "5"],
    ]
    run = ok(ingest(write_csv(tmp_path / "t.csv", rows), "odd"))
    assert [r["id"] for r in layer_rows("chart", "odd")] == [1, 5]
    assert [(r["column_name"], r["value"]) for r in layer_rows("rejected", "odd")] == [
        ("at", "2024-01-02T10:00:00+99:00"),
        ("at", "2024-01-02T25:00:00"),
        ("day", "0000-01-01"),
    ]
    assert run.rows_rejected == 3


def test_loads_read_in_parallel_keep_every_row_and_reject_the_same_ones(tmp_path, parallel_reads):
    # Before PostgreSQL 16 the validity check is a PL/pgSQL block that parallel workers cannot run.
    Dataset.objects.create(name="wide", table_name="wide", declared_types={"n": "integer"})
    rows = [["n", "at", "note"]]
    rows += [[str(i), f"2024-01-{1 + i % 28:02d}T10:00:00", f"row {i}"] for i in range(500)]
    rows[7][0] = "seven"
    first = ok(ingest(write_csv(tmp_path / "a.csv", rows), "wide"))
    rows[1][2] = "changed"
    second = ok(ingest(write_csv(tmp_path / "b.csv", rows), "wide"))
    for run, published in ((first, 499), (second, 998)):  # a new chart table, then an existing one
        counts = (run.rows_explore, run.rows_chart, run.rows_rejected, run.rows_navigate)
        assert counts == (500, 499, 1, published)
    assert layer_columns("chart", "wide")["at"] == "timestamp with time zone"
    assert sorted(r["n"] for r in layer_rows("chart", "wide"))[:3] == [0, 0, 1]
    assert [r["value"] for r in layer_rows("rejected", "wide")] == ["seven", "seven"]
