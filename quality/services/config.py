"""From a rule set and a run to what the engine measures: ``ColumnSpec``s and a ``QualityConfig``."""
from __future__ import annotations

from dataclasses import dataclass, field

from pipeline.types import PG_TYPES
from quality.engine import ColumnSpec, QualityConfig
from quality.engine.formats import semantic_type_for_entity
from quality.models import QualityRuleSet
from quality.services.rules import KnownColumn, cross_field_rules, resolve, to_decimal
from quality.services.target import CheckTarget


@dataclass
class MeasurementPlan:
    """The engine's inputs, plus what had to be left out (said as warnings on the run)."""

    columns: list[ColumnSpec]
    config: QualityConfig
    notes: list[str] = field(default_factory=list)


def _lookup(mapping: dict, column: KnownColumn):
    """A per-column setting keyed by warehouse name or original name (``...`` when absent)."""
    if column.warehouse_name in mapping:
        return mapping[column.warehouse_name]
    return mapping.get(column.name, ...)


def semantic_type(column: KnownColumn, overrides: dict, findings: list[dict]) -> str | None:
    """The steward's semantic type for the column, else the one its most confident PII finding implies."""
    chosen = _lookup(overrides or {}, column)
    if chosen is not ...:
        return str(chosen).lower() or None
    for finding in sorted(findings or [], key=lambda f: -float(f.get("confidence") or 0)):
        semantic = semantic_type_for_entity(str(finding.get("entity", "")))
        if semantic:
            return semantic
    return None


def column_specs(target: CheckTarget, rules: QualityRuleSet) -> list[ColumnSpec]:
    specs = []
    for column in target.columns:
        reference = _lookup(rules.reference_values or {}, column)
        reference = reference if isinstance(reference, dict) else {}
        allowed = reference.get("allowed_values")
        specs.append(ColumnSpec(
            name=column.name,
            column=column.warehouse_name,
            pg_type=PG_TYPES[column.data_type],
            semantic_type=semantic_type(column, rules.semantic_types, target.pii.get(column.warehouse_name)),
            allowed_values=[str(v) for v in allowed] if allowed else None,
            min_value=to_decimal(reference.get("min")),
            max_value=to_decimal(reference.get("max")),
        ))
    return specs


def plan_measurement(target: CheckTarget, rules: QualityRuleSet) -> MeasurementPlan:
    """Specs and config for ``target``; settings naming columns this run lacks are dropped with a note."""
    notes: list[str] = []
    timeliness = rules.timeliness_column or None
    if timeliness and resolve(target.columns, timeliness) is None:
        notes.append(f"Timeliness column {timeliness!r} is not in this run; Atlas picked one by name.")
        timeliness = None
    key = [k for k in target.key if resolve(target.columns, k)]
    config = QualityConfig(
        thresholds=rules.thresholds(),
        max_age_days=rules.max_age_days,
        mad_k=rules.mad_k,
        iqr_k=rules.iqr_k,
        timeliness_column=timeliness,
        key=key,
        rules=cross_field_rules(rules.cross_field_rules),
        automatic_rules=rules.automatic_rules,
    )
    return MeasurementPlan(columns=column_specs(target, rules), config=config, notes=notes)
