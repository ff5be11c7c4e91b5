"""SodaCL: validation messages, real scans on PostgreSQL, and no network traffic."""

from __future__ import annotations

import ipaddress
import socket

import pytest

from quality.engine.soda import run_sodacl, validate_sodacl
from quality.engine.soda_offline import prepare_soda_offline, telemetry_enabled
from quality.tests.conftest_engine import conn, make_chart_table, schema, test_dsn  # noqa: F401

COLUMNS = [("id", "bigint"), ("email", "text"), ("amount", "numeric")]
ROWS = [(1, "a@example.com", 10), (2, None, 20), (3, "not an email", 30), (3, "c@example.com", None)]


@pytest.fixture
def orders(conn, schema):  # noqa: F811
    make_chart_table(conn, schema, "orders", COLUMNS, ROWS, run_id=1)
    make_chart_table(conn, schema, "orders", COLUMNS, [(9, None, -1)] * 5, run_id=2, first_row=1)
    return schema


def by_name(outcomes):
    return {o.name: o for o in outcomes}


@pytest.mark.parametrize(
    "text, expected",
    [
        ("checks for orders:\n  - row_count > 0\n   - bad: [\n", "line 3: YAML syntax error"),
        (
            "checks for orders:\n  - row_count > 0\n  - rowcount >> 0\n",
            'line 3: Invalid check "rowcount >> 0"',
        ),
        ("checkz for orders:\n  - row_count > 0\n", 'line 1: Invalid section header "checkz for orders"'),
        (
            "checks for orders:\n  - missing_count(email) = 0:\n      missing valuez: [n/a]\n",
            "line 3: Skipping unsupported check configuration: missing valuez",
        ),
        (
            "checks for customers:\n  - row_count > 0\n",
            "line 1: checks for 'customers', but this dataset's table",
        ),
        (
            "checks for orders:\n  - anomaly detection for row_count\n",
            'line 2: "anomaly detection for row_count"',
        ),
        ("checks for orders:\n  - change for row_count < 10%\n", "needs Soda Cloud"),
        ("   \n", "the SodaCL document is empty"),
    ],
)
def test_validation_points_at_the_bad_line(text, expected):
    messages = validate_sodacl(text, table="orders")
    assert any(m.startswith(expected) or expected in m for m in messages), messages


def test_valid_document_has_no_messages():
    text = (
        "checks for orders:\n"
        "  - row_count between 1 and 100\n"
        "  - missing_percent(email) < 5%\n"
        "  - invalid_count(email) = 0:\n"
        "      valid format: email\n"
        "  - duplicate_count(id) = 0\n"
    )
    assert validate_sodacl(text, table="orders") == []


def test_scan_passes_and_fails_on_one_run(orders):
    text = (
        "checks for orders:\n"
        "  - row_count = 4\n"
        "  - missing_count(email) = 0\n"
        "  - invalid_count(email) = 0:\n"
        "      valid format: email\n"
        "  - duplicate_count(id) = 0\n"
        "  - avg(amount) between 10 and 30\n"
        "  - missing_count(amount):\n"
        "      warn: when > 0\n"
        "      fail: when > 5\n"
        "  - failed rows:\n"
        "      name: no negative amounts\n"
        "      fail condition: amount < 0\n"
        "  - failed rows:\n"
        "      name: amounts up to 25\n"
        "      fail condition: amount > 25\n"
        "  - anomaly detection for row_count\n"
    )
    outcomes = by_name(run_sodacl(test_dsn(), schema=orders, table="orders", sodacl=text, run_id=1))
    # Failed-row counts still come through with sampling off.
    assert (outcomes["amounts up to 25"].outcome, outcomes["amounts up to 25"].value) == ("fail", 1)
    assert outcomes["row_count = 4"].outcome == "pass" and outcomes["row_count = 4"].value == 4
    assert outcomes["missing_count(email) = 0"].outcome == "fail"
    assert outcomes["missing_count(email) = 0"].value == 1
    assert outcomes["invalid_count(email) = 0"].value == 1
    assert outcomes["duplicate_count(id) = 0"].outcome == "fail"
    assert outcomes["avg(amount) between 10 and 30"].value == pytest.approx(20)
    warned = outcomes["missing_count(amount) warn when > 0 fail when > 5"]
    assert (warned.outcome, warned.value) == ("warn", 1)
    # Run 2's negative amounts are outside the run being checked.
    assert outcomes["no negative amounts"].outcome == "pass"
    cloud = outcomes["anomaly detection for row_count"]
    assert cloud.outcome == "error" and cloud.needs_cloud and "quality.engine.history" in cloud.message
    assert cloud.line == 17


def test_whole_table_without_run_id(orders):
    outcomes = run_sodacl(
        test_dsn(), schema=orders, table="orders", sodacl="checks for orders:\n  - row_count = 9\n"
    )
    assert [(o.outcome, o.value) for o in outcomes] == [("pass", 9)]


def test_unparseable_document_is_an_error_outcome_without_a_scan(orders):
    outcomes = run_sodacl(
        test_dsn(), schema=orders, table="orders", sodacl="checks for orders:\n  - row_count >> 0\n"
    )
    assert len(outcomes) == 1 and outcomes[0].outcome == "error"
    assert outcomes[0].message.startswith("line 2: Invalid check")


def test_user_sql_cannot_change_the_warehouse(conn, orders):  # noqa: F811
    text = (
        "checks for orders:\n"
        "  - failed rows:\n"
        "      name: sneaky\n"
        "      fail query: DELETE FROM orders RETURNING id\n"
    )
    outcomes = run_sodacl(conn, schema=orders, table="orders", sodacl=text)
    assert outcomes[0].outcome == "error"
    assert conn.execute(f'SELECT count(*) FROM "{orders}".orders').fetchone() == (9,)


def _is_local(address: object) -> bool:
    if isinstance(address, (str, bytes)):  # a unix socket path
        return True
    host = str(address[0]) if isinstance(address, tuple) else ""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def test_no_network_call_is_attempted(monkeypatch, orders):
    attempts: list[object] = []
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard_connect(self, address):
        if not _is_local(address):
            attempts.append(address)
            raise OSError(f"test refused a network connection to {address!r}")
        return real_connect(self, address)

    def guard_connect_ex(self, address):
        if not _is_local(address):
            attempts.append(address)
            return 111
        return real_connect_ex(self, address)

    def guard_getaddrinfo(host, *args, **kwargs):
        if host is not None and not _is_local((host,)):
            attempts.append(("dns", host))
            raise socket.gaierror(f"test refused a DNS lookup of {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", guard_connect)
    monkeypatch.setattr(socket.socket, "connect_ex", guard_connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", guard_getaddrinfo)

    # The guard itself works: an outside address is refused before any packet leaves.
    with pytest.raises(OSError, match="refused"):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
    attempts.clear()

    prepare_soda_offline()
    assert not telemetry_enabled()
    text = (
        "checks for orders:\n  - row_count > 0\n  - missing_count(email) = 0\n  - duplicate_count(id) = 0\n"
    )
    assert validate_sodacl(text, table="orders") == []
    outcomes = run_sodacl(test_dsn(), schema=orders, table="orders", sodacl=text, run_id=1)
    assert {o.outcome for o in outcomes} == {"pass", "fail"}
    assert attempts == []


def test_unreachable_database_is_one_clear_error():
    outcomes = run_sodacl(
        "postgresql://root@127.0.0.1:1/nowhere",
        schema="chart",
        table="orders",
        sodacl="checks for orders:\n  - row_count > 0\n",
    )
    assert len(outcomes) == 1 and outcomes[0].outcome == "error"
    assert "Could not connect" in outcomes[0].message or "connect" in outcomes[0].message.lower()
