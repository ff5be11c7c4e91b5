"""One background thread per process for slow preparation: imports, detector builds.

Two threads importing at once can each see a module the other has only half
initialised (an import that should have been silenced warns, a name is missing),
so every preparation in a process runs here, one after another, and Python
work that could import waits for them to ``settle`` first.
"""
from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from concurrent.futures import Future

logger = logging.getLogger(__name__)

_tasks: queue.SimpleQueue[tuple[Callable[[], object], Future]] = queue.SimpleQueue()
_thread: threading.Thread | None = None
_lock = threading.Lock()


def _work() -> None:
    while True:
        task, future = _tasks.get()
        if not future.set_running_or_notify_cancel():
            continue
        try:
            future.set_result(task())
        except BaseException as exc:  # handed to whoever waits; logged for whoever does not
            logger.debug("background preparation failed: %s", exc, exc_info=True)
            future.set_exception(exc)


def submit(task: Callable[[], object]) -> Future:
    """Queue ``task`` on the preparation thread (started on first use); its future says when it is done."""
    global _thread
    future: Future = Future()
    _tasks.put((task, future))
    with _lock:
        if _thread is None or not _thread.is_alive():
            # A daemon: a process that ends mid-preparation does not wait for work nobody needs.
            _thread = threading.Thread(target=_work, name="atlas-warm-up", daemon=True)
            _thread.start()
    return future


def settle() -> None:
    """Wait until every preparation queued so far is done (at once when none ever was)."""
    if _thread is not None:
        submit(lambda: None).result()
