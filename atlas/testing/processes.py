"""Running ``manage.py`` in a subprocess, the way an operator or a deployment would."""
from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from urllib.parse import quote

from django.conf import settings

MANAGE = Path(settings.BASE_DIR) / "manage.py"
# Variables a test subprocess must not inherit, so it sees only what the test sets.
_ISOLATE = ("DATABASE_URL", "CELERY_BROKER_URL", "REDIS_URL", "ATLAS_DATA_DIR", "ATLAS_LOG_JSON",
            "ATLAS_DEBUG", "ATLAS_SECRET_KEY", "ATLAS_ALLOWED_HOSTS", "ATLAS_EMBEDDED_DB_NAME")


def clean_env(**overrides: str | None) -> dict[str, str]:
    """The current environment less Atlas's own settings, plus ``overrides`` (None removes one)."""
    env = {k: v for k, v in os.environ.items() if k not in _ISOLATE}
    env["DJANGO_SETTINGS_MODULE"] = "atlas.settings"
    env["PYTHONUNBUFFERED"] = "1"
    for key, value in overrides.items():
        if value is None:
            env.pop(key, None)
        else:
            env[key] = value
    return env


def run_manage(*args: str, env: dict[str, str], timeout: float = 120) -> subprocess.CompletedProcess:
    """``python manage.py ARGS`` with ``env``; returns the finished process (text output)."""
    return subprocess.run(
        [sys.executable, str(MANAGE), *args],
        env=env, cwd=settings.BASE_DIR, capture_output=True, text=True, timeout=timeout,
        stdin=subprocess.DEVNULL,
    )


def test_database_url() -> str:
    """A DATABASE_URL for the database the tests run on (the test database, embedded or not).

    A subprocess given this URL sees the migrated test database's tables, but
    not rows a test wrote inside its own open transaction.
    """
    from django.db import connection

    connection.ensure_connection()
    params = connection.get_connection_params()
    host = params.get("host") or "127.0.0.1"
    port = params.get("port") or 5432
    user = quote(params.get("user") or "postgres", safe="")
    password = params.get("password")
    auth = f"{user}:{quote(password, safe='')}" if password else user
    return f"postgresql://{auth}@{quote(str(host), safe='')}:{port}/{quote(params['dbname'], safe='')}"


test_database_url.__test__ = False  # a helper, not a test


def free_port() -> int:
    """A TCP port on 127.0.0.1 nobody listens on right now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]
