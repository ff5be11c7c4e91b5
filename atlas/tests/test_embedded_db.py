"""The embedded PostgreSQL: started on demand, reused, stopped by `atlas_db`, under ATLAS_DATA_DIR/pg."""
from __future__ import annotations

import re

import pytest

from atlas.testing.processes import clean_env, run_manage

pytestmark = pytest.mark.slow


def _pid(output: str) -> int:
    match = re.search(r"running: pid (\d+)", output)
    assert match, output
    return int(match.group(1))


@pytest.fixture
def embedded_env(tmp_path):
    """Settings for a subprocess with no DATABASE_URL and a data folder of its own; stops its server after."""
    env = clean_env(ATLAS_DATA_DIR=str(tmp_path / "data"), XDG_RUNTIME_DIR=None)
    yield env
    run_manage("atlas_db", "stop", env=env)


def test_start_reuse_stop(embedded_env, tmp_path):
    status = run_manage("atlas_db", "status", env=embedded_env)
    assert status.returncode == 0 and "not running" in status.stdout

    first = run_manage("atlas_db", "start", env=embedded_env)
    assert first.returncode == 0, first.stderr
    pid = _pid(first.stdout)
    assert (tmp_path / "data" / "pg" / "PG_VERSION").exists()

    second = run_manage("atlas_db", "start", env=embedded_env)
    assert _pid(second.stdout) == pid, "a second start must reuse the running server"
    assert _pid(run_manage("atlas_db", "status", env=embedded_env).stdout) == pid

    stopped = run_manage("atlas_db", "stop", env=embedded_env)
    assert stopped.stdout.strip() == "stopped"
    assert "not running" in run_manage("atlas_db", "status", env=embedded_env).stdout
    assert run_manage("atlas_db", "stop", env=embedded_env).stdout.strip() == "not running"
    for result in (first, second, stopped):
        assert "XDG_RUNTIME_DIR" not in result.stderr


def test_a_command_that_needs_the_database_starts_it(embedded_env):
    assert "not running" in run_manage("atlas_db", "status", env=embedded_env).stdout
    check = run_manage("check", "--database", "default", env=embedded_env)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "XDG_RUNTIME_DIR" not in check.stderr
    running = run_manage("atlas_db", "status", env=embedded_env)
    pid = _pid(running.stdout)

    migrate = run_manage("migrate", "--noinput", env=embedded_env, timeout=300)
    assert migrate.returncode == 0, migrate.stderr
    schemas = run_manage(
        "shell", "-c",
        "from django.db import connection; c = connection.cursor(); "
        "c.execute(\"SELECT string_agg(nspname, ',' ORDER BY nspname) FROM pg_namespace "
        "WHERE nspname IN ('explore', 'chart', 'navigate')\"); print(c.fetchone()[0])",
        env=embedded_env,
    )
    assert schemas.stdout.strip().splitlines()[-1] == "chart,explore,navigate", schemas.stderr
    assert _pid(run_manage("atlas_db", "status", env=embedded_env).stdout) == pid


def test_atlas_db_refuses_when_database_url_is_set(tmp_path):
    env = clean_env(DATABASE_URL="postgresql://nobody@127.0.0.1:1/none", ATLAS_DATA_DIR=str(tmp_path / "d"))
    result = run_manage("atlas_db", "start", env=env)
    assert result.returncode != 0
    assert "DATABASE_URL is set" in result.stderr


def test_runtime_dir_is_prepared_beside_the_data(tmp_path, monkeypatch):
    from atlas import embedded_db

    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    embedded_db.prepare_runtime_dir(tmp_path / "pg")
    import os

    assert os.environ["XDG_RUNTIME_DIR"] == str(tmp_path / "run")
    assert (tmp_path / "run").is_dir()


def test_runtime_dir_stays_short_for_deep_data_folders(tmp_path, monkeypatch):
    import os

    from atlas import embedded_db

    monkeypatch.delenv("XDG_RUNTIME_DIR", raising=False)
    deep = tmp_path.joinpath(*["deep-folder-name"] * 8, "pg")
    embedded_db.prepare_runtime_dir(deep)
    assert len(os.environ["XDG_RUNTIME_DIR"]) < 40


@pytest.mark.parametrize(("cores", "workers"), [(1, 0), (2, 1), (4, 3), (16, 4)])
def test_parallel_workers_leave_the_leader_a_core(cores, workers):
    from atlas.embedded_db import parallel_workers

    assert parallel_workers(cores) == workers


def test_a_server_tuned_otherwise_is_tuned_again(embedded_env, tmp_path):
    from atlas.embedded_db import TUNING, _tuning_text

    assert run_manage("atlas_db", "start", env=embedded_env).returncode == 0
    marker = tmp_path / "data" / "pg" / "atlas-tuned"
    assert marker.read_text() == _tuning_text()
    # As an older Atlas, or the same data folder on a machine with other cores, would have left it.
    marker.write_text("shared_buffers = 128MB")
    assert run_manage("atlas_db", "stop", env=embedded_env).returncode == 0
    assert run_manage("atlas_db", "start", env=embedded_env).returncode == 0
    assert marker.read_text() == _tuning_text()
    shown = run_manage(
        "shell", "-c",
        "from django.db import connection\n"
        "with connection.cursor() as c:\n"
        "    c.execute('SHOW max_parallel_workers_per_gather')\n"
        "    print(c.fetchone()[0])",
        env=embedded_env,
    )
    # Django's shell announces what it imported before the command's own output.
    assert shown.stdout.strip().splitlines()[-1] == TUNING["max_parallel_workers_per_gather"], shown.stderr
