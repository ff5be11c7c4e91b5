from django.apps import AppConfig


class QualityConfig(AppConfig):
    """The six dimensions, thresholds and gates, SodaCL checks, quality history."""

    name = "quality"

    def ready(self) -> None:
        from atlas import dashboard
        from quality.dashboard import quality_cards

        dashboard.register_cards(30, quality_cards)
