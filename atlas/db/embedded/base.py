"""A PostgreSQL backend that starts the embedded server before it connects."""
from django.conf import settings
from django_prometheus.db.backends.postgresql.base import DatabaseWrapper as PostgresWrapper

from atlas import embedded_db


class DatabaseWrapper(PostgresWrapper):
    """Connects to the embedded PostgreSQL under ATLAS_DATA_DIR/pg, starting it on first use."""

    def get_connection_params(self):
        # Only the configured database is created here; test databases are
        # created and destroyed by Django's test runner itself.
        name = self.settings_dict["NAME"]
        server = embedded_db.ensure_running(
            settings.EMBEDDED_PG_DIR, name if name == settings.EMBEDDED_DB_NAME else None
        )
        self.settings_dict["HOST"] = server.socket_dir
        self.settings_dict["PORT"] = str(server.port)
        return super().get_connection_params()
