"""The outcome of one SodaCL or history check, before it is stored as a ``CheckResult``."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from quality.choices import CheckOutcome


@dataclass
class CheckRecord:
    """One check's result; ``gate`` is filled in by the gate (the mode applied to it)."""

    kind: str  # quality.choices.CheckKind
    name: str
    outcome: str  # quality.choices.CheckOutcome
    value: float | None = None
    definition: str = ""
    message: str = ""
    details: dict[str, Any] = field(default_factory=dict)
    gate: str = ""

    @property
    def failed(self) -> bool:
        return self.outcome in CheckOutcome.failing()

    def as_dict(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "name": self.name,
            "outcome": self.outcome,
            "value": self.value,
            "definition": self.definition,
            "message": self.message,
            "gate": self.gate,
            "details": self.details,
        }
