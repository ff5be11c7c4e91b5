"""Rows whose key is empty cannot be deduplicated: they stay in chart and the run says so."""
from __future__ import annotations

import pytest

from pipeline.models import PipelineRun

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_rows_with_an_empty_key_are_left_out_of_navigate_with_a_warning(load):
    rows = [["id", "city"], ["1", "Oslo"], ["", "Bergen"], ["2", "Tromsø"], ["", "Bodø"]]
    report = load("towns", rows, key=["id"], mode="replace")
    assert report["rows"]["chart"] == 4
    assert report["rows"]["navigate"] == 2
    assert any("2 row(s) have an empty key (id)" in w for w in report["warnings"])
    assert PipelineRun.objects.get(pk=report["run_id"]).warnings == report["warnings"]


def test_no_warning_when_every_row_has_its_key(load):
    report = load("towns", [["id", "city"], ["1", "Oslo"], ["2", "Bergen"]], key=["id"], mode="merge")
    assert report["rows"]["navigate"] == 2
    assert not any("empty key" in w for w in report["warnings"])
