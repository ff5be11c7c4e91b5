"""Fixtures for pipeline tests that run the chain against the real PostgreSQL.

Runs write to the warehouse schemas, which Django's test flush does not touch:
``clean_warehouse`` drops their tables before and after a test so every test
starts from an empty warehouse.
"""

from __future__ import annotations

import pytest

from pipeline.tests.factories import drop_warehouse_tables


@pytest.fixture
def clean_warehouse(transactional_db):
    """An empty explore, chart and navigate, before and after the test (which commits for real)."""
    drop_warehouse_tables()
    yield
    drop_warehouse_tables()
