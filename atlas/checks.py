"""System checks: ``manage.py check --database default`` reaches the database and its warehouse."""
from __future__ import annotations

from django.core.checks import Error, Tags, register
from django.db import connections

from atlas.choices import Layer


@register(Tags.database)
def check_database_reachable(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """Connect to each database named on the command line (this starts the embedded server)."""
    errors: list[Error] = []
    for alias in databases or ():
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1")
        except Exception as exc:  # any failure to connect is the finding, whatever its class
            errors.append(
                Error(
                    f"Cannot reach the database {alias!r}: {exc}".strip(),
                    hint="Check DATABASE_URL, or unset it to use the embedded PostgreSQL "
                    "under ATLAS_DATA_DIR.",
                    id="atlas.E001",
                )
            )
    return errors


@register(Tags.database)
def check_warehouse_schemas(app_configs=None, databases=None, **kwargs) -> list[Error]:
    """The explore, chart and navigate schemas exist once migrations have run."""
    errors: list[Error] = []
    for alias in databases or ():
        try:
            with connections[alias].cursor() as cursor:
                cursor.execute("SELECT 1 FROM django_migrations WHERE app = 'atlas' LIMIT 1")
                if cursor.fetchone() is None:
                    continue  # not migrated yet: `migrate` creates the schemas
                cursor.execute(
                    "SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", [list(Layer.values)]
                )
                missing = set(Layer.values) - {row[0] for row in cursor.fetchall()}
        except Exception:  # noqa: BLE001  unreachable is reported by check_database_reachable
            continue
        if missing:
            errors.append(
                Error(
                    f"The warehouse schemas {', '.join(sorted(missing))} are missing from {alias!r}.",
                    hint="Atlas's first migration creates them; recreate each with CREATE SCHEMA as the "
                    "database owner (the layers' tables were dropped with them).",
                    id="atlas.E002",
                )
            )
    return errors
