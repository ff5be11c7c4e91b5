"""The quality gate: which failed dimensions and checks block publishing, and which only warn."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quality.choices import CheckKind, CheckOutcome, GateMode, GateOutcome
from quality.engine import DIMENSIONS
from quality.models import QualityRuleSet
from quality.services.checks import CheckRecord

KIND_LABELS = {CheckKind.SODA: "SodaCL check", CheckKind.HISTORY: "History check"}


@dataclass
class GateDecision:
    """The gate's verdict: ``blocking`` reasons fail the run, ``warnings`` go on it."""

    blocking: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def outcome(self) -> str:
        if self.blocking:
            return GateOutcome.BLOCKED
        return GateOutcome.WARNED if self.warnings else GateOutcome.PASSED

    @property
    def reasons(self) -> list[str]:
        return self.blocking + self.warnings

    def as_dict(self) -> dict[str, Any]:
        return {"outcome": self.outcome, "blocking": list(self.blocking), "warnings": list(self.warnings)}


def score_text(value: float) -> str:
    """Scores with three decimals, so 0.9499 does not print as the 0.95 it failed to reach."""
    return f"{value:.3f}"


def dimension_reason(name: str, result: dict[str, Any]) -> str:
    return f"{name} {score_text(result['score'])} < {result['threshold']:g}"


def check_reason(check: CheckRecord) -> str:
    label = f"{KIND_LABELS.get(check.kind, 'check')} {check.name!r}"
    if check.outcome == CheckOutcome.ERROR:
        return f"{label} could not be evaluated ({check.message or 'no reason given'})"
    if check.outcome == CheckOutcome.WARN:
        return f"{label} warned" + (f" (value {check.value:g})" if check.value is not None else "")
    text = f"{label} failed" + (f" (value {check.value:g})" if check.value is not None else "")
    return f"{text}: {check.message}" if check.message and check.kind == CheckKind.HISTORY else text


def decide(
    dimensions: dict[str, dict[str, Any]], checks: list[CheckRecord], rules: QualityRuleSet
) -> GateDecision:
    """Apply the rule set's gate modes to the failed dimensions and checks.

    A check that could not be evaluated counts as failed: a broken check must
    not let data through a blocking gate. Soda's own ``warn`` outcome only
    ever warns.
    """
    decision = GateDecision()
    gates = rules.gates()
    for name in DIMENSIONS:
        result = dimensions.get(name)
        if result is None or result["passed"]:
            continue
        reason = dimension_reason(name, result)
        (decision.blocking if gates[name] == GateMode.BLOCK else decision.warnings).append(reason)
    for check in checks:
        if check.outcome == CheckOutcome.WARN:
            decision.warnings.append(check_reason(check))
        if not check.failed:
            continue
        check.gate = rules.gate_for_check(check.kind, check.name)
        (decision.blocking if check.gate == GateMode.BLOCK else decision.warnings).append(check_reason(check))
    return decision


def blocked_message(dataset_name: str, decision: GateDecision) -> str:
    """The run's error when the gate blocks: every blocking reason, then what to do."""
    return (
        f"Quality gate blocked publishing: {'; '.join(decision.blocking)}. "
        "Nothing from this run was published. "
        f"Fix the data and retry, or set these gates to warn in the quality rules of {dataset_name}."
    )
