"""Validating a rule set and turning its JSON parts into engine objects.

Every message names what is wrong and where (the rule's name, the column,
the SodaCL line), because stewards fix these by hand in the admin or the API.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import TYPE_CHECKING, Any

from quality.choices import GateMode, HistoryMetric
from quality.engine import ColumnSpec, CrossFieldRule, QualityConfigError
from quality.engine.formats import FORMATS
from quality.engine.rules import compile_rule
from quality.engine.spec import ColumnIndex

if TYPE_CHECKING:
    from quality.models import QualityRuleSet

RULE_KEYS = frozenset({"name", "kind", "left", "op", "right", "expression", "tolerance"})
REFERENCE_KEYS = frozenset({"allowed_values", "min", "max"})


@dataclass(frozen=True)
class KnownColumn:
    """A column as the catalog knows it: what rules may refer to."""

    name: str
    warehouse_name: str
    data_type: str  # catalog.choices.ColumnType

    def spec(self) -> ColumnSpec:
        from pipeline.types import PG_TYPES

        return ColumnSpec(name=self.name, column=self.warehouse_name, pg_type=PG_TYPES[self.data_type])


def catalog_columns(dataset) -> list[KnownColumn]:
    """The dataset's columns from the catalog (empty before its first run)."""
    if dataset is None or dataset.pk is None:
        return []
    return [KnownColumn(c.name, c.warehouse_name, c.data_type) for c in dataset.columns.all()]


def resolve(columns: Iterable[KnownColumn], ref: str) -> KnownColumn | None:
    """The column a reference names: warehouse name first, then the original name."""
    columns = list(columns)
    return next((c for c in columns if c.warehouse_name == ref), None) or next(
        (c for c in columns if c.name == ref), None
    )


def to_decimal(value: Any) -> Decimal | None:
    if value is None or value == "":
        return None
    if isinstance(value, bool):
        raise ValueError("a number, not true/false")
    try:
        return Decimal(str(value))
    except InvalidOperation:
        raise ValueError(f"{value!r} is not a number") from None


def cross_field_rules(raw: list[dict]) -> list[CrossFieldRule]:
    """Engine rules from the stored JSON (already validated)."""
    rules = []
    for item in raw or []:
        kwargs = {k: v for k, v in item.items() if k in RULE_KEYS and v not in (None, "")}
        if "tolerance" in kwargs:
            kwargs["tolerance"] = to_decimal(kwargs["tolerance"])
        rules.append(CrossFieldRule(**kwargs))
    return rules


def validate_rules(raw: Any, columns: list[KnownColumn]) -> list[str]:
    """Messages for declared cross-field rules that cannot be checked as written."""
    if not isinstance(raw, list):
        return ['Give a list of rules: [{"name": …, "kind": "order" | "equation" | "sql", …}].']
    errors: list[str] = []
    index = ColumnIndex([c.spec() for c in columns]) if columns else None
    names: set[str] = set()
    for position, item in enumerate(raw, start=1):
        label = f"Rule {position}"
        if not isinstance(item, dict):
            errors.append(f"{label}: give an object with name and kind.")
            continue
        name = item.get("name")
        if not isinstance(name, str) or not name.strip():
            errors.append(f"{label}: give it a name.")
            continue
        label = f"Rule {name!r}"
        if name in names:
            errors.append(f"{label}: another rule has the same name.")
        names.add(name)
        unknown = set(item) - RULE_KEYS
        if unknown:
            errors.append(f"{label}: unknown key(s) {', '.join(sorted(unknown))}; "
                          f"use {', '.join(sorted(RULE_KEYS))}.")
            continue
        if item.get("kind") not in ("order", "equation", "sql"):
            errors.append(f"{label}: kind must be order, equation or sql.")
            continue
        try:
            rule = cross_field_rules([item])[0]
            if index is not None:
                compile_rule(rule, index)
        except (QualityConfigError, ValueError, TypeError) as exc:
            message = str(exc).removeprefix(f"rule {name!r}: ")
            errors.append(f"{label}: {message}.")
    return errors


def validate_reference_values(raw: Any, columns: list[KnownColumn]) -> list[str]:
    if not isinstance(raw, dict):
        return ['Give an object per column: {"status": {"allowed_values": ["new", "paid"]}, '
                '"age": {"min": 0}}.']
    errors = []
    for ref, entry in raw.items():
        label = f"Column {ref!r}"
        if columns and resolve(columns, ref) is None:
            errors.append(f"{label}: the dataset has no such column.")
            continue
        if not isinstance(entry, dict) or not entry or set(entry) - REFERENCE_KEYS:
            errors.append(f"{label}: give allowed_values (a list), min and/or max.")
            continue
        allowed = entry.get("allowed_values")
        if allowed is not None and (not isinstance(allowed, list) or not allowed):
            errors.append(f"{label}: allowed_values must be a non-empty list.")
        try:
            low, high = to_decimal(entry.get("min")), to_decimal(entry.get("max"))
        except ValueError as exc:
            errors.append(f"{label}: min and max must be numbers ({exc}).")
            continue
        if low is not None and high is not None and low > high:
            errors.append(f"{label}: min {low} is above max {high}.")
    return errors


def validate_semantic_types(raw: Any, columns: list[KnownColumn]) -> list[str]:
    if not isinstance(raw, dict):
        return ['Give an object: {"contact": "email"}.']
    errors = []
    for ref, semantic in raw.items():
        if columns and resolve(columns, ref) is None:
            errors.append(f"Column {ref!r}: the dataset has no such column.")
        elif semantic not in ("", None) and str(semantic).lower() not in FORMATS:
            errors.append(f"Column {ref!r}: {semantic!r} is not a semantic type; "
                          f"use one of {', '.join(sorted(FORMATS))} (or \"\" for none).")
    return errors


def validate_history_metrics(raw: Any, columns: list[KnownColumn]) -> list[str]:
    if not isinstance(raw, list):
        return ['Give a list: [{"metric": "row_count"}, {"metric": "mean", "column": "amount"}].']
    errors = []
    for position, item in enumerate(raw, start=1):
        metric = item.get("metric") if isinstance(item, dict) else None
        if metric not in HistoryMetric.values:
            errors.append(f"Metric {position}: metric must be one of {', '.join(HistoryMetric.values)}.")
            continue
        column = item.get("column")
        if metric not in HistoryMetric.needs_column():
            continue
        if not column:
            errors.append(f"Metric {position} ({metric}): name the column.")
        elif columns:
            known = resolve(columns, column)
            if known is None:
                errors.append(f"Metric {position} ({metric}): the dataset has no column {column!r}.")
            elif metric == HistoryMetric.MEAN and known.data_type not in ("integer", "decimal"):
                errors.append(f"Metric {position} (mean): column {column!r} is {known.data_type}, "
                              "not a number.")
    return errors


def validate_timeliness_column(ref: str, columns: list[KnownColumn]) -> list[str]:
    if not ref or not columns:
        return []
    known = resolve(columns, ref)
    if known is None:
        return [f"The dataset has no column {ref!r}."]
    if known.data_type not in ("date", "timestamp"):
        return [f"Column {ref!r} is {known.data_type}; timeliness needs a date or timestamp column."]
    return []


def validate_check_gates(raw: Any) -> list[str]:
    if not isinstance(raw, dict):
        return ['Give an object: {"check name": "block"}.']
    return [f"Check {name!r}: gate must be {' or '.join(GateMode.values)}."
            for name, mode in raw.items() if mode not in GateMode.values]


def validate_rule_set(rule_set: QualityRuleSet) -> dict[str, list[str]]:
    """Field name → messages for everything in ``rule_set`` that cannot be applied as written."""
    from quality.services.sodacl import validate_sodacl

    dataset = rule_set.dataset if rule_set.dataset_id else None
    columns = catalog_columns(dataset)
    errors = {
        "cross_field_rules": validate_rules(rule_set.cross_field_rules, columns),
        "reference_values": validate_reference_values(rule_set.reference_values, columns),
        "semantic_types": validate_semantic_types(rule_set.semantic_types, columns),
        "history_metrics": validate_history_metrics(rule_set.history_metrics, columns),
        "timeliness_column": validate_timeliness_column(rule_set.timeliness_column, columns),
        "check_gates": validate_check_gates(rule_set.check_gates),
        "sodacl": validate_sodacl(rule_set.sodacl, dataset.table_name if dataset else None),
    }
    return {field: messages for field, messages in errors.items() if messages}
