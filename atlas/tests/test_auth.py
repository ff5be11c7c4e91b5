"""Sign-in: pages redirect, the API answers 401/403, the admin is Atlas's."""
import pytest

from atlas.testing.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_anonymous_dashboard_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


def test_anonymous_app_page_redirects_to_login(client):
    response = client.get("/admin/")
    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")


def test_api_schema_needs_a_user(api_client, role_api_client):
    response = api_client.get("/api/schema/")
    assert response.status_code == 401
    assert "Location" not in response
    assert role_api_client("viewer").get("/api/schema/").status_code == 200


def test_api_docs_page_redirects(client, role_client):
    response = client.get("/api/docs/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/api/docs/"
    assert role_client("viewer").get("/api/docs/").status_code == 200


def test_login_page_renders(client):
    response = client.get("/accounts/login/?next=/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Sign in to Atlas" in body and 'name="next" value="/"' in body


def test_sign_in_and_out(client, role_user):
    user = role_user("viewer")
    credentials = {"username": user.username, "password": TEST_PASSWORD, "next": "/"}
    response = client.post("/accounts/login/", credentials)
    assert response.status_code == 302 and response["Location"] == "/"
    assert client.get("/").status_code == 200
    assert client.post("/accounts/logout/").status_code == 302
    assert client.get("/").status_code == 302


def test_wrong_password_is_explained(client, role_user):
    user = role_user("viewer")
    response = client.post("/accounts/login/", {"username": user.username, "password": "nope"})
    assert response.status_code == 200
    assert "didn't match" in response.content.decode()


def test_admin_is_branded_atlas(admin_client):
    response = admin_client.get("/admin/")
    assert response.status_code == 200
    assert "Atlas administration" in response.content.decode()


def test_dashboard_shows_the_nine_areas(role_client):
    body = role_client("viewer").get("/").content.decode()
    for area in ("Dashboard", "Upload &amp; runs", "Quality", "PII", "Catalog", "Features", "GDPR",
                 "Lineage", "Connectors"):
        assert area in body


def test_static_files_are_served_without_sign_in():
    # WhiteNoise serves the vendored files; it reads them through the finders as with ATLAS_DEBUG=1.
    from django.test import Client, override_settings

    with override_settings(WHITENOISE_USE_FINDERS=True, WHITENOISE_AUTOREFRESH=True):
        response = Client().get("/static/vendor/htmx/htmx.min.js")
    assert response.status_code == 200
    assert b"htmx" in b"".join(response.streaming_content)
