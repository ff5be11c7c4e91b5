"""Schema evolution: columns come and go between files; every change is a schema version with its diff."""

from __future__ import annotations

from decimal import Decimal

import pytest

from catalog.models import Dataset, SchemaVersion
from pipeline.choices import RunStatus
from pipeline.tests.factories import ingest, layer_columns, layer_rows, write_csv

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]

LAYERS = ("explore", "chart", "navigate")


def ok(run):
    assert run.status == RunStatus.SUCCEEDED, run.error
    return run


def versions(name: str) -> list[SchemaVersion]:
    return list(SchemaVersion.objects.filter(dataset__name=name).order_by("version"))


def data_columns(layer: str, name: str) -> dict[str, str]:
    return {k: v for k, v in layer_columns(layer, name).items() if not k.startswith("_atlas_")}


def test_a_new_column_is_added_nullable_to_every_layer(tmp_path):
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "name"], [1, "Ann"]]), "people"))
    run = ok(
        ingest(
            write_csv(tmp_path / "2.csv", [["id", "E-mail", "name"], [2, "bo@example.com", "Bo"]]), "people"
        )
    )
    for layer in LAYERS:
        assert "e_mail" in data_columns(layer, "people"), layer
    assert data_columns("chart", "people") == {"id": "bigint", "name": "text", "e_mail": "text"}
    assert layer_rows("navigate", "people") == [
        {"id": 1, "name": "Ann", "e_mail": None},
        {"id": 2, "name": "Bo", "e_mail": "bo@example.com"},
    ]
    assert layer_rows("explore", "people")[0]["e_mail"] is None  # old rows: null, not empty text
    v1, v2 = versions("people")
    assert v2.run_id == run.pk and not v2.breaking
    assert v2.changes == [{"change": "added", "column": "E-mail", "to": "text"}]
    assert [c["name"] for c in v2.columns] == ["id", "E-mail", "name"]
    assert any("Schema changed (version 2)" in w and "E-mail" in w for w in run.warnings)


def test_a_missing_column_stays_and_is_null_for_new_rows(tmp_path):
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "name", "amount"], [1, "Ann", "2.5"]]), "orders"))
    run = ok(ingest(write_csv(tmp_path / "2.csv", [["id", "name"], [2, "Bo"]]), "orders"))
    for layer in LAYERS:
        assert "amount" in data_columns(layer, "orders"), layer
    assert layer_rows("chart", "orders") == [
        {"id": 1, "name": "Ann", "amount": Decimal("2.5")},
        {"id": 2, "name": "Bo", "amount": None},
    ]
    column = Dataset.objects.get(name="orders").columns.get(name="amount")
    assert not column.present and column.data_type == "decimal"
    v2 = versions("orders")[1]
    assert v2.breaking and v2.changes == [{"change": "removed", "column": "amount", "from": "decimal"}]
    assert Dataset.objects.get(name="orders").breaking_change
    assert run.report["columns"][-1] == {
        "name": "amount",
        "warehouse_name": "amount",
        "type": "decimal",
        "in_file": False,
        "pii": [],
    }

    # It comes back: present again, filled again, recorded as added.
    ok(ingest(write_csv(tmp_path / "3.csv", [["id", "amount", "name"], [3, "7", "Cy"]]), "orders"))
    assert layer_rows("chart", "orders")[-1] == {"id": 3, "name": "Cy", "amount": Decimal("7")}
    assert Dataset.objects.get(name="orders").columns.get(name="amount").present
    assert versions("orders")[2].changes == [{"change": "added", "column": "amount", "to": "decimal"}]


def test_values_that_no_longer_cast_go_to_rejected(tmp_path):
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "amount", "day"], [1, "2.5", "2024-01-01"]]), "sales"))
    run = ok(
        ingest(
            write_csv(
                tmp_path / "2.csv",
                [
                    ["id", "amount", "day"],
                    [2, "n/a", "2024-01-02"],
                    [3, "4", "tomorrow"],
                    [4, "5.5", "2024-01-04"],
                ],
            ),
            "sales",
        )
    )
    assert data_columns("chart", "sales") == {"id": "bigint", "amount": "numeric", "day": "date"}
    assert [r["id"] for r in layer_rows("chart", "sales")] == [1, 4]
    rejected = layer_rows("rejected", "sales")
    assert [(r["column_name"], r["value"]) for r in rejected] == [("amount", "n/a"), ("day", "tomorrow")]
    assert rejected[0]["reason"] == "'n/a' is not a valid decimal for column amount"
    assert run.rows_rejected == 2
    assert len(versions("sales")) == 1  # the schema itself did not change


def test_a_changed_declared_type_is_recorded_as_type_changed(tmp_path):
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "code"], [1, "100"], [2, "200"]]), "codes"))
    assert data_columns("chart", "codes")["code"] == "bigint"
    Dataset.objects.filter(name="codes").update(declared_types={"code": "text"})
    run = ok(ingest(write_csv(tmp_path / "2.csv", [["id", "code"], [3, "A-7"]]), "codes"))
    assert data_columns("chart", "codes")["code"] == "text"
    assert data_columns("navigate", "codes")["code"] == "text"
    assert [r["code"] for r in layer_rows("navigate", "codes")] == ["100", "200", "A-7"]
    v2 = versions("codes")[1]
    assert v2.breaking and v2.run_id == run.pk
    assert v2.changes == [{"change": "type_changed", "column": "code", "from": "integer", "to": "text"}]
    assert Dataset.objects.get(name="codes").columns.get(name="code").data_type == "text"


def test_a_later_file_with_a_wider_inferred_type_keeps_the_established_type(tmp_path):
    # Chart's type is established by the first run; later values that do not fit are rejected, not retyped.
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "qty"], [1, "3"]]), "stock"))
    run = ok(ingest(write_csv(tmp_path / "2.csv", [["id", "qty"], [2, "3.5"], [3, "4"]]), "stock"))
    assert data_columns("chart", "stock")["qty"] == "bigint"
    assert [r["value"] for r in layer_rows("rejected", "stock")] == ["3.5"]
    assert run.rows_chart == 1 and len(versions("stock")) == 1


def test_several_changes_at_once_make_one_version(tmp_path):
    ok(ingest(write_csv(tmp_path / "1.csv", [["a", "b", "c"], [1, "x", "2024-01-01"]]), "multi"))
    ok(ingest(write_csv(tmp_path / "2.csv", [["a", "c", "d", "e"], [2, "2024-01-02", "y", "1.5"]]), "multi"))
    v1, v2 = versions("multi")
    assert sorted((c["change"], c["column"]) for c in v2.changes) == [
        ("added", "d"),
        ("added", "e"),
        ("removed", "b"),
    ]
    for layer in LAYERS:
        assert list(data_columns(layer, "multi")) == ["a", "b", "c", "d", "e"], layer


def test_a_declared_type_every_layer_can_follow(tmp_path):
    # 0 and 1 become booleans in chart and navigate (bigint has no direct cast to boolean).
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "flag"], [1, "1"], [2, "0"]]), "flags"))
    Dataset.objects.filter(name="flags").update(declared_types={"flag": "boolean"})
    ok(ingest(write_csv(tmp_path / "2.csv", [["id", "flag"], [3, "yes"]]), "flags"))
    for layer in ("chart", "navigate"):
        assert data_columns(layer, "flags")["flag"] == "boolean", layer
    assert [r["flag"] for r in layer_rows("navigate", "flags")] == [True, False, True]


def test_a_declared_type_the_kept_rows_cannot_follow_fails_clearly(tmp_path):
    ok(ingest(write_csv(tmp_path / "1.csv", [["id", "code"], [1, "A-1"], [2, "B-2"]]), "codes"))
    Dataset.objects.filter(name="codes").update(declared_types={"code": "integer"})
    run = ingest(write_csv(tmp_path / "2.csv", [["id", "code"], [3, "7"]]), "codes")
    assert run.status == RunStatus.FAILED
    assert run.error.startswith(
        "Column 'code' is declared integer, but chart already holds values that are not"
    )
    assert data_columns("chart", "codes")["code"] == "text"
    assert [r["code"] for r in layer_rows("navigate", "codes")] == ["A-1", "B-2"]
    assert len(versions("codes")) == 1
