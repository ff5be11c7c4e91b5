from django.apps import AppConfig


class CatalogConfig(AppConfig):
    """Datasets, columns, schema versions and drift, tags, owners, search."""

    name = "catalog"

    def ready(self) -> None:
        from atlas import dashboard
        from catalog import signals
        from catalog.dashboard import catalog_cards, schema_changes_panel

        signals.connect()
        dashboard.register_cards(40, catalog_cards)
        dashboard.register_panel(40, schema_changes_panel)
