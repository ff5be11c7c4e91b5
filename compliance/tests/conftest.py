"""Fixtures: a people dataset ingested once per module through the real pipeline, and a clean warehouse."""
from __future__ import annotations

import itertools

import pytest

from compliance.tests.helpers import committed_data, ingest, people_rows, write_csv

_counter = itertools.count()


@pytest.fixture(scope="module")
def people(django_db_setup, django_db_blocker, tmp_path_factory):
    """Committed for the module: dataset "people" (a column per entity, look-alikes, free text), its report.

    Yields ``{"report", "expected", "lookalikes", "rows"}``.
    """
    rows, expected, lookalikes = people_rows()
    path = write_csv(tmp_path_factory.mktemp("people") / "people.csv", rows)
    with committed_data(django_db_blocker):
        report = ingest(path, "people")
        yield {"report": report, "expected": expected, "lookalikes": lookalikes, "rows": rows}


@pytest.fixture
def load(tmp_path, clean_warehouse):
    """``load("people", rows)`` writes ``rows`` (header first) to a CSV and ingests it; returns the report."""

    def run(dataset: str, rows: list[list[str]], **options) -> dict:
        path = write_csv(tmp_path / f"{dataset}-{next(_counter)}.csv", rows)
        return ingest(path, dataset, **options)

    return run
