"""First-run set-up for `make run`: the admin account and the demo dataset. Safe to run every time."""
from __future__ import annotations

import argparse
import os
import secrets

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands, load_command_class
from django.core.management.base import BaseCommand
from django.db import transaction

DEMO_DATASET = "demo_customers"
DEMO_KEY = "customer_id"
DEMO_MODE = "merge"


class Command(BaseCommand):
    help = (
        "Create the admin superuser (ATLAS_ADMIN_USER, default 'admin'; password from "
        "ATLAS_ADMIN_PASSWORD, else generated and printed once) and load the demo dataset."
    )

    def add_arguments(self, parser):
        parser.add_argument("--no-demo", action="store_true", help="do not load the demo dataset")
        parser.add_argument(
            "--url", default="http://127.0.0.1:8000/", help="where Atlas will be served, for the sign-in note"
        )

    def handle(self, *args, no_demo: bool = False, url: str = "http://127.0.0.1:8000/", **options):
        self.create_admin(url)
        if not no_demo:
            self.load_demo()

    def create_admin(self, url: str) -> None:
        """The superuser, created once; its generated password is shown only then."""
        username = os.environ.get("ATLAS_ADMIN_USER", "").strip() or "admin"
        User = get_user_model()
        with transaction.atomic():
            if User.objects.filter(username=username).exists():
                self.stdout.write(f"Admin account {username!r} exists already.")
                return
            password = os.environ.get("ATLAS_ADMIN_PASSWORD", "")
            generated = not password
            if generated:
                password = secrets.token_urlsafe(12)
            User.objects.create_superuser(username, os.environ.get("ATLAS_ADMIN_EMAIL", ""), password)
        self.stdout.write(self.style.SUCCESS(f"Created the admin account {username!r}."))
        if generated:
            banner = "=" * 64
            self.stdout.write(
                f"{banner}\n  Sign in at {url} as {username!r} with the password\n\n"
                f"      {password}\n\n  It is shown only this once; keep it. (Set ATLAS_ADMIN_PASSWORD "
                f"to choose it.)\n{banner}"
            )

    def load_demo(self) -> None:
        """Ingest demo/customers.csv as ``demo_customers``, unless it is loaded or ingestion is not built."""
        commands = get_commands()
        if "atlas_ingest" not in commands:
            self.stdout.write("Demo dataset skipped: `atlas_ingest` is not available in this installation.")
            return
        if self._demo_loaded():
            self.stdout.write(f"Demo dataset {DEMO_DATASET!r} is loaded already.")
            return
        path = settings.BASE_DIR / "demo" / "customers.csv"
        options = self._demo_options(commands["atlas_ingest"])
        self.stdout.write(f"Loading the demo dataset {DEMO_DATASET!r} from {path} …")
        try:
            call_command("atlas_ingest", str(path), stdout=self.stdout, stderr=self.stderr, **options)
        except Exception as exc:  # noqa: BLE001  the server still starts without the demo
            self.stderr.write(f"The demo dataset could not be loaded ({exc}); Atlas starts without it.")
            return
        self.stdout.write(self.style.SUCCESS(f"Loaded the demo dataset {DEMO_DATASET!r}."))

    @staticmethod
    def _demo_loaded() -> bool:
        try:
            Dataset = apps.get_model("catalog", "Dataset")
        except LookupError:
            return False
        return Dataset.objects.filter(name=DEMO_DATASET).exists()

    @staticmethod
    def _demo_options(app_name: str) -> dict:
        """``--dataset``, plus the key and the merge mode (latest row wins) where the command takes them."""
        parser = load_command_class(app_name, "atlas_ingest").create_parser("manage.py", "atlas_ingest")
        actions = {action.dest: action for action in parser._actions}
        options: dict = {"dataset": DEMO_DATASET}
        if "key" in actions:
            repeated = isinstance(actions["key"], argparse._AppendAction)
            options["key"] = [DEMO_KEY] if repeated else DEMO_KEY
        if "mode" in actions and DEMO_MODE in (actions["mode"].choices or ()):
            options["mode"] = DEMO_MODE
        return options
