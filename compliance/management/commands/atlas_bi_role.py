"""Create (or refresh) the PostgreSQL role BI tools use: it reads navigate and nothing else."""
from __future__ import annotations

import os

from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError, connection, transaction
from psycopg import sql

RAW_SCHEMAS = ("explore", "chart")


class Command(BaseCommand):
    help = ("Create a PostgreSQL role that may read navigate (masked) but not explore or chart (raw). "
            "With --password-env it can log in; without, grant it to BI users' own login roles.")

    def add_arguments(self, parser):
        parser.add_argument("--role", default="atlas_bi", help="the role's name (default atlas_bi)")
        parser.add_argument("--password-env", help="variable holding a password: the role can log in")

    def handle(self, *args, role: str, password_env: str | None, **options):
        password = os.environ.get(password_env, "") if password_env else ""
        if password_env and not password:
            raise CommandError(f"The environment variable {password_env} is empty or unset.")
        name = sql.Identifier(role)
        database = sql.Identifier(connection.settings_dict["NAME"])
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                cursor.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role])
                if cursor.fetchone() is None:
                    create = sql.SQL("CREATE ROLE {} NOLOGIN").format(name)
                    cursor.execute(create.as_string(cursor.connection))
                if password:
                    login = sql.SQL("ALTER ROLE {} LOGIN PASSWORD {}").format(name, sql.Literal(password))
                    cursor.execute(login.as_string(cursor.connection))
                for statement in self._grants(name, database):
                    cursor.execute(statement.as_string(cursor.connection))
        except DatabaseError as exc:
            reason = str(exc).splitlines()[0]
            raise CommandError(f"PostgreSQL refused ({reason}). Run this as a user allowed to create roles "
                               "(CREATEROLE) who owns the warehouse schemas.") from exc
        self.stdout.write(f"Role {role}: reads navigate's tables (now and future); "
                          "no access to explore or chart.")

    def _grants(self, name: sql.Identifier, database: sql.Identifier) -> list[sql.Composed]:
        statements = [
            sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(database, name),
            sql.SQL("GRANT USAGE ON SCHEMA navigate TO {}").format(name),
            sql.SQL("GRANT SELECT ON ALL TABLES IN SCHEMA navigate TO {}").format(name),
            # Tables the pipeline creates later (new datasets) are readable too.
            sql.SQL("ALTER DEFAULT PRIVILEGES IN SCHEMA navigate GRANT SELECT ON TABLES TO {}").format(name),
        ]
        for schema in RAW_SCHEMAS:
            statements += [
                sql.SQL("REVOKE ALL ON ALL TABLES IN SCHEMA {} FROM {}").format(sql.Identifier(schema), name),
                sql.SQL("REVOKE ALL ON SCHEMA {} FROM {}, PUBLIC").format(sql.Identifier(schema), name),
            ]
        return statements
