"""Settings read from the environment: database, broker, security, logging, production checks."""
from __future__ import annotations

import json
import runpy
import secrets
from pathlib import Path

import pytest
from django.conf import settings as django_settings

from atlas.testing.processes import _ISOLATE, clean_env, run_manage

SETTINGS_FILE = Path(django_settings.BASE_DIR) / "atlas" / "settings.py"


@pytest.fixture
def load_settings(monkeypatch, tmp_path):
    """Evaluate atlas/settings.py afresh with only the given Atlas variables set."""

    def load(**env: str) -> dict:
        for name in (*_ISOLATE, "ATLAS_SECURE", "ATLAS_MANIFEST_STATIC"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("ATLAS_DATA_DIR", str(tmp_path / "data"))
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        return runpy.run_path(str(SETTINGS_FILE))

    return load


def test_embedded_database_when_database_url_is_unset(load_settings, tmp_path):
    conf = load_settings()
    assert conf["DATABASES"]["default"]["ENGINE"] == "atlas.db.embedded"
    assert conf["EMBEDDED_PG_DIR"] == (tmp_path / "data" / "pg").resolve()


def test_database_url(load_settings):
    conf = load_settings(DATABASE_URL="postgresql://atlas:pw@db.internal:6543/warehouse")
    db = conf["DATABASES"]["default"]
    assert db["ENGINE"] == "django_prometheus.db.backends.postgresql"
    assert (db["HOST"], db["PORT"], db["NAME"], db["USER"]) == ("db.internal", 6543, "warehouse", "atlas")


def test_filesystem_broker_when_none_is_configured(load_settings, tmp_path):
    conf = load_settings()
    assert conf["CELERY_BROKER_URL"] == "filesystem://"
    options = conf["CELERY_BROKER_TRANSPORT_OPTIONS"]
    broker = (tmp_path / "data" / "broker").resolve()
    assert Path(options["data_folder_in"]) == Path(options["data_folder_out"]) == broker / "queue"
    assert Path(options["processed_folder"]) == broker / "processed"


def test_redis_url_is_the_broker(load_settings):
    conf = load_settings(REDIS_URL="redis://cache:6379/2")
    assert conf["CELERY_BROKER_URL"] == "redis://cache:6379/2"
    assert "CELERY_BROKER_TRANSPORT_OPTIONS" not in conf


def test_celery_broker_url_wins_over_redis_url(load_settings):
    conf = load_settings(REDIS_URL="redis://cache:6379/2", CELERY_BROKER_URL="redis://broker:6379/0")
    assert conf["CELERY_BROKER_URL"] == "redis://broker:6379/0"


def test_beat_uses_the_database_scheduler(load_settings):
    assert load_settings()["CELERY_BEAT_SCHEDULER"] == "django_celery_beat.schedulers:DatabaseScheduler"
    from atlas.celery import app

    assert app.conf.beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def test_celery_creates_the_filesystem_broker_folders(tmp_path):
    from celery import Celery

    from atlas.celery import _prepare_filesystem_broker

    folders = {key: str(tmp_path / key) for key in ("data_folder_in", "data_folder_out", "processed_folder")}
    app = Celery("probe", broker="filesystem://", set_as_current=False)
    app.conf.broker_transport_options = folders
    _prepare_filesystem_broker(app)
    assert all(Path(folder).is_dir() for folder in folders.values())


def test_production_defaults_are_secure(load_settings):
    conf = load_settings(ATLAS_SECRET_KEY="x" * 60, ATLAS_ALLOWED_HOSTS="atlas.example.com, ")
    assert conf["DEBUG"] is False
    assert conf["ALLOWED_HOSTS"] == ["atlas.example.com"]
    assert conf["SESSION_COOKIE_SECURE"] and conf["CSRF_COOKIE_SECURE"] and conf["SECURE_SSL_REDIRECT"]
    assert conf["SECURE_HSTS_SECONDS"] >= 31536000


def test_debug_serves_plain_http(load_settings):
    conf = load_settings(ATLAS_DEBUG="1")
    assert conf["DEBUG"] is True
    assert not conf["SECURE_SSL_REDIRECT"] and not conf["SESSION_COOKIE_SECURE"]


def test_encryption_keys_and_openlineage(load_settings):
    conf = load_settings(ATLAS_ENCRYPTION_KEYS="new-key, old-key", OPENLINEAGE_URL="http://marquez:5000")
    assert conf["ATLAS_ENCRYPTION_KEYS"] == ["new-key", "old-key"]
    assert conf["OPENLINEAGE_URL"] == "http://marquez:5000"


@pytest.mark.slow
def test_check_deploy_passes_in_production(tmp_path):
    env = clean_env(
        ATLAS_SECRET_KEY=secrets.token_urlsafe(64),
        ATLAS_ALLOWED_HOSTS="atlas.example.com",
        ATLAS_DATA_DIR=str(tmp_path / "data"),
    )
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
def test_check_deploy_refuses_the_development_key(tmp_path):
    env = clean_env(ATLAS_ALLOWED_HOSTS="atlas.example.com", ATLAS_DATA_DIR=str(tmp_path / "data"))
    result = run_manage("check", "--deploy", "--fail-level", "WARNING", env=env)
    assert result.returncode != 0
    assert "security.W009" in result.stdout + result.stderr


@pytest.mark.slow
def test_json_logs(tmp_path):
    env = clean_env(ATLAS_LOG_JSON="1", ATLAS_DATA_DIR=str(tmp_path / "data"))
    code = (
        "import logging; "
        "logging.getLogger('atlas.probe').warning('hello %s', 'world', extra={'run_id': 7})"
    )
    result = run_manage("shell", "-c", code, env=env)
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stderr.splitlines() if line.startswith("{")]
    record = next(r for r in records if r.get("logger") == "atlas.probe")
    assert record["level"] == "WARNING"
    assert record["message"] == "hello world"
    assert record["run_id"] == 7 and record["time"]


@pytest.mark.slow
def test_plain_logs_by_default(tmp_path):
    env = clean_env(ATLAS_DATA_DIR=str(tmp_path / "data"))
    code = "import logging; logging.getLogger('atlas.probe').warning('plain')"
    result = run_manage("shell", "-c", code, env=env)
    line = next(line for line in result.stderr.splitlines() if "atlas.probe" in line)
    assert line.endswith("WARNING atlas.probe plain")
