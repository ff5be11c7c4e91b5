"""Runs: the kept file, duplicates, status and progress, retry, cancel (real PostgreSQL, real files)."""

from __future__ import annotations

import hashlib
import itertools
import threading
import time
from pathlib import Path

import psycopg
import pytest
from django.conf import settings
from django.db import connection, connections, transaction
from django.test import override_settings

from catalog.models import Dataset
from pipeline.choices import RunStatus
from pipeline.models import PipelineRun, SourceFile
from pipeline.services.runner import build_chain, execute_run
from pipeline.services.submit import DuplicateUpload, SubmitError, cancel, retry, store_path
from pipeline.stages.base import Stage
from pipeline.tests.factories import (
    ingest,
    layer_columns,
    layer_count,
    layer_rows,
    submit,
    warehouse_tables,
    write_csv,
)

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("clean_warehouse")]

ROWS = [["id", "name", "amount"], [1, "Ann", "2.50"], [2, "Bob", "3.75"], [3, "Cy", "1"]]
LAYERS = ("explore", "chart", "rejected", "navigate")


def other_connection() -> psycopg.Connection:
    """A connection of our own, outside Django's, the way another process would look."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


def assert_nothing_kept(run: PipelineRun) -> None:
    for layer in LAYERS:
        assert layer_count(layer, run.dataset, run) == 0, layer
    run.refresh_from_db()
    assert (run.rows_explore, run.rows_chart, run.rows_rejected, run.rows_navigate) == (0, 0, 0, 0)


# --- keeping what was received ---------------------------------------------------------------------


def test_the_received_file_is_kept_with_its_sha256_and_size(tmp_path):
    path = write_csv(tmp_path / "sales.csv", ROWS)
    data = path.read_bytes()
    source = store_path(path)
    assert source.sha256 == hashlib.sha256(data).hexdigest()
    assert source.size == len(data)
    assert source.original_name == "sales.csv"
    assert Path(source.file.path).read_bytes() == data
    assert source.sha256 in source.file.name
    # The same bytes under another name are kept once.
    copy = tmp_path / "again.csv"
    copy.write_bytes(data)
    assert store_path(copy).pk == source.pk
    assert SourceFile.objects.count() == 1


def test_identical_content_again_is_a_duplicate_naming_the_previous_run_and_force_loads_it(tmp_path):
    path = write_csv(tmp_path / "sales.csv", ROWS)
    first = ingest(path, "sales")
    assert first.status == RunStatus.SUCCEEDED
    renamed = tmp_path / "sales-copy.csv"
    renamed.write_bytes(path.read_bytes())
    with pytest.raises(DuplicateUpload) as caught:
        submit(renamed, "sales")
    message = str(caught.value)
    assert f"run {first.pk}" in message and "'sales'" in message and "force" in message
    assert caught.value.previous.pk == first.pk
    assert PipelineRun.objects.count() == 1

    second = ingest(renamed, "sales", force=True)
    assert second.status == RunStatus.SUCCEEDED
    assert layer_count("explore", "sales") == 6  # append-only: both runs
    # Another dataset may take the same file without force.
    assert ingest(path, "sales_copy").status == RunStatus.SUCCEEDED


def test_a_failed_run_does_not_count_as_ingested(tmp_path):
    path = write_csv(tmp_path / "dups.csv", [["a", "b"], [1, 1], [1, 1]])
    failed = ingest(path, "dups", mode="merge")
    assert failed.status == RunStatus.FAILED
    assert submit(path, "dups").status == RunStatus.QUEUED


# --- status, progress, counts, timings --------------------------------------------------------------


def test_a_run_reports_status_stage_percent_counts_and_timings(tmp_path):
    path = write_csv(tmp_path / "sales.csv", ROWS + [[4, "Di", "not a number"]])
    run = submit(path, "sales")
    assert (run.status, run.percent, run.started_at) == (RunStatus.QUEUED, 0, None)

    run = execute_run(run.pk)
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert (run.stage, run.percent, run.error) == ("done", 100, "")
    assert run.started_at <= run.finished_at and run.duration >= 0
    assert (run.rows_received, run.rows_explore, run.rows_chart, run.rows_rejected, run.rows_navigate) == (
        4,
        4,
        4,
        0,
        4,
    )
    assert {"explore", "chart", "profile", "navigate", "catalog"} <= set(run.timings)
    assert all(isinstance(v, float) and v >= 0 for v in run.timings.values())
    assert run.message == "4 rows in navigate"
    dataset = Dataset.objects.get(name="sales")
    assert dataset.last_run_id == run.pk
    assert (dataset.explore_rows, dataset.chart_rows, dataset.navigate_rows) == (4, 4, 4)


def test_progress_is_visible_to_other_connections_while_the_run_goes(tmp_path):
    path = write_csv(tmp_path / "sales.csv", ROWS)
    run = submit(path, "sales")
    seen: list[tuple] = []
    echoes: list[tuple[str, float]] = []
    with other_connection() as outside:

        def echo(stage: str, percent: float, message: str) -> None:
            echoes.append((stage, percent))
            # The echo comes before the write, so the stage is in the database from its second echo on.
            if [s for s, _ in echoes].count("navigate") == 2:
                seen.append(
                    outside.execute(
                        "SELECT status, stage, percent FROM pipeline_pipelinerun WHERE id = %s", [run.pk]
                    ).fetchone()
                )
                # What the run wrote to the layers is not visible before it commits.
                seen.append(outside.execute("SELECT to_regclass('explore.sales') IS NOT NULL").fetchone())

        run = execute_run(run.pk, echo=echo)
    assert run.status == RunStatus.SUCCEEDED, run.error
    (status, stage, percent), (explore_visible,) = seen
    assert (status, stage) == (RunStatus.RUNNING, "navigate") and 0 < percent < 100
    assert explore_visible is False
    percents = [p for _, p in echoes]
    assert percents == sorted(percents) and percents[-1] == 100
    observed = [stage for stage, _ in itertools.groupby(s for s, _ in echoes)]
    # In chain order, each once; stages that are not able to run (say, nothing to mask) are skipped.
    assert observed == [s.name for s in build_chain() if s.name in observed]
    assert {"explore", "chart", "profile", "navigate", "catalog"} <= set(observed)


class PreparingStage(Stage):
    """A Python stage after profile whose ``warm_up`` prepares in the background, recording when."""

    name = "preparing"
    label = "Using what was prepared"
    events: list[tuple[str, str]] = []
    settings: tuple = ()

    def warm_up(self, context):
        def prepare() -> None:
            self.events.append(("prepare starts", threading.current_thread().name))
            time.sleep(0.3)
            self.events.append(("prepare ends", threading.current_thread().name))

        self.events.append(("warm_up asked", context.progress.current_stage))
        return prepare

    def run(self, context) -> None:
        self.events.append(("run", threading.current_thread().name))
        context.cursor.execute("SELECT current_setting('TimeZone'), current_setting('backend_flush_after')")
        type(self).settings = context.cursor.fetchone()


def test_preparation_starts_with_chart_and_ends_before_the_next_python_stage(tmp_path):
    stages = list(settings.ATLAS_PIPELINE_STAGES)
    stages.insert(stages.index("pipeline.stages.profile.ProfileStage") + 1,
                  "pipeline.tests.test_runner.PreparingStage")
    PreparingStage.events = []
    with override_settings(ATLAS_PIPELINE_STAGES=stages):
        run = ingest(write_csv(tmp_path / "sales.csv", ROWS), "sales")
    assert run.status == RunStatus.SUCCEEDED, run.error
    assert PreparingStage.events == [
        ("warm_up asked", "explore"),  # asked on the run's thread as chart is about to start
        ("prepare starts", "atlas-warm-up"),
        ("prepare ends", "atlas-warm-up"),
        ("run", threading.current_thread().name),
    ]
    # The run's transaction: UTC, and its bulk writes flushed as they go rather than at commit.
    assert PreparingStage.settings == ("UTC", "2MB")


# --- retry -----------------------------------------------------------------------------------------


def test_a_failed_run_is_retried_from_the_kept_file_after_fixing_the_cause(tmp_path):
    # No column is unique, so merge finds no key.
    path = write_csv(
        tmp_path / "orders.csv", [["order", "status"], ["A", "new"], ["A", "paid"], ["B", "new"]]
    )
    failed = ingest(path, "orders", mode="merge")
    assert failed.status == RunStatus.FAILED
    assert "Merge needs a key" in failed.error and "--key" in failed.error
    assert failed.can_retry
    assert_nothing_kept(failed)
    path.unlink()  # the retry reads the kept copy, not the original

    Dataset.objects.filter(name="orders").update(key_columns=["order"])
    again = execute_run(retry(failed).pk)
    assert again.status == RunStatus.SUCCEEDED, again.error
    assert again.retry_of_id == failed.pk and again.source_file_id == failed.source_file_id
    assert again.load_mode == "merge"
    assert layer_count("navigate", "orders") == 2  # A (latest: paid) and B
    failed.refresh_from_db()
    assert failed.status == RunStatus.FAILED  # history is kept


def test_only_failed_or_cancelled_runs_can_be_retried(tmp_path):
    run = ingest(write_csv(tmp_path / "s.csv", ROWS), "sales")
    with pytest.raises(SubmitError, match="succeeded; only failed or cancelled"):
        retry(run)


# --- cancel ----------------------------------------------------------------------------------------


def test_cancel_a_queued_run(tmp_path):
    run = submit(write_csv(tmp_path / "s.csv", ROWS), "sales")
    run = cancel(run)
    assert run.status == RunStatus.CANCELLED and run.cancel_requested
    assert "before it started" in run.error
    run = execute_run(run.pk)  # a worker that picks it up later does nothing
    assert run.status == RunStatus.CANCELLED
    assert warehouse_tables() == set()
    assert run.can_retry and not run.can_cancel
    with pytest.raises(SubmitError, match="only queued or running"):
        cancel(run)


def test_cancel_requested_before_the_worker_starts_leaves_every_layer_empty(tmp_path):
    run = submit(write_csv(tmp_path / "s.csv", ROWS), "sales")
    PipelineRun.objects.filter(pk=run.pk).update(cancel_requested=True)
    run = execute_run(run.pk)
    assert run.status == RunStatus.CANCELLED
    assert warehouse_tables() == set()
    assert_nothing_kept(run)


def test_cancel_from_another_connection_mid_run_keeps_nothing(tmp_path):
    path = write_csv(tmp_path / "sales.csv", ROWS)
    ingest(path, "sales")  # an earlier run whose rows must survive
    before = {layer: layer_count(layer, "sales") for layer in LAYERS}
    run = submit(write_csv(tmp_path / "more.csv", ROWS[:1] + [[9, "New", "1"]]), "sales")

    with other_connection() as outside:

        def echo(stage: str, percent: float, message: str) -> None:
            if stage == "chart":  # explore already holds this run's rows, uncommitted
                outside.execute(
                    "UPDATE pipeline_pipelinerun SET cancel_requested = true WHERE id = %s", [run.pk]
                )

        run = execute_run(run.pk, echo=echo)
    assert run.status == RunStatus.CANCELLED
    assert "cancelled" in run.error
    assert_nothing_kept(run)
    assert {layer: layer_count(layer, "sales") for layer in LAYERS} == before
    assert run.can_retry


def test_cancel_a_running_run_from_another_thread(tmp_path):
    path = tmp_path / "big.csv"
    with open(path, "w") as handle:
        handle.write("id,name,amount,day\n")
        for i in range(400_000):
            handle.write(f"{i},name {i},{i}.25,2024-01-{i % 28 + 1:02d}\n")
    run = submit(path, "big")
    outcome: dict = {}

    def work() -> None:
        try:
            outcome["run"] = execute_run(run.pk)
        finally:
            connections.close_all()

    worker = threading.Thread(target=work)
    worker.start()
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        run.refresh_from_db()
        if run.status == RunStatus.RUNNING and run.percent > 0:
            break
        time.sleep(0.02)
    assert run.status == RunStatus.RUNNING
    cancel(run)
    worker.join(120)
    assert not worker.is_alive()
    run = outcome["run"]
    assert run.status == RunStatus.CANCELLED, (run.status, run.error)
    assert_nothing_kept(run)
    assert warehouse_tables() == set()


# --- atomic runs -----------------------------------------------------------------------------------


class ExplodingStage(Stage):
    """A stage at the end of the chain that fails, after every layer was written."""

    name = "exploding"
    label = "Failing on purpose"

    def run(self, context) -> None:
        raise RuntimeError("disk on fire")


def chain_with_exploding_stage():
    return override_settings(
        ATLAS_PIPELINE_STAGES=[*settings.ATLAS_PIPELINE_STAGES, "pipeline.tests.test_runner.ExplodingStage"]
    )


def test_a_stage_failing_at_the_end_of_a_first_run_leaves_no_layer_no_column_and_can_be_retried(tmp_path):
    with chain_with_exploding_stage():
        run = ingest(write_csv(tmp_path / "s.csv", ROWS), "sales")
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("The exploding stage failed unexpectedly (RuntimeError: disk on fire)")
    assert "the received file is kept" in run.error
    assert warehouse_tables() == set()
    dataset = Dataset.objects.get(name="sales")
    assert not dataset.columns.exists() and not dataset.schema_versions.exists()
    assert (dataset.explore_rows, dataset.last_run_id) == (0, None)
    assert Path(run.source_file.file.path).exists()
    again = execute_run(retry(run).pk)
    assert again.status == RunStatus.SUCCEEDED, again.error
    assert layer_count("navigate", "sales") == 3


def test_a_later_run_failing_late_keeps_the_earlier_state_exactly(tmp_path):
    ok = ingest(write_csv(tmp_path / "a.csv", ROWS), "sales", mode="replace")
    assert ok.status == RunStatus.SUCCEEDED, ok.error
    tables = warehouse_tables()
    before = {layer: layer_rows(layer, "sales", system=True) for layer in LAYERS}
    columns = {layer: layer_columns(layer, "sales") for layer in LAYERS}
    with chain_with_exploding_stage():
        run = ingest(
            write_csv(tmp_path / "b.csv", [["id", "name", "amount", "new column"], [7, "X", "oops", "n"]]),
            "sales",
        )
    assert run.status == RunStatus.FAILED
    assert_nothing_kept(run)
    assert warehouse_tables() == tables
    assert {layer: layer_rows(layer, "sales", system=True) for layer in LAYERS} == before
    assert {layer: layer_columns(layer, "sales") for layer in LAYERS} == columns  # no "new_column"
    dataset = Dataset.objects.get(name="sales")
    assert sorted(dataset.columns.values_list("name", flat=True)) == ["amount", "id", "name"]
    assert dataset.schema_versions.count() == 1 and dataset.last_run_id == ok.pk


def test_merge_on_a_key_that_is_not_in_the_file_fails_clearly_and_keeps_nothing(tmp_path):
    run = ingest(write_csv(tmp_path / "s.csv", ROWS), "sales", mode="merge", key=["customer_id"])
    assert run.status == RunStatus.FAILED
    assert run.error.startswith("The key column 'customer_id' is not in this file")
    assert "'id', 'name', 'amount'" in run.error and "--key" in run.error
    assert warehouse_tables() == set()
    assert_nothing_kept(run)


def test_a_composite_key_is_never_cut_to_the_part_that_is_present(tmp_path):
    ok = ingest(
        write_csv(tmp_path / "a.csv", [["country", "city", "pop"], ["DK", "Aarhus", 1]]),
        "cities",
        mode="merge",
        key=["country", "city"],
    )
    assert ok.status == RunStatus.SUCCEEDED, ok.error
    run = ingest(write_csv(tmp_path / "b.csv", [["country", "pop"], ["DK", 2]]), "cities")
    assert run.status == RunStatus.FAILED
    assert "The key column 'city' is not in this file" in run.error
    assert layer_rows("navigate", "cities") == [{"country": "DK", "city": "Aarhus", "pop": 1}]


def test_two_workers_loading_the_same_dataset_at_once_both_land(tmp_path):
    runs = [
        submit(write_csv(tmp_path / f"{i}.csv", [["id", "batch"]] + [[n, i] for n in range(2000)]), "shared")
        for i in range(2)
    ]
    results: dict[int, PipelineRun] = {}

    def work(run_id: int) -> None:
        try:
            results[run_id] = execute_run(run_id)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(run.pk,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert all(results[run.pk].status == RunStatus.SUCCEEDED for run in runs), [
        r.error for r in results.values()
    ]
    assert layer_count("explore", "shared") == 4000 and layer_count("navigate", "shared") == 4000
    dataset = Dataset.objects.get(name="shared")
    assert sorted(dataset.columns.values_list("name", flat=True)) == ["batch", "id"]
    assert (dataset.explore_rows, dataset.navigate_rows) == (4000, 4000)


def test_two_uploads_creating_the_same_new_dataset_at_once_share_it(tmp_path):
    from pipeline.services.submit import get_or_create_dataset

    created, blocked, done = threading.Event(), threading.Event(), threading.Event()
    found: dict = {}

    def first() -> None:
        try:
            with transaction.atomic():
                found["first"] = get_or_create_dataset("brand new", mode="merge")
                created.set()
                blocked.wait(30)  # hold the row until the second upload waits on it
        finally:
            connections.close_all()

    def second() -> None:
        try:
            created.wait(30)
            found["second"] = get_or_create_dataset("brand new", key=["id"])
        except Exception as exc:  # noqa: BLE001 - reported by the assertion below
            found["error"] = exc
        finally:
            done.set()
            connections.close_all()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    with other_connection() as outside:
        deadline = time.monotonic() + 30
        while (
            time.monotonic() < deadline
            and not outside.execute(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE wait_event_type = 'Lock' AND datname = current_database()"
            ).fetchone()[0]
        ):
            time.sleep(0.02)
    blocked.set()
    for thread in threads:
        thread.join(60)
    assert "error" not in found, found.get("error")
    assert found["first"].pk == found["second"].pk
    dataset = Dataset.objects.get(name="brand new")
    assert (dataset.load_mode, dataset.key_columns) == ("merge", ["id"])
