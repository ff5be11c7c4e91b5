"""The pipeline app: runs and their stages."""

from django.apps import AppConfig


class PipelineConfig(AppConfig):
    """Registers the pipeline's Dashboard cards and its "Recent runs" panel."""

    name = "pipeline"

    def ready(self) -> None:
        from atlas import dashboard
        from pipeline import dashboard as pipeline_dashboard

        dashboard.register_cards(20, pipeline_dashboard.cards)
        dashboard.register_panel(20, pipeline_dashboard.panels)
