"""`manage.py atlas_serve`: web, worker and beat start together and all stop on Ctrl-C (SIGINT)."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import urllib.request

import psutil
import pytest
from django.conf import settings

from atlas.testing.processes import MANAGE, clean_env, free_port, test_database_url

pytestmark = pytest.mark.slow
ROLES = {"web": "runserver", "worker": " worker", "beat": " beat"}


def _children_by_role(parent: psutil.Process) -> dict[str, psutil.Process]:
    found = {}
    for child in parent.children():
        command = " ".join(child.cmdline())
        for role, marker in ROLES.items():
            if marker in command:
                found[role] = child
    return found


def _wait_for(url: str, deadline: float) -> int:
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except OSError:
            time.sleep(0.3)
    raise AssertionError(f"{url} did not answer in time")


# Marked so the test database exists even when this test runs alone (pytest-django creates it only
# for tests that ask for it); transactional, because the processes under test commit for real.
@pytest.mark.django_db(transaction=True)
def test_serve_starts_three_processes_and_sigint_stops_them(django_db_blocker, tmp_path):
    with django_db_blocker.unblock():
        database_url = test_database_url()  # the migrated test database, so beat finds its tables
        beat_rows_before = _beat_rows()
    port = free_port()
    env = clean_env(
        DATABASE_URL=database_url,
        ATLAS_DATA_DIR=str(tmp_path / "data"),  # the filesystem broker and beat's state go here
        ATLAS_DEBUG="1",
    )
    log = (tmp_path / "serve.log").open("w+")
    serve = subprocess.Popen(
        [sys.executable, str(MANAGE), "atlas_serve", f"127.0.0.1:{port}", "--concurrency", "1"],
        env=env, cwd=settings.BASE_DIR, stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
        start_new_session=True,
    )
    parent = psutil.Process(serve.pid)
    try:
        deadline = time.monotonic() + 90
        assert _wait_for(f"http://127.0.0.1:{port}/health/live", deadline) == 200
        while len(_children_by_role(parent)) < 3 and time.monotonic() < deadline:
            time.sleep(0.3)
        children = _children_by_role(parent)
        assert set(children) == set(ROLES), _log(log)
        time.sleep(3)  # let worker and beat get past start-up: a crash there would show now
        assert serve.poll() is None, _log(log)
        descendants = [p for p in parent.children(recursive=True)]
        assert all(p.is_running() for p in children.values()), _log(log)

        serve.send_signal(signal.SIGINT)  # the parent only: it must stop its children itself
        assert serve.wait(timeout=40) == 0, _log(log)
        gone, alive = psutil.wait_procs(descendants, timeout=10)
        assert not alive, f"still running after Ctrl-C: {[p.cmdline() for p in alive]}\n{_log(log)}"
        output = _log(log, tail=None)  # "started …" is at the top of a long log
        for role in ROLES:
            assert f"started {role}" in output and f"stopped {role}" in output, _log(log)
    finally:
        if serve.poll() is None:
            os.killpg(serve.pid, signal.SIGKILL)
        for process in parent.children(recursive=True) if parent.is_running() else ():
            process.kill()
        log.close()
        with django_db_blocker.unblock():
            _delete_beat_rows_since(beat_rows_before)  # beat committed its default entries


def _beat_models():
    from django_celery_beat import models

    return (models.PeriodicTask, models.PeriodicTasks, models.CrontabSchedule, models.IntervalSchedule,
            models.SolarSchedule, models.ClockedSchedule)


def _beat_rows() -> dict:
    return {model: set(model.objects.values_list("pk", flat=True)) for model in _beat_models()}


def _delete_beat_rows_since(before: dict) -> None:
    for model in _beat_models():
        model.objects.exclude(pk__in=before[model]).delete()


def _log(log, tail: int | None = 4000) -> str:
    log.flush()
    log.seek(0)
    text = log.read()
    return text[-tail:] if tail else text
