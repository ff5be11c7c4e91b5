"""The preparation thread: one task at a time, in order; settle waits; a failure stays in its future."""

from __future__ import annotations

import threading
import time

import pytest

from atlas import warmup


def test_preparations_run_one_at_a_time_in_the_order_submitted():
    running = []
    overlaps = []
    log = []

    def task(name: str):
        def work():
            running.append(name)
            overlaps.append(len(running))
            time.sleep(0.05)
            log.append((name, threading.current_thread().name))
            running.remove(name)
            return name

        return work

    futures = [warmup.submit(task(name)) for name in ("imports", "detector", "lexicon")]
    assert [future.result(timeout=10) for future in futures] == ["imports", "detector", "lexicon"]
    assert log == [(name, "atlas-warm-up") for name in ("imports", "detector", "lexicon")]
    assert overlaps == [1, 1, 1]


def test_settle_waits_for_everything_queued_so_far():
    finished = threading.Event()

    def slow():
        time.sleep(0.2)
        finished.set()

    warmup.submit(slow)
    warmup.settle()
    assert finished.is_set()


def test_a_failing_preparation_hands_its_error_to_its_future_and_the_thread_goes_on():
    def broken():
        raise ImportError("No module named 'missing'")

    failed = warmup.submit(broken)
    with pytest.raises(ImportError, match="missing"):
        failed.result(timeout=10)
    assert warmup.submit(lambda: 42).result(timeout=10) == 42
