"""/metrics: Prometheus text for a bearer token or a signed-in user, 401 otherwise."""
import pytest

pytestmark = pytest.mark.django_db
TOKEN = "scrape-me-0123456789"


@pytest.fixture
def metrics_token(settings):
    settings.ATLAS_METRICS_TOKEN = TOKEN
    return TOKEN


def test_anonymous_is_refused(client, metrics_token):
    response = client.get("/metrics")
    assert response.status_code == 401
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_wrong_token_is_refused(client, metrics_token):
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 401


def test_no_token_configured_refuses_empty_bearer(client, settings):
    settings.ATLAS_METRICS_TOKEN = ""
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 401


def test_bearer_token(client, metrics_token):
    client.get("/health/live")  # at least one request counted
    response = client.get("/metrics", HTTP_AUTHORIZATION=f"Bearer {TOKEN}")
    assert response.status_code == 200
    assert "django_http_requests" in response.content.decode()


def test_signed_in_viewer(role_client):
    response = role_client("viewer").get("/metrics")
    assert response.status_code == 200
    text = response.content.decode()
    assert "django_http_requests_total_by_method" in text or "django_http_requests" in text
