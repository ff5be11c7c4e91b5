"""Fixtures every Atlas test can use: users per role, signed-in clients, API clients with tokens.

    def test_viewer_cannot_upload(role_api_client):
        response = role_api_client("viewer").post("/api/runs/", {...})
        assert response.status_code == 403

    def test_every_role_sees_the_dashboard(each_role, role_client):
        assert role_client(each_role).get("/").status_code == 200
"""
from __future__ import annotations

import os

import pytest

from atlas.choices import Role

# A test that needs a real broker talks to the machine's Redis, on a database of its own.
TEST_REDIS_URL = os.environ.get("ATLAS_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(scope="session", autouse=True)
def _atlas_test_environment(tmp_path_factory):
    """Production settings, except: files go to temporary folders, static files need no manifest,
    Celery tasks run inline, plain http is not redirected and passwords hash fast."""
    from django.conf import settings
    from django.test import override_settings

    from atlas.celery import app

    media = tmp_path_factory.mktemp("media")
    static = tmp_path_factory.mktemp("static")
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    overrides = override_settings(
        MEDIA_ROOT=str(media),
        STATIC_ROOT=str(static),
        STORAGES=storages,
        CELERY_TASK_ALWAYS_EAGER=True,
        SECURE_SSL_REDIRECT=False,  # the test client speaks plain http
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],  # fast; tests make many users
    )
    overrides.enable()
    eager, propagates = app.conf.task_always_eager, app.conf.task_eager_propagates
    app.conf.task_always_eager = app.conf.task_eager_propagates = True
    yield
    app.conf.task_always_eager, app.conf.task_eager_propagates = eager, propagates
    overrides.disable()


@pytest.fixture
def test_redis_url() -> str:
    """The URL of the machine's Redis for broker tests (ATLAS_TEST_REDIS_URL)."""
    return TEST_REDIS_URL


@pytest.fixture(params=Role.values)
def each_role(request) -> str:
    """Runs the test once per role: viewer, operator, steward, privacy_officer, admin."""
    return request.param


@pytest.fixture
def role_user(db):
    """``role_user("steward")`` → a staff user in that role's group (the same one on a second call)."""
    from atlas.testing.factories import role_user as make

    return make


@pytest.fixture
def role_client(role_user):
    """``role_client("viewer")`` → a Django test client signed in as a user with that role.

    ``role_client(None)`` signs in a user with no role at all.
    """
    from django.test import Client

    def make(role: str | None) -> Client:
        client = Client()
        client.user = role_user(role)
        client.force_login(client.user)
        return client

    return make


@pytest.fixture
def api_client():
    """An anonymous DRF test client."""
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def role_api_client(role_user):
    """``role_api_client("operator")`` → a DRF client sending that role user's token."""
    from rest_framework.test import APIClient

    from atlas.testing.factories import token_for

    def make(role: str | None) -> APIClient:
        client = APIClient()
        client.user = role_user(role)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token_for(client.user)}")
        return client

    return make


@pytest.fixture
def clean_warehouse(transactional_db):
    """An empty explore, chart and navigate before and after a test whose runs commit for real.

    Django's flush after a transactional test does not reach the warehouse schemas.
    """
    from pipeline.tests.factories import drop_warehouse_tables

    drop_warehouse_tables()
    yield
    drop_warehouse_tables()


@pytest.fixture
def load(tmp_path, clean_warehouse):
    """``load("customers", rows, key=["id"])`` writes ``rows`` to a CSV and ingests it; returns the report."""
    import itertools

    from catalog.tests.helpers import ingest, write_csv

    counter = itertools.count()

    def run(dataset: str, rows: list, **options) -> dict:
        path = write_csv(tmp_path / f"{dataset.replace(' ', '_')}-{next(counter)}.csv", rows)
        return ingest(path, dataset, **options)

    return run


@pytest.fixture
def parallel_reads():
    """Parallel workers for tables of any size in this test's runs, as a large load gets them."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SET min_parallel_table_scan_size = 0")
    yield
    with connection.cursor() as cursor:
        cursor.execute("RESET min_parallel_table_scan_size")
