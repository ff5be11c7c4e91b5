"""`manage.py atlas_bootstrap`: the admin account (password printed once) and the demo dataset."""
import csv
import io
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command

pytestmark = pytest.mark.django_db
DEMO = Path(settings.BASE_DIR) / "demo" / "customers.csv"


def _bootstrap(*args) -> str:
    out = io.StringIO()
    call_command("atlas_bootstrap", *args, "--no-demo", stdout=out)
    return out.getvalue()


def test_generated_password_is_printed_once(monkeypatch):
    monkeypatch.delenv("ATLAS_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("ATLAS_ADMIN_USER", raising=False)
    first = _bootstrap()
    admin = get_user_model().objects.get(username="admin")
    assert admin.is_superuser and admin.is_staff
    password = next(line.strip() for line in first.splitlines() if line.startswith("      "))
    assert admin.check_password(password)
    second = _bootstrap()
    assert password not in second and "exists already" in second


def test_password_from_the_environment(monkeypatch):
    monkeypatch.setenv("ATLAS_ADMIN_USER", "root-of-trust")
    monkeypatch.setenv("ATLAS_ADMIN_PASSWORD", "correct horse battery staple")
    output = _bootstrap()
    assert "correct horse" not in output
    admin = get_user_model().objects.get(username="root-of-trust")
    assert admin.check_password("correct horse battery staple")


def test_existing_admin_keeps_its_password(monkeypatch, django_user_model):
    django_user_model.objects.create_superuser("admin", "", "old-password")
    monkeypatch.setenv("ATLAS_ADMIN_PASSWORD", "new-password")
    _bootstrap()
    assert django_user_model.objects.get(username="admin").check_password("old-password")


def test_demo_file_is_shipped():
    with DEMO.open(newline="", encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert 150 <= len(rows) <= 250
    assert set(rows[0]) == {"customer_id", "full_name", "email", "phone", "country", "city", "signup_date",
                            "last_order_at", "lifetime_value", "is_active", "iban"}


def test_demo_is_skipped_without_the_ingest_command(monkeypatch):
    from atlas.management.commands import atlas_bootstrap

    monkeypatch.setattr(atlas_bootstrap, "get_commands", lambda: {})
    out = io.StringIO()
    call_command("atlas_bootstrap", stdout=out)
    assert "Demo dataset skipped" in out.getvalue()


@pytest.mark.slow
def test_demo_dataset_is_loaded_once(monkeypatch):
    from django.apps import apps

    monkeypatch.setenv("ATLAS_ADMIN_PASSWORD", "x-demo-password")
    out = io.StringIO()
    call_command("atlas_bootstrap", stdout=out, stderr=out)
    assert "Loaded the demo dataset" in out.getvalue(), out.getvalue()
    Dataset = apps.get_model("catalog", "Dataset")
    assert Dataset.objects.filter(name="demo_customers").exists()
    again = io.StringIO()
    call_command("atlas_bootstrap", stdout=again)
    assert "loaded already" in again.getvalue()


def test_the_sign_in_note_names_where_atlas_is_served(monkeypatch):
    monkeypatch.delenv("ATLAS_ADMIN_PASSWORD", raising=False)
    monkeypatch.delenv("ATLAS_ADMIN_USER", raising=False)
    assert "Sign in at http://127.0.0.1:8765/ as 'admin'" in _bootstrap("--url", "http://127.0.0.1:8765/")
