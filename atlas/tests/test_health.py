"""Health probes: live, ready (database, broker, storage), startup."""
import pytest

pytestmark = pytest.mark.django_db
DEAD_REDIS = "redis://127.0.0.1:1/0"


def test_live_needs_no_sign_in(client):
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_ready_with_the_filesystem_broker(client, settings, tmp_path):
    settings.CELERY_BROKER_URL = "filesystem://"
    settings.BROKER_DIR = tmp_path / "broker"
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    checks = response.json()["checks"]
    assert {name for name, result in checks.items() if result["ok"]} == {"database", "broker", "storage"}


def test_ready_with_a_real_redis(client, settings, test_redis_url):
    settings.CELERY_BROKER_URL = test_redis_url
    response = client.get("/health/ready")
    assert response.status_code == 200, response.content
    assert response.json()["checks"]["broker"]["ok"] is True


def test_ready_names_an_unreachable_broker(client, settings):
    settings.CELERY_BROKER_URL = DEAD_REDIS
    response = client.get("/health/ready")
    assert response.status_code == 503
    body = response.json()
    assert body["failing"] == ["broker"]
    assert body["checks"]["broker"]["ok"] is False and body["checks"]["broker"]["error"]
    assert body["checks"]["database"]["ok"] is True


def test_ready_names_unwritable_storage(client, settings, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    settings.MEDIA_ROOT = str(blocker / "media")
    response = client.get("/health/ready")
    assert response.status_code == 503
    assert response.json()["failing"] == ["storage"]


def test_startup_after_migrate(client):
    response = client.get("/health/startup")
    assert response.status_code == 200
    assert response.json() == {"status": "ok"}


def test_health_is_exempt_from_the_https_redirect(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    assert client.get("/health/live").status_code == 200
    assert client.get("/accounts/login/").status_code == 301
