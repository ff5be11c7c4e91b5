"""The quality stage: six dimensions, SodaCL and history checks on the run's chart rows, then the gate."""
from __future__ import annotations

from pipeline.errors import PipelineError
from pipeline.stages.base import RunContext, Stage
from quality.services.checking import QualityRulesError, check_target
from quality.services.gates import blocked_message
from quality.services.target import CheckTarget


class QualityStage(Stage):
    """Scores the run, stores its ``QualityReport`` and applies the dataset's quality gate.

    A blocking gate raises ``PipelineError``: the run fails with the reasons
    and nothing of it is published (nor is its report kept). A warning gate
    lets the run publish and puts the reasons on the run's warnings.
    """

    name = "quality"
    label = "Checking quality"
    weight = 1.0

    def able_to_run(self, context: RunContext) -> bool:
        return bool(context.present_columns())

    def run(self, context: RunContext) -> None:
        try:
            outcome = check_target(CheckTarget.from_context(context), progress=context.progress.update)
        except QualityRulesError as exc:
            raise PipelineError(str(exc)) from exc
        context.quality = outcome.quality
        context.warnings.extend(outcome.notes)
        decision = outcome.decision
        if decision.blocking:
            raise PipelineError(blocked_message(context.dataset.name, decision))
        context.warnings.extend(
            f"Quality gate: {reason} (published with a warning)." for reason in decision.warnings
        )
        score = outcome.quality["overall_score"]
        context.progress.update(1.0, f"quality {score:.3f}, gate {decision.outcome}")
