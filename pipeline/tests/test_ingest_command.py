"""``manage.py atlas_ingest``: the JSON report of DESIGN.md, exit status, one-line errors, progress."""

from __future__ import annotations

import json
import re

import pytest

from atlas.testing.processes import clean_env, run_manage, test_database_url
from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun
from pipeline.tests.factories import layer_count, write_bytes, write_csv

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("clean_warehouse"),
    pytest.mark.slow,
]

SALES = [
    ["id", "customer", "amount", "paid", "day"],
    [1, "Ann", "2.50", "yes", "2024-01-02"],
    [2, "Bob", "3.75", "no", "2024-01-03"],
    [3, "Cy", "x", "yes", "2024-01-04"],
]
PROGRESS_LINE = re.compile(r" *(?P<percent>\d+\.\d)% (?P<stage>[a-z_]+): .*")
DIMENSIONS = {"completeness", "uniqueness", "timeliness", "validity", "accuracy", "consistency"}


@pytest.fixture
def atlas_ingest(tmp_path):
    """Runs ``manage.py atlas_ingest ARGS`` in a subprocess against the test database."""
    env = clean_env(DATABASE_URL=test_database_url(), ATLAS_DATA_DIR=str(tmp_path / "var"))

    def run(*args: str):
        return run_manage("atlas_ingest", *args, env=env, timeout=300)

    return run


def test_json_report_has_the_documented_shape(tmp_path, atlas_ingest):
    Dataset.objects.create(name="sales", table_name="sales", declared_types={"amount": "decimal"})
    path = write_csv(tmp_path / "sales.csv", SALES)
    done = atlas_ingest(str(path), "--dataset", "sales", "--key", "id", "--mode", "merge", "--format", "json")
    assert done.returncode == 0, done.stderr
    report = json.loads(done.stdout)  # stdout is the report and nothing else
    run = PipelineRun.objects.get()
    assert run.status == RunStatus.SUCCEEDED
    assert {"run_id", "dataset", "status", "rows", "timings", "columns", "quality"} <= set(report)
    assert list(report)[:3] == ["run_id", "dataset", "status"]
    assert (report["run_id"], report["dataset"], report["status"]) == (run.pk, "sales", "succeeded")
    assert report["rows"] == {"received": 3, "explore": 3, "chart": 2, "rejected": 1, "navigate": 2}
    assert {"explore", "chart", "profile", "navigate", "catalog"} <= set(report["timings"])
    assert all(isinstance(seconds, int | float) and seconds >= 0 for seconds in report["timings"].values())
    assert [(c["name"], c["type"]) for c in report["columns"]] == [
        ("id", "integer"),
        ("customer", "text"),
        ("amount", "decimal"),
        ("paid", "boolean"),
        ("day", "date"),
    ]
    for column in report["columns"]:
        assert isinstance(column["pii"], list)
        for finding in column["pii"]:
            assert set(finding) == {"entity", "confidence"} and 0 <= finding["confidence"] <= 1
    quality = report["quality"]
    if quality is not None:  # present once the quality stage is in the chain
        assert 0 <= quality["overall_score"] <= 1
        assert set(quality["dimensions"]) == DIMENSIONS
        for dimension in quality["dimensions"].values():
            assert {"score", "threshold", "passed"} <= set(dimension)
    assert report == run.report | {k: v for k, v in report.items() if k not in run.report}
    assert layer_count("navigate", "sales") == 2


def test_a_bad_file_exits_non_zero_with_a_one_line_reason(tmp_path, atlas_ingest):
    path = write_bytes(tmp_path / "header.csv", b"id,name\n")
    done = atlas_ingest(str(path), "--dataset", "empty", "--format", "json")
    assert done.returncode != 0
    assert done.stderr.strip() == (
        "CommandError: The file has a header row but no data rows; there is nothing to load."
    )
    report = json.loads(done.stdout)
    assert report["status"] == "failed" and report["error"].startswith("The file has a header row")
    assert PipelineRun.objects.get().status == RunStatus.FAILED


@pytest.mark.parametrize(
    ("make_args", "reason"),
    [
        (lambda tmp: [str(tmp / "missing.csv"), "--dataset", "x"], "No file at"),
        (lambda tmp: [str(write_bytes(tmp / "blank.csv", b"")), "--dataset", "x"], "The file is empty."),
        (
            lambda tmp: [str(write_csv(tmp / "s.csv", SALES)), "--dataset", "x", "--mode", "sideways"],
            "invalid choice",
        ),
    ],
)
def test_errors_before_or_during_a_run_are_one_line(tmp_path, atlas_ingest, make_args, reason):
    done = atlas_ingest(*make_args(tmp_path))
    assert done.returncode != 0
    assert reason in done.stderr
    assert "Traceback" not in done.stderr
    assert reason in done.stderr.strip().splitlines()[-1]


def test_a_duplicate_says_which_run_loaded_it_and_force_loads_again(tmp_path, atlas_ingest):
    path = str(write_csv(tmp_path / "sales.csv", SALES))
    assert atlas_ingest(path, "--dataset", "sales", "--format", "json").returncode == 0
    first = PipelineRun.objects.get()
    again = atlas_ingest(path, "--dataset", "sales", "--format", "json")
    assert again.returncode != 0
    assert again.stderr.strip().splitlines() == [
        f"CommandError: This file was already ingested into 'sales' by run {first.pk} on "
        f"{first.created:%Y-%m-%d %H:%M} UTC. Upload it again with force to load it once more."
    ]
    forced = atlas_ingest(path, "--dataset", "sales", "--format", "json", "--force")
    assert forced.returncode == 0, forced.stderr
    assert json.loads(forced.stdout)["rows"]["explore"] == 3
    assert layer_count("explore", "sales") == 6


def test_a_clashing_dataset_name_is_refused(tmp_path, atlas_ingest):
    path = str(write_csv(tmp_path / "sales.csv", SALES))
    assert atlas_ingest(path, "--dataset", "sales_data").returncode == 0
    done = atlas_ingest(path, "--dataset", "Sales Data", "--force")
    assert done.returncode != 0
    [line] = done.stderr.strip().splitlines()
    assert "'Sales Data' is too close to the existing dataset 'sales_data'" in line


def test_text_mode_prints_progress_and_a_summary(tmp_path, atlas_ingest):
    path = write_csv(tmp_path / "sales.csv", SALES)
    done = atlas_ingest(str(path), "--dataset", "sales")
    assert done.returncode == 0, done.stderr
    progress = [PROGRESS_LINE.fullmatch(line) for line in done.stderr.splitlines()]
    assert progress and all(progress), done.stderr  # stderr is the progress and nothing else
    stages = [line["stage"] for line in progress]
    for stage in ("explore", "chart", "profile", "navigate", "catalog"):
        assert stage in stages, done.stderr
    assert progress[-1]["percent"] == "100.0"
    run = PipelineRun.objects.get()
    assert f"Run {run.pk} succeeded: sales" in done.stdout
    rows_line = next(line for line in done.stdout.splitlines() if line.startswith("rows: "))
    assert set(rows_line[len("rows: ") :].split(", ")) == {
        "received 3",
        "explore 3",
        "chart 3",
        "rejected 0",
        "navigate 3",
    }
    assert "seconds: " in done.stdout


def test_delimiter_and_sheet_options_reach_the_reader(tmp_path, atlas_ingest):
    path = write_bytes(tmp_path / "odd.txt", b"a:b\n1:2\n")  # ":" is not sniffed
    done = atlas_ingest(str(path), "--dataset", "odd", "--delimiter", ":", "--format", "json")
    assert done.returncode == 0, done.stderr
    assert [c["name"] for c in json.loads(done.stdout)["columns"]] == ["a", "b"]
