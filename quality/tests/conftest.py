"""Fixtures for quality tests that run the chain against the real PostgreSQL."""

from __future__ import annotations

import pytest

from pipeline.tests.factories import drop_warehouse_tables


@pytest.fixture
def clean_warehouse(transactional_db):
    """An empty explore, chart and navigate before and after the test (runs commit for real)."""
    drop_warehouse_tables()
    yield
    drop_warehouse_tables()
