"""The lineage stage: the last in the chain, it records the run's OpenLineage START and COMPLETE events."""
from __future__ import annotations

from lineage.services import emit_run_completed
from pipeline.stages.base import RunContext, Stage, preload


class LineageStage(Stage):
    """Emits START and COMPLETE for the run, with schema, column-lineage and quality facets.

    The events are stored in the run's transaction (so a run that fails later
    leaves none behind) and forwarded to ``OPENLINEAGE_URL`` only once it commits.
    """

    name = "lineage"
    label = "Recording lineage"
    weight = 0.1

    def warm_up(self, context: RunContext):
        # openlineage-python takes a few tenths of a second to import.
        return preload("lineage.services.events")

    def run(self, context: RunContext) -> None:
        events = emit_run_completed(context)
        context.progress.update(1.0, f"{len(events)} lineage events recorded")
