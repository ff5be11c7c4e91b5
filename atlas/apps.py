from django.apps import AppConfig
from django.db.models.signals import post_migrate


class AtlasConfig(AppConfig):
    """The project app: settings, roles, warehouse, health, navigation."""

    name = "atlas"
    verbose_name = "Atlas"

    def ready(self) -> None:
        from atlas import checks  # noqa: F401  (registers the system checks)
        from atlas.signals import sync_role_permissions

        post_migrate.connect(sync_role_permissions, dispatch_uid="atlas.sync_role_permissions")
