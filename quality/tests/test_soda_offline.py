"""Soda in Atlas makes no network call: it runs on the run's already-open connection, telemetry off."""
from __future__ import annotations

import socket

import pytest
from django.db import connection, transaction

from atlas import warehouse
from quality.choices import CheckOutcome
from quality.engine.soda_offline import telemetry_enabled
from quality.services.sodacl import run_soda_checks
from quality.services.target import CheckTarget
from quality.tests.helpers import dataset, ingest_json, order_rows


class NetworkAttempt(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Any new socket connection or name lookup fails the test."""

    def refuse(*args, **kwargs):
        raise NetworkAttempt(f"network access attempted: {args[1:] if args else kwargs}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket.socket, "connect_ex", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    monkeypatch.setattr(socket, "getaddrinfo", refuse)


@pytest.mark.usefixtures("clean_warehouse")
def test_a_scan_opens_no_socket_and_sends_no_telemetry(tmp_path, request):
    ingest_json(tmp_path, "orders", order_rows(5))
    ds = dataset("orders")
    run = ds.last_run
    connection.ensure_connection()
    with transaction.atomic():
        cursor = warehouse.raw_cursor()
        target = CheckTarget.from_catalog(ds, run, cursor)
        request.getfixturevalue("no_network")
        text = "checks for orders:\n  - row_count = 5\n  - missing_count(email) = 1\n"
        records = run_soda_checks(target, text)
    assert [(r.name, r.outcome) for r in records] == [
        ("row_count = 5", CheckOutcome.PASS), ("missing_count(email) = 1", CheckOutcome.PASS)
    ]
    assert not telemetry_enabled()


@pytest.mark.usefixtures("clean_warehouse")
def test_the_scan_leaves_the_transaction_as_it_found_it(tmp_path):
    ingest_json(tmp_path, "orders", order_rows(5))
    ds = dataset("orders")
    with transaction.atomic():
        cursor = warehouse.raw_cursor()
        run_soda_checks(CheckTarget.from_catalog(ds, ds.last_run, cursor),
                        "checks for orders:\n  - missing_count(nope) = 0\n")
        cursor.execute("SELECT current_setting('transaction_read_only'), to_regclass('pg_temp.orders')")
        assert cursor.fetchone() == ("off", None)
        cursor.execute("CREATE TEMP TABLE still_writable (x int)")  # the run's transaction can go on
