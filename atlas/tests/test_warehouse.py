"""The warehouse module: schemas, safe identifiers, tables, COPY and dropping a run's rows."""
import pytest

from atlas import warehouse

pytestmark = pytest.mark.django_db


def test_the_three_schemas_exist_after_migrate():
    cursor = warehouse.raw_cursor()
    cursor.execute("SELECT nspname FROM pg_namespace WHERE nspname IN ('explore', 'chart', 'navigate')")
    assert {row[0] for row in cursor.fetchall()} == {"explore", "chart", "navigate"}
    assert warehouse.SCHEMAS == ("explore", "chart", "navigate")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Customer ID", "customer_id"),
        ("Straße", "strasse"),
        ("select", "select_"),
        ("2024 revenue", "c_2024_revenue"),
        ("_atlas_run_id", "atlas_run_id_"),
        ("💥", "column_"),
        ('a"; DROP TABLE x; --', "a_drop_table_x"),
    ],
)
def test_safe_identifier(name, expected):
    assert warehouse.safe_identifier(name) == expected


def test_safe_identifier_is_unique_and_fits():
    taken = {"email"}
    assert warehouse.safe_identifier("E-mail", taken) == "e_mail"
    assert warehouse.safe_identifier("email", taken) == "email_2"
    long = warehouse.safe_identifier("x" * 100, {"x" * 63})
    assert len(long.encode()) <= 63 and long.endswith("_2")
    assert len(warehouse.safe_table_name("t" * 100)) <= 63 - warehouse.TABLE_SUFFIX_ROOM


def test_table_lifecycle_with_hostile_names():
    cursor = warehouse.raw_cursor()
    name = 'weird "table"; name'
    columns = [("_atlas_run_id", "bigint"), ("Full Name", "text"), ("select", "text")]
    warehouse.create_table(cursor, "explore", name, columns)
    assert warehouse.table_exists(cursor, "explore", name)
    added = warehouse.add_columns(cursor, "explore", name, [("select", "text"), ("e-mail", "text")])
    assert added == ["e-mail"]
    columns = list(warehouse.table_columns(cursor, "explore", name))
    assert columns == ["_atlas_run_id", "Full Name", "select", "e-mail"]

    rows = [(1, "Ada", "ada@example.com"), (1, "Ø'Brien \\ tab\t", None), (2, "Grace", "g@example.com")]
    warehouse.copy_rows(cursor, "explore", name, ["_atlas_run_id", "Full Name", "e-mail"], rows)
    chunks = iter([b"3\tLinus\n", b"3\t\\N\n"])
    warehouse.copy_text(cursor, "explore", name, ["_atlas_run_id", "Full Name"], chunks)
    assert warehouse.row_count(cursor, "explore", name) == 5
    assert warehouse.row_count(cursor, "explore", name, run_id=1) == 2
    quoted = name.replace('"', '""')
    cursor.execute(f'SELECT "Full Name" FROM explore."{quoted}" WHERE "e-mail" IS NULL AND _atlas_run_id = 1')
    assert cursor.fetchone()[0] == "Ø'Brien \\ tab\t"

    assert not warehouse.has_index_on(cursor, "explore", name, "_atlas_run_id")
    cursor.execute(f'CREATE INDEX ON explore."{quoted}" USING brin (_atlas_run_id)')
    assert warehouse.has_index_on(cursor, "explore", name, "_atlas_run_id")
    assert not warehouse.has_index_on(cursor, "explore", name, "Full Name")

    assert warehouse.delete_run(cursor, "explore", name, 1) == 2
    assert warehouse.row_count(cursor, "explore", name) == 3
    warehouse.drop_table(cursor, "explore", name)
    assert not warehouse.table_exists(cursor, "explore", name)
    assert warehouse.delete_run(cursor, "explore", name, 2) == 0
    assert warehouse.row_count(cursor, "explore", name) == 0
